"""One line on what coverwatch is asking of a sub right now, for the dashboard and the panel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.outreach.cadence import local_time
from coverwatch.outreach.models import OutreachNotice, OutreachRequest
from coverwatch.outreach.service import (
    agent_address,
    being_read,
    outreach_settings,
    producer_email_refused,
    sub_addresses,
)
from coverwatch.vendors.models import ProjectVendor, Vendor


def outreach_summary(
    session: Session, *, project_vendor_id: int, vendor_id: int | None = None
) -> str | None:
    """One line on what coverwatch is asking of a sub right now, for the GC's views."""
    request = session.scalar(
        select(OutreachRequest)
        .where(
            OutreachRequest.project_vendor_id == project_vendor_id,
            OutreachRequest.state == "open",
            OutreachRequest.kind.in_(("collection", "deficiency")),
        )
        .order_by(OutreachRequest.id.desc())
    )
    if request is None and vendor_id is not None:
        # Renewals are asked of the vendor once, whatever its projects.
        request = session.scalar(
            select(OutreachRequest)
            .where(
                OutreachRequest.vendor_id == vendor_id,
                OutreachRequest.state == "open",
                OutreachRequest.kind == "renewal",
            )
            .order_by(OutreachRequest.anchor_date)
        )
    if request is None:
        return None
    sent = session.execute(
        select(OutreachNotice.created_at, OutreachNotice.role).where(
            OutreachNotice.request_id == request.id
        )
    ).all()
    what = {
        "collection": "Certificate requested",
        "deficiency": "Fix list sent",
        "renewal": "Renewal requested",
    }[request.kind]
    vendor = session.get(Vendor, request.vendor_id)
    sub_reachable = vendor is not None and bool(sub_addresses(session, vendor=vendor))
    roles = {role for _, role in sent}
    refused = None
    if vendor is not None and request.kind in ("deficiency", "renewal") and "agent" not in roles:
        refused = producer_email_refused(session, vendor=vendor)
    agent_note = (
        f"; its agent not written to: {refused} (read from its certificate)" if refused else ""
    )
    if not sent:
        why = _why_not_sent(session, request=request, sub_reachable=sub_reachable)
        return f"{what}: {why}{agent_note}"
    last = max(at for at, _ in sent)
    emails = len({at for at, _ in sent})
    if roles == {"agent"}:
        who = "the sub's agent" + ("" if sub_reachable else " (no address on file for the sub)")
    else:
        who = "the sub and its agent" if "agent" in roles else "the sub"
    plural = "s" if emails != 1 else ""
    return f"{what} to {who}; {emails} email{plural}, last on {last:%b} {last.day}{agent_note}"


def _why_not_sent(session: Session, *, request: OutreachRequest, sub_reachable: bool) -> str:
    """Why a request has no email yet, as it is: no address, a review first, or office hours."""
    vendor = session.get(Vendor, request.vendor_id)
    if not sub_reachable and (
        request.kind == "collection"
        or vendor is None
        or agent_address(session, vendor=vendor) is None
    ):
        return "no email address on file for this sub"
    pv = (
        session.get(ProjectVendor, request.project_vendor_id) if request.project_vendor_id else None
    )
    if pv is not None and pv.status == "needs_review":
        return "waiting for the review of its certificate"
    if being_read(session, vendor_id=request.vendor_id):
        return "waiting while its new certificate is read"
    local = local_time(outreach_settings(session, org_id=request.org_id))
    now = clock.now()
    if not local.is_business_time(now) and (
        request.kind == "renewal" or request.anchor_date < local.day_of(now)
    ):
        at = local.next_business_time(now)
        return f"the first email goes out {at:%a %b} {at.day}, {at:%H:%M}"
    return "the first email is being sent"
