"""Bulk imports up to the summary: upload, map, stage the list, read and match the files.

Nothing on file changes here: vendors, assignments and certificates are only staged, and the
summary evaluates the staged certificates with the engine without recording anything. They are
put on file by `start.start_tracking`, once a person has confirmed the summary.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Document
from coverwatch.certificates.schemas import CertificateData
from coverwatch.certificates.uploads import check_upload
from coverwatch.errors import CoverwatchError, NotFound, PayloadTooLarge
from coverwatch.imports import archives, matching, sheets, summary
from coverwatch.imports.errors import ImportAlreadyStarted
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.imports.staging import stage_vendors
from coverwatch.pagination import PageParams, paginate
from coverwatch.projects import service as projects
from coverwatch.settings import get_settings
from coverwatch.storage import get_store

DEFICIENT = ("non_compliant", "expired")
COMPLIANT = ("compliant", "expiring")
# An archive may expand to this many times the upload limit in all.
EXPANSION = 40


def create_import(
    session: Session,
    *,
    org_id: int,
    actor: str,
    sheet: bytes,
    sheet_name: str,
    archive: bytes | None = None,
    archive_name: str = "certificates.zip",
    project_id: int | None = None,
    mapping: dict[str, Any] | None = None,
    threshold: float = matching.THRESHOLD,
) -> ImportRun:
    """A new import of a vendor list (and a ZIP of certificates), stored before it is read."""
    limit = get_settings().max_upload_bytes
    for content, name in ((sheet, sheet_name), (archive, archive_name)):
        if content is not None and len(content) > limit:
            raise PayloadTooLarge(f"{name} is {len(content):,} bytes; the limit is {limit:,}")
    # Kept first, so that a file we then refuse is still in the store, not lost.
    sheet_document = certificates.store_document(
        session,
        org_id=org_id,
        content=sheet,
        content_type="text/csv" if not sheet.startswith(b"PK") else "application/zip",
        filename=sheet_name,
        uploaded_by=actor,
    )
    archive_document = None
    if archive is not None:
        archive_document = certificates.store_document(
            session,
            org_id=org_id,
            content=archive,
            content_type="application/zip",
            filename=archive_name,
            uploaded_by=actor,
        )
    table = sheets.read_table(sheet, filename=sheet_name)
    if archive is not None:
        archive_entries(archive)  # a ZIP bomb or a path outside the ZIP is refused now
    if project_id is not None:
        projects.get_project(session, org_id=org_id, project_id=project_id)
    run = ImportRun(
        org_id=org_id,
        project_id=project_id,
        sheet_document_id=sheet_document.id,
        archive_document_id=archive_document.id if archive_document else None,
        headers=table.headers,
        mapping=(
            sheets.check_mapping(mapping, headers=table.headers)
            if mapping
            else sheets.guess_mapping(table.headers)
        ),
        threshold=threshold,
        created_by=actor,
    )
    session.add(run)
    session.flush()
    return run


def archive_entries(content: bytes) -> list[archives.Entry]:
    """The files of an uploaded ZIP under the upload limits."""
    limit = get_settings().max_upload_bytes
    return archives.zip_entries(content, max_entry_bytes=limit, max_total_bytes=EXPANSION * limit)


def get_import(session: Session, *, org_id: int, import_id: int) -> ImportRun:
    """One of the organization's imports (another tenant's id is not found)."""
    run = session.get(ImportRun, import_id)
    if run is None or run.org_id != org_id:
        raise NotFound(f"no import {import_id}")
    return run


def list_imports(
    session: Session, *, org_id: int, params: PageParams
) -> tuple[list[ImportRun], int]:
    """One page of the organization's imports, newest first."""
    statement = select(ImportRun).where(ImportRun.org_id == org_id).order_by(ImportRun.id.desc())
    return paginate(session, statement, params)


def set_mapping(
    session: Session, *, run: ImportRun, mapping: dict[str, Any], project_id: int | None = None
) -> ImportRun:
    """The user's corrections of the column mapping (before the import is run)."""
    if run.state != "mapping":
        raise ImportAlreadyStarted(f"import {run.id} has been run; its mapping is fixed")
    run.mapping = sheets.check_mapping(mapping, headers=list(run.headers))
    if project_id is not None:
        projects.get_project(session, org_id=run.org_id, project_id=project_id)
        run.project_id = project_id
    session.flush()
    return run


def sheet_table(run: ImportRun, session: Session) -> sheets.Table:
    """The import's vendor list, read again from the store."""
    document = document_of(session, org_id=run.org_id, document_id=run.sheet_document_id)
    return sheets.read_table(get_store().get(document.sha256), filename=document.filename)


def document_of(session: Session, *, org_id: int, document_id: int) -> Document:
    """One of the organization's stored documents."""
    document = session.get(Document, document_id)
    if document is None or document.org_id != org_id:
        raise NotFound(f"no document {document_id}")
    return document


def preview_rows(session: Session, *, run: ImportRun, limit: int = 10) -> list[dict[str, str]]:
    """The first rows of the list as the current mapping reads them."""
    mapping = {k: v for k, v in run.mapping.items() if v is not None}
    return [values for _n, values in sheets.mapped_rows(sheet_table(run, session), mapping)[:limit]]


