"""Jobs of the compliance domain: evaluation, the daily sweep, and the reconciler."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.compliance import service
from coverwatch.db import after_commit, session_scope, utcnow
from coverwatch.jobs import huey
from coverwatch.settings import get_settings
from coverwatch.vendors.models import ProjectVendor

log = logging.getLogger(__name__)
_settings = get_settings()
SWEEP_BATCH = 200


@huey.task(retries=3, retry_delay=10)
def evaluate_project_vendor_job(project_vendor_id: int, trigger: str) -> str | None:
    """Re-evaluate one project vendor; running it twice only records a second evaluation."""
    with session_scope() as session:
        project_vendor = session.get(ProjectVendor, project_vendor_id)
        if project_vendor is None or not project_vendor.tracking:
            return None
        evaluation = service.evaluate_project_vendor(
            session, project_vendor=project_vendor, trigger=trigger
        )
        return evaluation.status


def enqueue_evaluations(project_vendor_ids: list[int], *, trigger: str) -> None:
    """Enqueue one evaluation job per project vendor id."""
    for project_vendor_id in project_vendor_ids:
        evaluate_project_vendor_job(project_vendor_id, trigger)


def enqueue_after_commit(session: Session, project_vendor_ids: list[int], *, trigger: str) -> None:
    """Enqueue evaluations once `session` has committed."""
    after_commit(session, lambda: enqueue_evaluations(project_vendor_ids, trigger=trigger))


def sweep() -> int:
    """Re-evaluate every tracked project vendor for the passing of time; returns how many."""
    done = 0
    last_id = 0
    while True:
        # Short transactions in batches keep SQLite writable for web requests meanwhile.
        with session_scope() as session:
            rows = list(
                session.scalars(
                    select(ProjectVendor)
                    .where(ProjectVendor.tracking.is_(True), ProjectVendor.id > last_id)
                    .order_by(ProjectVendor.id)
                    .limit(SWEEP_BATCH)
                )
            )
            for project_vendor in rows:
                service.evaluate_project_vendor(
                    session, project_vendor=project_vendor, trigger="daily"
                )
        if not rows:
            return done
        done += len(rows)
        last_id = rows[-1].id


def reconcile(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Re-enqueue evaluations left pending by a crash between commit and enqueue."""
    with session_scope() as session:
        ids = list(
            session.scalars(
                select(ProjectVendor.id).where(
                    ProjectVendor.dirty_since.is_not(None),
                    ProjectVendor.dirty_since < utcnow() - older_than,
                    ProjectVendor.tracking.is_(True),
                )
            )
        )
    enqueue_evaluations(ids, trigger="reconcile")
    return ids


@huey.periodic_task(crontab(hour=str(_settings.daily_sweep_hour_utc), minute="0"))
def daily_sweep_job() -> int:
    """The daily sweep: statuses move as policies expire."""
    count = sweep()
    log.info("daily sweep evaluated %d project vendors", count)
    return count


@huey.periodic_task(crontab(minute=f"*/{max(1, _settings.reconcile_minutes)}"))
def reconcile_job() -> int:
    """Periodic reconciler for work stuck in a non-final state."""
    return len(reconcile())


def on_certificate_read(session: Session, event: events.CertificateRead) -> None:
    """A certificate was read: evaluate its vendor on every project, in the same transaction."""
    service.reevaluate_vendor(
        session, org_id=event.org_id, vendor_id=event.vendor_id, trigger="certificate_read"
    )


events.subscribe(events.CertificateRead, on_certificate_read)
