"""The dashboard's bulk import: upload, map the columns, follow the reading, fix the queue, start.

The same flow as `coverwatch import` and `POST /api/v1/imports`; nothing is emailed until the
risk manager presses "Start tracking" under the summary.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError, PayloadTooLarge
from coverwatch.imports import service, start, summary, tasks
from coverwatch.imports.models import ImportRun
from coverwatch.imports.sheets import FIELD_LABELS, FIELDS
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import Organization, User
from coverwatch.pagination import PageParams
from coverwatch.projects.models import Project
from coverwatch.settings import get_settings
from coverwatch.web.panel import (
    session_secret,
    signed_in,
    signin_redirect,
    templates,
    unframable_headers,
)

router = APIRouter(include_in_schema=False)
IMPORT_ROLES = ("admin", "risk_manager")
ALL = PageParams(page=1, per_page=5000)


def _page(
    request: Request, session: Session, *, user: User, token: str, **context: Any
) -> HTMLResponse:
    status = int(context.pop("status_code", 200))
    base = {
        "org": session.get(Organization, user.org_id),
        "user": user,
        "can_import": user.role in IMPORT_ROLES,
        "form_token": signin.form_token(session_secret(), token),
        "labels": FIELD_LABELS,
        "fields": FIELDS,
        "projects": list(
            session.scalars(
                select(Project).where(Project.org_id == user.org_id).order_by(Project.name)
            )
        ),
    }
    return templates.TemplateResponse(
        request,
        "dashboard_imports.html",
        {**base, **context},
        status_code=status,
        headers=unframable_headers(),
    )


def _detail(session: Session, run: ImportRun) -> dict[str, Any]:
    vendors, _ = summary.list_vendors(session, run=run, params=ALL)
    queue, _ = summary.list_files(session, run=run, params=ALL, queue=True)
    files, _ = summary.list_files(session, run=run, params=ALL)
    return {
        "run": run,
        "progress": summary.progress(session, run=run),
        "preview": service.preview_rows(session, run=run) if run.state == "mapping" else [],
        "vendors": vendors,
        "vendor_names": {v.id: v.legal_name or v.name for v in vendors},
        "queue": queue,
        "files": [f for f in files if f.state not in ("read",) or f.import_vendor_id is None][:200],
        "matched": [f for f in files if f.import_vendor_id is not None][:500],
    }


@router.get("/dashboard/imports", response_class=HTMLResponse, response_model=None)
def imports_page(request: Request, session: DbSession) -> Response:
    """The upload form and the organization's earlier imports."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect("/dashboard/imports")
    user, token = signed
    runs, _ = service.list_imports(session, org_id=user.org_id, params=PageParams(per_page=20))
    return _page(request, session, user=user, token=token, runs=runs, limit_mb=upload_limit_mb())


@router.post("/dashboard/imports", response_class=HTMLResponse, response_model=None)
async def upload(request: Request) -> Response:
    """Store the uploaded list and ZIP, and show the column mapping to confirm."""
    form = await request.form(max_files=2)
    sheet, archive = form.get("vendors"), form.get("certificates")
    contents = {
        "sheet": (sheet.filename or "vendors", await sheet.read())
        if isinstance(sheet, UploadFile)
        else None,
        "archive": (archive.filename or "certificates.zip", await archive.read())
        if isinstance(archive, UploadFile) and archive.filename
        else None,
    }
    with session_scope() as session:
        signed = signed_in(request, session)
        if signed is None:
            return signin_redirect("/dashboard/imports")
        user, token = signed
        refusal = _refusal(user, token, str(form.get("form_token", "")))
        if refusal is None and contents["sheet"] is None:
            refusal = ("Choose the vendor list (CSV or XLSX).", 422)
        if refusal is not None:
            return _page(
                request,
                session,
                user=user,
                token=token,
                runs=[],
                error=refusal[0],
                status_code=refusal[1],
            )
        project = str(form.get("project_id", ""))
        try:
            name, content = contents["sheet"]  # type: ignore[misc]
            run = service.create_import(
                session,
                org_id=user.org_id,
                actor=f"user:{user.email}",
                sheet=content,
                sheet_name=name,
                archive=contents["archive"][1] if contents["archive"] else None,
                archive_name=contents["archive"][0] if contents["archive"] else "",
                project_id=int(project) if project.isdigit() else None,
            )
        except CoverwatchError as exc:
            session.rollback()
            status = 413 if isinstance(exc, PayloadTooLarge) else exc.status_code
            error = exc.message[:1].upper() + exc.message[1:] + "."
            return _page(
                request, session, user=user, token=token, runs=[], error=error, status_code=status
            )
        import_id = run.id
    return RedirectResponse(f"/dashboard/imports/{import_id}", status_code=303)