def run_import(
    session: Session, *, run: ImportRun, entries: list[archives.Entry] | None = None
) -> list[int]:
    """Stage the list's vendors and the files; the ids of the files a worker must read.

    Running an import twice does nothing the second time."""
    if run.state in ("starting", "tracking"):
        raise ImportAlreadyStarted(f"import {run.id} is already being tracked")
    if run.state != "mapping":
        return []
    mapping = sheets.check_mapping(dict(run.mapping), headers=list(run.headers))
    stage_vendors(session, run=run, rows=sheets.mapped_rows(sheet_table(run, session), mapping))
    if entries is None and run.archive_document_id is not None:
        document = document_of(session, org_id=run.org_id, document_id=run.archive_document_id)
        entries = archive_entries(get_store().get(document.sha256))
    staged = [_stage_file(session, run=run, entry=entry) for entry in entries or []]
    waiting = [file_id for file_id in staged if file_id is not None]
    run.state = "reading"
    run.started_at = clock.now()
    session.flush()
    finish_if_read(session, run=run)
    return waiting


def _stage_file(session: Session, *, run: ImportRun, entry: archives.Entry) -> int | None:
    """Record one file of the import; its id when a worker must read it."""
    row = ImportFile(org_id=run.org_id, import_id=run.id, path=entry.path[:500])
    session.add(row)
    if entry.skipped:
        row.state, row.error = "skipped", entry.skipped
        session.flush()
        return None
    try:
        media_type = check_upload(
            entry.content, filename=entry.path, max_bytes=get_settings().max_upload_bytes
        )
    except CoverwatchError as exc:
        row.state, row.error = "skipped", exc.message[:500]
        session.flush()
        return None
    document = certificates.store_document(
        session,
        org_id=run.org_id,
        content=entry.content,
        content_type=media_type,
        filename=entry.path.rsplit("/", 1)[-1],
        uploaded_by=run.created_by,
    )
    row.document_id, row.sha256 = document.id, document.sha256
    session.flush()
    first = session.scalar(
        select(ImportFile).where(
            ImportFile.import_id == run.id,
            ImportFile.sha256 == document.sha256,
            ImportFile.id != row.id,
        )
    )
    if first is not None:
        row.state, row.duplicate_of = "duplicate", first.id
        row.error = f"the same file as {first.path}"[:500]
        session.flush()
        return None
    # The same bytes read by an earlier import: what was read then is read again now.
    earlier = session.scalar(
        select(ImportFile)
        .where(
            ImportFile.org_id == run.org_id,
            ImportFile.sha256 == document.sha256,
            ImportFile.state.in_(("read", "failed")),
        )
        .order_by(ImportFile.id.desc())
        .limit(1)
    )
    if earlier is not None:
        row.state, row.error, row.data = earlier.state, earlier.error, dict(earlier.data)
        row.insured_name, row.method = earlier.insured_name, earlier.method
        match_file(session, file=row, run=run)
        return None
    session.flush()
    return row.id


def record_reading(
    session: Session, *, file: ImportFile, data: CertificateData | None, error: str | None
) -> None:
    """What a worker read from a file (or why it could not), and the vendor it names."""
    if file.state != "waiting":
        return  # read already (a retried or duplicated job)
    if data is None:
        file.state, file.error = "failed", (error or "could not be read")[:500]
    else:
        file.state = "read"
        file.data = data.model_dump(mode="json", by_alias=True)
        file.insured_name = (data.insured.name or "").strip()[:300] or None
        file.method = data.source.method
    run = session.get(ImportRun, file.import_id)
    assert run is not None
    match_file(session, file=file, run=run)


def match_file(session: Session, *, file: ImportFile, run: ImportRun) -> None:
    """Match a read file to a vendor of the list by its insured's name (or leave it queued)."""
    if file.matched_by == "person":
        return
    if file.state != "read":
        file.import_vendor_id, file.match_score, file.match_note = None, None, None
        session.flush()
        return
    rows = list(
        session.scalars(
            select(ImportVendor).where(ImportVendor.import_id == run.id).order_by(ImportVendor.id)
        )
    )
    found = matching.best_match(file.insured_name, [r.name for r in rows], threshold=run.threshold)
    file.match_score = found.score
    file.match_note = found.reason[:200]
    if found.accepted and found.index is not None:
        file.import_vendor_id, file.matched_by = rows[found.index].id, "name"
    else:
        file.import_vendor_id, file.matched_by = None, None
    session.flush()


def pick_vendor(
    session: Session, *, run: ImportRun, file: ImportFile, import_vendor_id: int | None
) -> ImportFile:
    """A person's choice of vendor for a queued file (None puts it back in the queue)."""
    if run.state in ("starting", "tracking"):
        raise ImportAlreadyStarted(f"import {run.id} is already being tracked")
    if import_vendor_id is not None:
        row = session.get(ImportVendor, import_vendor_id)
        if row is None or row.import_id != run.id:
            raise NotFound(f"no vendor {import_vendor_id} in import {run.id}")
    if file.state not in ("read", "failed"):
        raise NotFound(f"file {file.id} is not a certificate to assign")
    file.import_vendor_id = import_vendor_id
    file.matched_by = "person" if import_vendor_id is not None else None
    session.flush()
    if run.state == "ready":
        summary.summarize(session, run=run)
    return file


def get_file(session: Session, *, run: ImportRun, file_id: int) -> ImportFile:
    """One file of an import."""
    file = session.get(ImportFile, file_id)
    if file is None or file.import_id != run.id or file.org_id != run.org_id:
        raise NotFound(f"no file {file_id} in import {run.id}")
    return file


def finish_if_read(session: Session, *, run: ImportRun) -> bool:
    """Once no file is waiting, evaluate the staged vendors and write the summary."""
    if run.state != "reading" or summary.progress(session, run=run).get("waiting", 0):
        return False
    summary.summarize(session, run=run)
    run.state = "ready"
    session.flush()
    return True
