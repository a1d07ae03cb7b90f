"""Jobs of the Procore integration: deliveries, write-backs, the reconciler, the periodic sync."""

from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.db import after_commit, session_scope, utcnow
from coverwatch.jobs import huey
from coverwatch.procore import (
    contract_compliance,
    deliveries,
    disconnect,
    records,
    service,
    sync,
    writeback,
)
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreError, ProcoreForbidden
from coverwatch.procore.models import ProcoreConnection, ProcoreWriteback
from coverwatch.vendors.models import ProjectVendor

log = logging.getLogger(__name__)
writeback.subscribe()

# Procore asks for an hour at most between tries of a failing call; the reconciler goes on
# after the job's own retries are spent, so "retried until it lands" holds across restarts.
RECONCILE_AFTER_SECONDS = 60.0


@huey.task(retries=5, retry_delay=15, retry_backoff=2)
def process_delivery_job(delivery_id: int) -> str | None:
    """Handle one stored webhook delivery."""
    return deliveries.process(delivery_id)


@huey.task(retries=8, retry_delay=15, retry_backoff=2)
def write_back_job(project_vendor_id: int) -> str:
    """Write one project vendor's verdict to Procore."""
    return write_back(project_vendor_id)


def write_back(project_vendor_id: int, *, client: ProcoreClient | None = None) -> str:
    """Read Procore's records, then send and record ours and the commitments' (safe to repeat)."""
    with session_scope() as session:
        row = _row(session, project_vendor_id)
        project_vendor = session.get(ProjectVendor, project_vendor_id)
        if row is None or project_vendor is None:
            return "nothing"
        connection = session.get(ProcoreConnection, row.connection_id)
        where = (
            records.locate(session, project_vendor=project_vendor)
            if connection is not None and connection.active
            else None
        )
        if where is None or connection is None:
            row.state = "skipped"
            return "skipped"
        requested_at = row.requested_at
    client = client or service.client_for(connection)
    try:
        found = records.fetch(client, where=where)
    except ProcoreError as exc:
        _note_failure(project_vendor_id, f"{exc.__class__.__name__}: {exc.message}")
        raise
    with session_scope() as session:
        row = _row(session, project_vendor_id)
        project_vendor = session.get(ProjectVendor, project_vendor_id)
        assert row is not None and project_vendor is not None
        # Before planning: a record a person took over in Procore is left out of what we send.
        records.store(session, connection=connection, where=where, found=found)
        target = writeback.plan(session, connection=connection, project_vendor=project_vendor)
        commitments = contract_compliance.plan(session, project_vendor=project_vendor)
        assert target is not None
        records_changed = row.written_hash != target["hash"]
        if not records_changed and not any(c.changed for c in commitments):
            if row.state != "written":
                row.state, row.written_at = "written", utcnow()  # Procore already has this
            return "unchanged"
    result = None
    if records_changed:
        try:
            result = client.sync_insurances(
                records=target["records"],
                project_id=target["project_id"],
                vendor_id=target["vendor_id"],
            )
        except ProcoreError as exc:
            _note_failure(project_vendor_id, f"{exc.__class__.__name__}: {exc.message}")
            raise
        with session_scope() as session:
            row = _row(session, project_vendor_id)
            assert row is not None
            row.attempts += 1
            writeback.record_written(
                session,
                connection=connection,
                project_vendor_id=project_vendor_id,
                target=target,
                result=result,
            )
            if result.get("errors"):
                # Procore refused a record's content: retrying the same content cannot help.
                row.state, row.last_error = "failed", str(result["errors"])[:500]
                log.warning("Procore refused insurance records: %s", result["errors"])
            else:
                row.written_hash, row.written_at, row.last_error = target["hash"], utcnow(), None
    try:
        answers = contract_compliance.send(client, commitments, records_written=result is not None)
    except ProcoreError as exc:
        _note_failure(project_vendor_id, f"{exc.__class__.__name__}: {exc.message}")
        raise
    with session_scope() as session:
        contract_compliance.record(session, answers)
        if result is not None and result.get("errors"):
            return "failed"
        row = _row(session, project_vendor_id)
        assert row is not None
        # A newer change arrived while we were writing: leave it pending for its own job.
        if row.requested_at == requested_at:
            row.state = "written"
        return "written"


def reconcile() -> dict[str, int]:
    """Re-enqueue deliveries and write-backs left unfinished (a crash, spent retries)."""
    from datetime import timedelta

    delivery_ids = deliveries.reconcile_ids(older_than_seconds=RECONCILE_AFTER_SECONDS)
    with session_scope() as session:
        pending = list(
            session.scalars(
                select(ProcoreWriteback.project_vendor_id).where(
                    ProcoreWriteback.state == "pending",
                    ProcoreWriteback.requested_at
                    < utcnow() - timedelta(seconds=RECONCILE_AFTER_SECONDS),
                )
            )
        )
    for delivery_id in delivery_ids:
        process_delivery_job(delivery_id)
    for project_vendor_id in pending:
        write_back_job(project_vendor_id)
    return {"deliveries": len(delivery_ids), "writebacks": len(pending)}


@huey.periodic_task(crontab(minute="*/5"))
def reconcile_job() -> dict[str, int]:
    """Periodic: finish what webhooks and write-backs left behind."""
    return reconcile()


@huey.periodic_task(crontab(hour="4", minute="15"))
def nightly_sync_job() -> int:
    """Nightly: full reconciliation of every connection, for webhooks Procore never sent."""
    with session_scope() as session:
        ids = list(
            session.scalars(select(ProcoreConnection.id).where(ProcoreConnection.active.is_(True)))
        )
    for connection_id in ids:
        try:
            report = sync.sync_connection(connection_id)
            log.info("Procore sync of connection %s: %s", connection_id, report)
        except ProcoreForbidden as exc:
            if not disconnect.after_forbidden(connection_id, error=exc, actor=sync.ACTOR):
                log.warning("Procore sync of connection %s refused: %s", connection_id, exc.message)
        except ProcoreError as exc:
            log.warning("Procore sync of connection %s failed: %s", connection_id, exc.message)
    return len(ids)


def _on_delivery_stored(session: Session, event: events.ProcoreDeliveryStored) -> None:
    after_commit(session, lambda: process_delivery_job(event.delivery_id))


def _on_writeback_requested(session: Session, event: events.ProcoreWritebackRequested) -> None:
    after_commit(session, lambda: write_back_job(event.project_vendor_id))


events.subscribe(events.ProcoreDeliveryStored, _on_delivery_stored)
events.subscribe(events.ProcoreWritebackRequested, _on_writeback_requested)


def _row(session: Session, project_vendor_id: int) -> ProcoreWriteback | None:
    return session.scalar(
        select(ProcoreWriteback).where(ProcoreWriteback.project_vendor_id == project_vendor_id)
    )


def _note_failure(project_vendor_id: int, error: str) -> None:
    with session_scope() as session:
        row = _row(session, project_vendor_id)
        if row is not None:
            row.attempts += 1
            row.last_error = error[:500]
