"""Jobs of outreach: planning after each evaluation and on a timer, sending, the weekly digest."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from huey import crontab
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from coverwatch import clock, events
from coverwatch.certificates.models import PolicyRow
from coverwatch.db import after_commit, session_scope
from coverwatch.jobs import huey
from coverwatch.orgs.models import Organization
from coverwatch.outreach import digest, emails, planner, service
from coverwatch.outreach.cadence import OutreachSettings, settings_of
from coverwatch.outreach.models import OutreachRequest
from coverwatch.vendors.models import ProjectVendor, Vendor

log = logging.getLogger(__name__)
BATCH = 200


@huey.task(retries=3, retry_delay=60)
def deliver_email_job(email_id: int) -> str:
    """Send one email; a retryable failure is scheduled again with backoff."""
    state = emails.deliver(email_id)
    if state == "queued":
        with session_scope() as session:
            email = session.get(emails.OutboundEmail, email_id)
            delay = emails.retry_delay(email.attempts if email else 1)
        deliver_email_job.schedule((email_id,), delay=int(delay.total_seconds()))
    return state


def enqueue_delivery(session: Session, email_ids: list[int]) -> None:
    """Send emails once the transaction that created them is committed."""
    if email_ids:
        after_commit(session, lambda: [deliver_email_job(i) for i in email_ids])


@huey.task(retries=2, retry_delay=30)
def plan_project_vendor_job(project_vendor_id: int) -> int:
    """Bring one project vendor's requests up to date and send what is due; safe to repeat."""
    with session_scope() as session:
        project_vendor = session.get(ProjectVendor, project_vendor_id)
        if project_vendor is None:
            return 0
        settings = service.outreach_settings(session, org_id=project_vendor.org_id)
        vendor = session.get(Vendor, project_vendor.vendor_id)
        assert vendor is not None
        now = clock.now()
        items = planner.plan_project_vendor(
            session, project_vendor=project_vendor, settings=settings, now=now
        )
        items += planner.plan_renewals(session, vendor=vendor, settings=settings, now=now)
        created = emails.dispatch(session, items=items)
        enqueue_delivery(session, created)
        return len(created)


def plan_all(*, org_id: int | None = None) -> int:
    """Plan every project vendor and vendor (the timer, and `coverwatch outreach run`)."""
    now = clock.now()
    # Tracked subs, and removed ones whose requests are still open (to close them).
    still_open = select(OutreachRequest.project_vendor_id).where(
        OutreachRequest.state == "open", OutreachRequest.project_vendor_id.is_not(None)
    )
    subs = select(ProjectVendor).where(
        or_(ProjectVendor.tracking.is_(True), ProjectVendor.id.in_(still_open))
    )
    created = _plan_in_batches(
        subs.where(ProjectVendor.org_id == org_id) if org_id is not None else subs,
        ProjectVendor.id,
        lambda session, pv, settings: planner.plan_project_vendor(
            session, project_vendor=pv, settings=settings, now=now
        ),
    )
    with session_scope() as session:
        org_settings = session.scalars(select(Organization.settings)).all()
    horizon = max((settings_of(o).renewal[0] for o in org_settings), default=0)
    today = clock.today()
    # Only vendors with a policy near its expiry, or a renewal request still open: the rest
    # have nothing to renew (a superset; plan_renewals decides exactly).
    near = select(PolicyRow.vendor_id).where(
        PolicyRow.expiration_date >= today - timedelta(days=planner.RENEWAL_GRACE_DAYS + 1),
        PolicyRow.expiration_date <= today + timedelta(days=horizon + 1),
    )
    renewing = select(OutreachRequest.vendor_id).where(
        OutreachRequest.state == "open", OutreachRequest.kind == "renewal"
    )
    vendors = select(Vendor).where(or_(Vendor.id.in_(near), Vendor.id.in_(renewing)))
    return created + _plan_in_batches(
        vendors.where(Vendor.org_id == org_id) if org_id is not None else vendors,
        Vendor.id,
        lambda session, vendor, settings: planner.plan_renewals(
            session, vendor=vendor, settings=settings, now=now
        ),
    )


def _plan_in_batches(
    statement: Select[Any],
    key: Any,
    plan_one: Callable[[Session, Any, OutreachSettings], list[planner.Item]],
) -> int:
    """Plan the rows of `statement` a batch per transaction; the number of emails created."""
    created, last_id = 0, 0
    while True:
        # Items of a whole batch go out together: twenty reminders for one person, one email.
        with session_scope() as session:
            rows = list(session.scalars(statement.where(key > last_id).order_by(key).limit(BATCH)))
            items = []
            for row in rows:
                settings = service.outreach_settings(session, org_id=row.org_id)
                items += plan_one(session, row, settings)
            ids = emails.dispatch(session, items=items)
            enqueue_delivery(session, ids)
            created += len(ids)
        if not rows:
            return created
        last_id = rows[-1].id


def resend_due() -> list[int]:
    """Re-enqueue emails that are due (a retry time passed, or a worker died while sending)."""
    ids = emails.due_email_ids()
    for email_id in ids:
        deliver_email_job(email_id)
    return ids


@huey.periodic_task(crontab(minute="*/15"))
def plan_all_job() -> int:
    """Reminders and renewals on cadence, in each recipient's business hours."""
    return plan_all()


@huey.periodic_task(crontab(minute="*"))
def resend_due_job() -> int:
    """Periodic retry of emails whose send failed or was interrupted."""
    return len(resend_due())


@huey.periodic_task(crontab(minute="30"))
def weekly_digest_job() -> int:
    """The weekly summary to each organization's risk managers, on its digest day."""
    sent = 0
    with session_scope() as session:
        org_ids = list(session.scalars(select(Organization.id)))
    for org_id in org_ids:
        with session_scope() as session:
            ids = digest.send_weekly_digest(session, org_id=org_id)
            enqueue_delivery(session, ids)
            sent += len(ids)
    return sent


def on_evaluated(session: Session, event: events.Evaluated) -> None:
    """After an evaluation, bring the sub's requests up to date (the timer covers the sweep)."""
    if event.trigger == "daily":
        return
    after_commit(session, lambda: plan_project_vendor_job(event.project_vendor_id))


def subscribe() -> None:
    """Listen to the events that start or stop outreach."""
    events.subscribe(events.Evaluated, on_evaluated)


subscribe()
