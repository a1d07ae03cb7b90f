"""Jobs of bulk imports: reading each file on the workers, the summary, applying a confirmed one."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.db import after_commit, session_scope, utcnow
from coverwatch.errors import CoverwatchError
from coverwatch.imports import service, start
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.jobs import huey
from coverwatch.settings import get_settings
from coverwatch.storage import get_store

log = logging.getLogger(__name__)
_settings = get_settings()


@huey.task(retries=2, retry_delay=30)
def read_import_file_job(file_id: int) -> str | None:
    """Read one file of an import and match it to a vendor of the list; safe to repeat."""
    from coverwatch.parsing.document import parse_document

    with session_scope() as session:
        file = session.get(ImportFile, file_id)
        if file is None or file.state != "waiting" or file.document_id is None:
            return None
        import_id = file.import_id
        document = service.document_of(session, org_id=file.org_id, document_id=file.document_id)
        content, filename = get_store().get(document.sha256), document.filename
    # Parsing runs outside any transaction: a scan takes seconds and needs no database.
    data, error = None, None
    try:
        data = parse_document(content, filename=filename)
    except CoverwatchError as exc:
        error = exc.message
    except Exception as exc:  # one bad file must not stop the import: report it and go on
        log.exception("import file %s could not be read", file_id)
        error = f"could not be read ({exc.__class__.__name__})"
    with session_scope() as session:
        file = session.get(ImportFile, file_id)
        if file is None:
            return None
        service.record_reading(session, file=file, data=data, error=error)
        state = file.state
        # Checked after this commit, so the last of several parallel readers sees no waiting file.
        after_commit(session, lambda: finish_import_job(import_id))
    return state


@huey.task(retries=2, retry_delay=10)
def finish_import_job(import_id: int) -> bool:
    """Write the summary once every file is read; nothing while some still wait."""
    with session_scope() as session:
        run = session.get(ImportRun, import_id)
        return run is not None and service.finish_if_read(session, run=run)


@huey.task(retries=3, retry_delay=30)
def apply_import_job(import_id: int) -> str | None:
    """Put a confirmed import on file, a batch of vendors per transaction; safe to repeat."""
    totals = {"created": 0, "updated": 0, "unchanged": 0, "certificates": 0, "assigned": 0}
    while True:
        with session_scope() as session:
            run = session.get(ImportRun, import_id)
            if run is None or run.state != "starting":
                return run.state if run else None
            ids = start.pending_vendor_ids(session, run=run)
            if not ids:
                previous = (run.summary or {}).get("progress") or {}
                for key in totals:
                    totals[key] += int(previous.get(key, 0))
                start.finish(session, run=run, totals=totals)
                return run.state
            batch = {k: 0 for k in totals}
            for row_id in ids:
                row = session.get(ImportVendor, row_id)
                assert row is not None
                done = start.apply_vendor(session, run=run, row=row)
                batch["created"] += int(done["created"])
                batch["updated"] += int(done["updated"] and not done["created"])
                batch["unchanged"] += int(not done["created"] and not done["updated"])
                batch["certificates"] += int(done["certificates"])
                batch["assigned"] += int(done["assigned"])
            # What earlier batches did is kept with the import, so a retried job adds it up.
            previous = (run.summary or {}).get("progress") or {}
            run.summary = {
                **run.summary,
                "progress": {k: int(previous.get(k, 0)) + batch[k] for k in totals},
            }


def enqueue_reading(session: Session, *, import_id: int, file_ids: list[int]) -> None:
    """Read the files once the transaction that staged them is committed."""
    after_commit(session, lambda: [read_import_file_job(i) for i in file_ids])
    after_commit(session, lambda: finish_import_job(import_id))


def enqueue_apply(session: Session, *, import_id: int) -> None:
    """Apply a confirmed import once the confirmation is committed."""
    after_commit(session, lambda: apply_import_job(import_id))


def reconcile(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-enqueue import work lost between a commit and its enqueue (or to a dead worker)."""
    cutoff = utcnow() - older_than
    with session_scope() as session:
        waiting = list(
            session.scalars(
                select(ImportFile.id).where(
                    ImportFile.state == "waiting", ImportFile.queued_at < cutoff
                )
            )
        )
        reading = list(session.scalars(select(ImportRun.id).where(ImportRun.state == "reading")))
        starting = list(
            session.scalars(
                select(ImportRun.id).where(
                    ImportRun.state == "starting", ImportRun.confirmed_at < cutoff
                )
            )
        )
    # Files still queued behind a long import are not lost: only an idle queue re-reads them.
    if huey.pending_count() == 0:
        for file_id in waiting:
            read_import_file_job(file_id)
    for import_id in reading:
        finish_import_job(import_id)
    for import_id in starting:
        apply_import_job(import_id)
    return len(waiting) + len(starting)


@huey.periodic_task(crontab(minute=f"*/{max(1, _settings.reconcile_minutes)}"))
def reconcile_imports_job() -> int:
    """Periodic reconciler for imports stuck reading or starting."""
    return reconcile()
