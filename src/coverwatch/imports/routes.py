"""HTTP endpoints of bulk imports: upload, map, run, follow, fix the queue, start tracking."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from coverwatch.db import session_scope
from coverwatch.errors import InvalidInput
from coverwatch.imports import service, start, summary, tasks
from coverwatch.imports.models import ImportRun
from coverwatch.imports.schemas import (
    ImportFileOut,
    ImportOut,
    ImportVendorOut,
    MappingIn,
    PickIn,
)
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, get_principal, require_role
from coverwatch.pagination import Page, PageParams, page_of, page_params

router = APIRouter(tags=["imports"])
IMPORT_ROLES = ("admin", "risk_manager")

UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "vendors": {"type": "string", "format": "binary"},
                        "certificates": {"type": "string", "format": "binary"},
                        "project_id": {"type": "integer"},
                        "mapping": {"type": "string", "description": "JSON: field to column"},
                        "run": {"type": "boolean", "default": True},
                    },
                    "required": ["vendors"],
                }
            }
        },
    }
}


def import_out(session: DbSession, run: ImportRun) -> ImportOut:
    """An import as the API returns it, with its progress and the first rows as mapped."""
    out = ImportOut.model_validate(run)
    out.progress = summary.progress(session, run=run)
    if run.state == "mapping":
        out.preview = service.preview_rows(session, run=run)
    return out


@router.post(
    "/imports",
    response_model=ImportOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a bulk import",
    openapi_extra=UPLOAD_DOC,
    responses={413: {"description": "An upload beyond the limit, or a ZIP bomb"}},
)
async def create_import(request: Request) -> ImportOut:
    """Upload a vendor list (CSV or XLSX) and a ZIP of certificates. The columns are mapped by
    their headers (or by `mapping`); with `run` (the default) the files are then read by the
    job workers. Nothing is put on file, and no one is emailed, until `POST .../start`."""
    await run_in_threadpool(_authorize, request)
    form = await request.form(max_files=2)
    uploads = {k: v for k, v in form.multi_items() if isinstance(v, UploadFile)}
    if "vendors" not in uploads:
        raise InvalidInput("send the vendor list as a form field named 'vendors'")
    sheet = uploads["vendors"]
    archive = uploads.get("certificates")
    files = (
        sheet.filename or "vendors",
        await sheet.read(),
        (archive.filename or "certificates.zip") if archive else None,
        await archive.read() if archive else None,
    )
    fields = {k: str(v) for k, v in form.multi_items() if not isinstance(v, UploadFile)}
    return await run_in_threadpool(_create, request, files, fields)


def _authorize(request: Request) -> None:
    with session_scope() as session:
        principal = get_principal(request, session)
        require_role(principal, *IMPORT_ROLES, action="importing vendors")


def _create(
    request: Request,
    files: tuple[str, bytes, str | None, bytes | None],
    fields: dict[str, str],
) -> ImportOut:
    sheet_name, sheet, archive_name, archive = files
    try:
        mapping = json.loads(fields["mapping"]) if fields.get("mapping") else None
        project_id = int(fields["project_id"]) if fields.get("project_id") else None
    except (ValueError, TypeError) as exc:
        raise InvalidInput("mapping must be JSON and project_id a number") from exc
    with session_scope() as session:
        principal = get_principal(request, session)
        run = service.create_import(
            session,
            org_id=principal.org_id,
            actor=principal.actor,
            sheet=sheet,
            sheet_name=sheet_name,
            archive=archive,
            archive_name=archive_name or "certificates.zip",
            project_id=project_id,
            mapping=mapping if isinstance(mapping, dict) else None,
        )
        if fields.get("run", "true").lower() not in ("false", "0", "no"):
            tasks.enqueue_reading(
                session, import_id=run.id, file_ids=service.run_import(session, run=run)
            )
        import_id = run.id
    with session_scope() as session:
        return import_out(session, session.get(ImportRun, import_id))  # type: ignore[arg-type]


@router.get("/imports", response_model=Page[ImportOut], summary="List imports")
def list_imports(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ImportOut]:
    """The organization's imports, newest first."""
    rows, total = service.list_imports(session, org_id=principal.org_id, params=params)
    return page_of([import_out(session, r) for r in rows], params=params, total=total)


