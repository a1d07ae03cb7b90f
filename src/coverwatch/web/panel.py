"""The Procore embedded panel (full screen and side panel) and the session it signs in to.

Procore shows the panel in an iframe, with the company and project ids in its URL (see
panel_context.py for the URL an admin configures and the side panel's context). Procore's
pages frame it, so the panel allows them in `frame-ancestors` and sends no `X-Frame-Options`;
the sign-in page (signin_pages.py) is never framed (Procore's own login will not render in a
frame either), it opens in a popup. The session is a signed cookie with `SameSite=None; Secure`:
set by the popup at top level, and again, partitioned (CHIPS), from inside the frame through a
short-lived hand-off token the popup posts to the panel, for browsers that block third-party
cookies."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from coverwatch.compliance import service as compliance
from coverwatch.errors import ApprovalBlocked, Forbidden, NotFound
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import User
from coverwatch.orgs.service import Principal
from coverwatch.outreach.summary import outreach_summary
from coverwatch.pagination import PageParams
from coverwatch.procore import records as procore_records
from coverwatch.procore.service import connections_for_company
from coverwatch.projects import service as projects
from coverwatch.projects.models import Project
from coverwatch.settings import get_settings
from coverwatch.vendors import service as vendors
from coverwatch.vendors.models import STATUS_LABELS
from coverwatch.web.panel_context import PanelContext, focused_project_vendor

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

SESSION_COOKIE = "coverwatch_session"
PROCORE_FRAME_ANCESTORS = ("https://*.procore.com", "https://*.procoretech.com")


def static_files() -> StaticFiles:
    """The panel's stylesheet and scripts, to mount at /static."""
    return StaticFiles(directory=str(HERE / "static"))


def frame_ancestors() -> str:
    """The `frame-ancestors` source list: ourselves, Procore, and the configured extras."""
    extra = get_settings().frame_ancestors.split()
    return " ".join(["'self'", *PROCORE_FRAME_ANCESTORS, *extra])


def _framable_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            f"frame-ancestors {frame_ancestors()}; script-src 'self'; object-src 'none'; "
            "base-uri 'none'"
        ),
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


def unframable_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            "frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"
        ),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


def session_secret() -> str:
    """The deployment's secret, which signs sessions and their form tokens."""
    return get_settings().resolved_secret_key


def set_session_cookie(
    response: Response, token: str, *, partitioned: bool, max_age: int = signin.SESSION_SECONDS
) -> None:
    # Written by hand: Starlette's `partitioned` needs Python 3.14. The token is URL-safe base64.
    cookie = f"{SESSION_COOKIE}={token}; Max-Age={max_age}; Path=/; Secure; HttpOnly; SameSite=None"
    response.headers.append("set-cookie", cookie + ("; Partitioned" if partitioned else ""))


def signed_in(request: Request, session: Session) -> tuple[User, str] | None:
    """The signed-in user and their session token, from the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    user = signin.user_of_token(session, session_secret(), token)
    return (user, token) if user is not None else None


def signin_redirect(next_path: str) -> RedirectResponse:
    """Send a signed-out visitor to sign in, and back to `next_path` afterwards."""
    return RedirectResponse("/signin?" + urlencode({"next": next_path}), status_code=303)


def safe_next(value: str | None) -> str:
    # Only a path on this site: an open redirect would let any page borrow our sign-in.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/procore/panel"


def _find_project(
    session: Session, *, principal: Principal, company_id: str, project_id: str
) -> Project:
    """The coverwatch project for a Procore company and project, within the caller's org."""
    if not company_id.isdigit() or not project_id.isdigit():
        raise NotFound("this Procore project is not tracked in coverwatch")
    connected = any(
        c.org_id == principal.org_id
        for c in connections_for_company(session, company_id=int(company_id))
    )
    found = None
    if connected:
        found = projects.find_by_external_id(
            session,
            org_id=principal.org_id,
            entity_type="project",
            system="procore",
            external_id=project_id,
        )
    if found is None:
        raise NotFound("this Procore project is not tracked in your coverwatch organization")
    return projects.get_project(session, org_id=principal.org_id, project_id=found)


def _vendor_rows(session: Session, *, project: Project) -> list[dict[str, Any]]:
    rows, _total = vendors.list_project_vendors(
        session, org_id=project.org_id, project_id=project.id, params=PageParams(per_page=500)
    )
    described = [compliance.describe_project_vendor(session, project_vendor=pv) for pv in rows]
    for row in described:
        row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
        row["outreach"] = outreach_summary(
            session, project_vendor_id=row["id"], vendor_id=row["vendor_id"]
        )
        row["procore_records"] = [
            procore_records.summary_line(r)
            for r in procore_records.for_project_vendor(session, project_vendor_id=row["id"])
        ]
    return sorted(described, key=lambda row: row["vendor_name"].lower())


