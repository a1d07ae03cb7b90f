"""The dashboard's requirement templates: read them, preview an edit's effect, then save it.

A risk manager sees whose status the edit would change before anything is saved; once saved,
the emails it causes wait the grace period (`template_change_grace_minutes`).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coverwatch.compliance import service as compliance
from coverwatch.compliance.preview import preview_template_change
from coverwatch.compliance.tasks import enqueue_after_commit
from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import Organization, User
from coverwatch.projects.models import Project
from coverwatch.requirements import service as requirements
from coverwatch.requirements.models import RequirementTemplate
from coverwatch.settings import get_settings
from coverwatch.web.panel import (
    session_secret,
    signed_in,
    signin_redirect,
    templates,
    unframable_headers,
)

router = APIRouter(include_in_schema=False)
EDITOR_ROLES = ("admin", "risk_manager")


def _page(
    request: Request, session: Session, *, user: User, token: str, **context: Any
) -> HTMLResponse:
    org = session.get(Organization, user.org_id)
    base = {
        "org": org,
        "user": user,
        "can_edit": user.role in EDITOR_ROLES,
        "form_token": signin.form_token(session_secret(), token),
        "grace_minutes": get_settings().template_change_grace_minutes,
    }
    status = int(context.pop("status_code", 200))
    return templates.TemplateResponse(
        request,
        "dashboard_templates.html",
        {**base, **context},
        status_code=status,
        headers=unframable_headers(),
    )


def _listing(session: Session, *, org_id: int) -> list[dict[str, Any]]:
    used = dict(
        session.execute(
            select(Project.template_id, func.count())
            .where(Project.org_id == org_id)
            .group_by(Project.template_id)
        ).all()
    )
    return [
        {"key": t.key, "name": t.name, "version": t.current_version, "projects": used.get(t.id, 0)}
        for t in requirements.list_templates(session, org_id=org_id)
    ]


@router.get("/dashboard/templates", response_class=HTMLResponse, response_model=None)
def templates_page(request: Request, session: DbSession) -> Response:
    """Every requirement template of the organization, with how many projects use it."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect("/dashboard/templates")
    user, token = signed
    return _page(
        request, session, user=user, token=token, listing=_listing(session, org_id=user.org_id)
    )


@router.get("/dashboard/templates/{key}", response_class=HTMLResponse, response_model=None)
def template_page(request: Request, session: DbSession, key: str) -> Response:
    """One template's rules, as JSON to edit."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect(f"/dashboard/templates/{key}")
    user, token = signed
    try:
        template = requirements.get_template(session, org_id=user.org_id, key=key)
    except CoverwatchError as exc:
        return _page(request, session, user=user, token=token, error=exc.message, status_code=404)
    spec = requirements.version_at(session, template=template).spec
    return _page(
        request,
        session,
        user=user,
        token=token,
        template=template,
        text=json.dumps(spec, indent=2),
        saved=request.query_params.get("saved"),
    )


@router.post("/dashboard/templates/{key}", response_class=HTMLResponse, response_model=None)
async def template_post(request: Request, key: str) -> Response:
    """Preview an edit (whose status would change), or save it as a new version."""
    form = await request.form()
    text = str(form.get("spec", ""))
    with session_scope() as session:
        signed = signed_in(request, session)
        if signed is None:
            return signin_redirect(f"/dashboard/templates/{key}")
        user, token = signed
        template = session.scalar(
            select(RequirementTemplate).where(
                RequirementTemplate.org_id == user.org_id, RequirementTemplate.key == key
            )
        )

        def show(**context: Any) -> HTMLResponse:
            return _page(
                request, session, user=user, token=token, template=template, text=text, **context
            )

        def again(message: str, status_code: int) -> HTMLResponse:
            return show(error=message, status_code=status_code)

        if template is None:
            return again("That template is not here.", 404)
        if not hmac.compare_digest(
            str(form.get("form_token", "")), signin.form_token(session_secret(), token)
        ):
            return again("The page was out of date; nothing was saved.", 403)
        if user.role not in EDITOR_ROLES:
            return again("Only a risk manager or an admin can edit templates.", 403)
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise ValueError("a template is a JSON object")
        except ValueError as exc:
            return again(f"That is not valid JSON ({exc}); nothing was saved.", 422)
        try:
            spec = requirements.parse_spec({**raw, "key": template.key})
            if form.get("action") != "save":
                return show(preview=preview_template_change(session, template=template, spec=spec))
            requirements.update_template(
                session, template=template, actor=f"user:{user.email}", spec=raw
            )
        except CoverwatchError as exc:
            session.rollback()
            details = "; ".join(
                f"{'.'.join(str(p) for p in d.get('loc', ()))}: {d.get('msg')}"
                for d in (exc.details or [])
                if isinstance(d, dict)
            )
            return again(f"{exc.message.capitalize()}{': ' + details if details else ''}.", 422)
        ids = compliance.mark_template_users_dirty(session, template=template)
        enqueue_after_commit(session, ids, trigger="template_changed")
        version = template.current_version
    return RedirectResponse(f"/dashboard/templates/{key}?saved={version}", status_code=303)