@router.get("/dashboard/imports/{import_id}", response_class=HTMLResponse, response_model=None)
def import_page(request: Request, session: DbSession, import_id: int) -> Response:
    """One import: its mapping, its progress, or its summary and queue."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect(f"/dashboard/imports/{import_id}")
    user, token = signed
    run = session.get(ImportRun, import_id)
    if run is None or run.org_id != user.org_id:
        return Response("Not found", status_code=404)
    return _page(request, session, user=user, token=token, **_detail(session, run))


@router.post(
    "/dashboard/imports/{import_id}/{action}", response_class=HTMLResponse, response_model=None
)
async def import_action(request: Request, import_id: int, action: str) -> Response:
    """map (save the mapping and read the files), pick (a vendor for a queued file), start."""
    form = await request.form()
    with session_scope() as session:
        signed = signed_in(request, session)
        if signed is None:
            return signin_redirect(f"/dashboard/imports/{import_id}")
        user, token = signed
        run = session.get(ImportRun, import_id)
        if run is None or run.org_id != user.org_id:
            return Response("Not found", status_code=404)
        refusal = _refusal(user, token, str(form.get("form_token", "")))
        try:
            if refusal is not None:
                raise _Refused(*refusal)
            if action == "map":
                mapping = {f: form.get(f"map:{f}") or None for f in FIELDS}
                project = str(form.get("project_id", ""))
                service.set_mapping(
                    session,
                    run=run,
                    mapping=mapping,
                    project_id=int(project) if project.isdigit() else None,
                )
                waiting = service.run_import(session, run=run)
                tasks.enqueue_reading(session, import_id=run.id, file_ids=waiting)
            elif action == "pick":
                file = service.get_file(session, run=run, file_id=int(str(form.get("file_id"))))
                chosen = str(form.get("import_vendor_id", ""))
                service.pick_vendor(
                    session,
                    run=run,
                    file=file,
                    import_vendor_id=int(chosen) if chosen.isdigit() else None,
                )
            elif action == "start":
                if start.confirm(session, run=run, actor=f"user:{user.email}"):
                    tasks.enqueue_apply(session, import_id=run.id)
            else:
                return Response("Not found", status_code=404)
        except (CoverwatchError, _Refused) as exc:
            session.rollback()
            message = exc.message if isinstance(exc, CoverwatchError) else str(exc)
            status = exc.status_code if isinstance(exc, CoverwatchError) else exc.status
            run = session.get(ImportRun, import_id)
            assert run is not None
            detail = {**_detail(session, run), "error": message[:1].upper() + message[1:] + "."}
            return _page(request, session, user=user, token=token, status_code=status, **detail)
    return RedirectResponse(f"/dashboard/imports/{import_id}", status_code=303)


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _refusal(user: User, token: str, form_token: str) -> tuple[str, int] | None:
    if not hmac.compare_digest(form_token, signin.form_token(session_secret(), token)):
        return ("The page was out of date; try again", 403)
    if user.role not in IMPORT_ROLES:
        return ("Only a risk manager or an admin can import vendors", 403)
    return None


def upload_limit_mb() -> int:
    """The upload limit, in megabytes, as the form says it."""
    return get_settings().max_upload_bytes // (1024 * 1024)
