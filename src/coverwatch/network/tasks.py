"""Listeners of the network: evaluations use shared coverage, and follow it when it changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.compliance.tasks import enqueue_after_commit
from coverwatch.network import service
from coverwatch.network.models import NetworkLink
from coverwatch.vendors.models import ProjectVendor

# Evaluations that follow a change of what is on file for the vendor.
ON_FILE_CHANGED = (
    "certificate_added",
    "certificate_read",
    "certificate_reviewed",
    "certificate_withdrawn",
    "cancellation",
    "imported",
    "procore",
)


def on_evaluated(session: Session, event: events.Evaluated) -> None:
    """Coverage changed where it is held: other organizations sharing it re-evaluate."""
    if event.trigger not in ON_FILE_CHANGED:
        return
    project_vendor = session.get(ProjectVendor, event.project_vendor_id)
    if project_vendor is None:
        return
    link = session.scalar(
        select(NetworkLink).where(NetworkLink.vendor_id == project_vendor.vendor_id)
    )
    if link is None or service.active_consent(session, identity_id=link.identity_id) is None:
        return
    ids = list(
        session.scalars(
            select(ProjectVendor.id)
            .join(NetworkLink, NetworkLink.vendor_id == ProjectVendor.vendor_id)
            .where(
                NetworkLink.identity_id == link.identity_id,
                NetworkLink.org_id != event.org_id,
                ProjectVendor.tracking.is_(True),
            )
        )
    )
    if ids:
        enqueue_after_commit(session, ids, trigger="network")


def subscribe() -> None:
    """Use shared coverage in evaluations and follow changes to it."""
    service.subscribe()
    events.subscribe(events.Evaluated, on_evaluated)


subscribe()