def _render_panel(
    request: Request,
    session: Session,
    *,
    where: PanelContext,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    signed = signed_in(request, session)
    base: dict[str, Any] = {
        "where": where,
        "panel_url": where.url(),
        "project_url": where.whole_project().url(),
        "signin_url": "/signin?" + urlencode({"popup": "1"}),
        "procore_origins": " ".join(
            [*PROCORE_FRAME_ANCESTORS, *get_settings().frame_ancestors.split()]
        ),
    }
    if signed is None:
        return templates.TemplateResponse(
            request,
            "panel.html",
            {**base, "signed_in": False},
            status_code=status_code,
            headers=_framable_headers(),
        )
    user, token = signed
    principal = signin.principal_of(user)
    try:
        project = _find_project(
            session, principal=principal, company_id=where.company_id, project_id=where.project_id
        )
    except NotFound as exc:
        return templates.TemplateResponse(
            request,
            "panel.html",
            {**base, "signed_in": True, "user": user, "not_found": exc.message},
            status_code=404,
            headers=_framable_headers(),
        )
    can_approve = user.role in compliance.APPROVER_ROLES
    rows = _vendor_rows(session, project=project)
    focus_id, focus_note = focused_project_vendor(
        session, org_id=principal.org_id, project_id=project.id, where=where
    )
    if where.record_kind is not None:
        # A side panel on one vendor or contract shows that sub alone.
        rows = [row for row in rows if row["id"] == focus_id]
    return templates.TemplateResponse(
        request,
        "panel.html",
        {
            **base,
            "signed_in": True,
            "user": user,
            "project": project,
            "rows": rows,
            "focused": where.record_kind is not None,
            "focus_note": focus_note,
            "can_approve": can_approve,
            "approver_roles": [r.replace("_", " ") for r in compliance.APPROVER_ROLES],
            "form_token": signin.form_token(session_secret(), token),
            **context,
        },
        status_code=status_code,
        headers=_framable_headers(),
    )


@router.get("/procore/panel", response_class=HTMLResponse)
def panel(request: Request, session: DbSession) -> HTMLResponse:
    """The project's vendors, their status and open deficiencies, with an approve action."""
    approved = request.query_params.get("approved")
    return _render_panel(
        request,
        session,
        where=PanelContext.from_values(request.query_params),
        approved_id=int(approved) if approved and approved.isdigit() else None,
    )


@router.post("/procore/panel/approve", response_class=HTMLResponse, response_model=None)
def panel_approve(
    request: Request,
    session: DbSession,
    # The names of the panel's query, so that a form and a link say the same.
    companyId: str = Form(...),
    projectId: str = Form(...),
    project_vendor_id: int = Form(...),
    form_token: str = Form(""),
    view: str = Form(""),
    resourceId: str = Form(""),
) -> Response:
    """Approve one vendor through the gate; a refusal is shown on the panel in plain words."""
    where = PanelContext.from_values(
        {"companyId": companyId, "projectId": projectId, "view": view, "resourceId": resourceId}
    )
    signed = signed_in(request, session)
    if signed is None:
        return _render_panel(
            request,
            session,
            where=where,
            status_code=401,
        )
    user, token = signed
    expected = signin.form_token(session_secret(), token)
    if not hmac.compare_digest(form_token, expected):
        return _render_panel(
            request,
            session,
            where=where,
            status_code=403,
            error="The page was out of date. Please try again.",
        )
    principal = signin.principal_of(user)
    try:
        project = _find_project(
            session, principal=principal, company_id=where.company_id, project_id=where.project_id
        )
        project_vendor = vendors.get_project_vendor(
            session, org_id=principal.org_id, project_vendor_id=project_vendor_id
        )
        if project_vendor.project_id != project.id:
            raise NotFound("this vendor is not on this project")
        compliance.approve(session, project_vendor=project_vendor, principal=principal)
    except ApprovalBlocked as exc:
        # Like the API, a refused approval changes nothing.
        session.rollback()
        details = exc.details or {}
        return _render_panel(
            request,
            session,
            where=where,
            status_code=409,
            blocked={
                "project_vendor_id": project_vendor_id,
                "message": exc.message,
                "deficiencies": details.get("deficiencies", []),
            },
        )
    except Forbidden as exc:
        session.rollback()
        return _render_panel(
            request,
            session,
            where=where,
            status_code=403,
            error=exc.message.capitalize() + ".",
        )
    except NotFound:
        session.rollback()
        return _render_panel(
            request,
            session,
            where=where,
            status_code=404,
            error="That vendor is not on this project.",
        )
    return RedirectResponse(where.url(approved=str(project_vendor_id)), status_code=303)


@router.post("/procore/panel/session", response_model=None)
def panel_session(
    session: DbSession, handoff: str = Form(...), next: str = Form("/procore/panel")
) -> Response:
    """Turn the popup's hand-off token into a session cookie set from inside the frame."""
    user = signin.user_of_token(session, session_secret(), handoff, purpose="handoff")
    response = RedirectResponse(safe_next(next), status_code=303)
    if user is not None:
        token = signin.make_token(session_secret(), user=user)
        set_session_cookie(response, token, partitioned=True)
    return response