@router.get("/imports/{import_id}", response_model=ImportOut, summary="Get an import")
def get_import(session: DbSession, principal: CurrentPrincipal, import_id: int) -> ImportOut:
    """An import's state, progress (files per state) and, once read, its summary."""
    return import_out(
        session, service.get_import(session, org_id=principal.org_id, import_id=import_id)
    )


@router.put("/imports/{import_id}/mapping", response_model=ImportOut, summary="Correct the mapping")
def put_mapping(
    session: DbSession, principal: CurrentPrincipal, import_id: int, body: MappingIn
) -> ImportOut:
    """Say which column holds which field (before the import is run)."""
    require_role(principal, *IMPORT_ROLES, action="importing vendors")
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    service.set_mapping(session, run=run, mapping=body.mapping, project_id=body.project_id)
    return import_out(session, run)


@router.post(
    "/imports/{import_id}/run",
    response_model=ImportOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Read the files",
)
def run_import(session: DbSession, principal: CurrentPrincipal, import_id: int) -> ImportOut:
    """Stage the list with the mapping and read the certificates on the workers (once)."""
    require_role(principal, *IMPORT_ROLES, action="importing vendors")
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    tasks.enqueue_reading(session, import_id=run.id, file_ids=service.run_import(session, run=run))
    return import_out(session, run)


@router.get(
    "/imports/{import_id}/vendors",
    response_model=Page[ImportVendorOut],
    summary="The vendors an import stages",
)
def list_vendors(
    session: DbSession,
    principal: CurrentPrincipal,
    import_id: int,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ImportVendorOut]:
    """Each vendor of the list: merged rows, problems, create or update, previewed status."""
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    rows, total = summary.list_vendors(session, run=run, params=params)
    return page_of([ImportVendorOut.model_validate(r) for r in rows], params=params, total=total)


@router.get(
    "/imports/{import_id}/files", response_model=Page[ImportFileOut], summary="An import's files"
)
def list_files(
    session: DbSession,
    principal: CurrentPrincipal,
    import_id: int,
    params: Annotated[PageParams, Depends(page_params)],
    queue: bool = False,
) -> Page[ImportFileOut]:
    """Each file with what was read and its match; `queue=true`: those a person must assign."""
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    rows, total = summary.list_files(session, run=run, params=params, queue=queue)
    return page_of([ImportFileOut.model_validate(f) for f in rows], params=params, total=total)


@router.put(
    "/imports/{import_id}/files/{file_id}",
    response_model=ImportFileOut,
    summary="Assign a queued file to a vendor",
)
def pick_vendor(
    session: DbSession, principal: CurrentPrincipal, import_id: int, file_id: int, body: PickIn
) -> ImportFileOut:
    """A person's choice of vendor for a file the name match left in the queue."""
    require_role(principal, *IMPORT_ROLES, action="importing vendors")
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    file = service.get_file(session, run=run, file_id=file_id)
    service.pick_vendor(session, run=run, file=file, import_vendor_id=body.import_vendor_id)
    return ImportFileOut.model_validate(file)


@router.post(
    "/imports/{import_id}/start",
    response_model=ImportOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Confirm the summary and start tracking",
    responses={409: {"description": "The files are still being read"}},
)
def start_tracking(session: DbSession, principal: CurrentPrincipal, import_id: int) -> ImportOut:
    """Put the vendors, assignments and certificates on file; collection requests, fix lists
    and renewals then follow as for any vendor. A second call changes nothing."""
    require_role(principal, *IMPORT_ROLES, action="starting tracking of an import")
    run = service.get_import(session, org_id=principal.org_id, import_id=import_id)
    if start.confirm(session, run=run, actor=principal.actor):
        tasks.enqueue_apply(session, import_id=run.id)
    return import_out(session, run)
