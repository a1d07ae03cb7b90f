"""Deciding what is due: requests opened and closed from each sub's status, steps on cadence.

The planner is state-based: it looks at a project vendor (or a vendor's policies) as it is now
and makes the requests match, then finds the cadence steps due. Running it twice changes nothing,
so it runs after every evaluation and on a timer without coordination.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.compliance import service as compliance
from coverwatch.outreach import cadence, service
from coverwatch.outreach.cadence import LocalTime, OutreachSettings
from coverwatch.outreach.models import OutreachNotice, OutreachRequest
from coverwatch.projects.models import Project
from coverwatch.settings import get_settings
from coverwatch.vendors.models import ProjectVendor, Vendor

# Renewal requests stay open this long after expiry; the lapse alert has told the GC by then.
RENEWAL_GRACE_DAYS = 30


@dataclass
class Item:
    """One step of one request, for one recipient."""

    request: OutreachRequest
    step: int
    recipient: str
    role: str  # sub, agent, gc
    cc: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What one planning pass decided: the items to tell now."""

    items: list[Item] = field(default_factory=list)


def plan_project_vendor(
    session: Session, *, project_vendor: ProjectVendor, settings: OutreachSettings, now: datetime
) -> list[Item]:
    """Match a project vendor's collection, deficiency and lapse requests to its status."""
    open_requests = [
        r
        for r in session.scalars(
            select(OutreachRequest).where(
                OutreachRequest.project_vendor_id == project_vendor.id,
                OutreachRequest.state == "open",
            )
        )
    ]
    if not project_vendor.tracking:
        for request in open_requests:
            service.close_request(session, request=request, reason="vendor_removed")
        return []
    vendor = session.get(Vendor, project_vendor.vendor_id)
    project = session.get(Project, project_vendor.project_id)
    assert vendor is not None and project is not None
    local = cadence.local_time(settings)
    today = local.day_of(now)
    status = project_vendor.status
    wanted: dict[str, tuple[str, dict[str, object]]] = {}
    has_certificate = bool(certificates.on_file(session, org_id=vendor.org_id, vendor_id=vendor.id))
    if status == "pending" and not has_certificate:
        wanted["collection"] = ("", {})
    if status == "non_compliant":
        keys = sorted(
            d.key
            for d in compliance.open_deficiencies(session, project_vendor=project_vendor)
            if not d.uncertain
        )
        # The list of gaps, fingerprinted: a different list is a new notice; the same is not.
        fingerprint = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
        details: dict[str, object] = {"deficiency_keys": keys}
        latest = compliance.latest_evaluation(session, project_vendor=project_vendor)
        if latest is not None and latest.trigger == "template_changed":
            # A risk manager's edit may be a slip put right a minute later: wait before telling.
            grace = timedelta(minutes=get_settings().template_change_grace_minutes)
            details["hold_until"] = (now + grace).isoformat()
        wanted["deficiency"] = (fingerprint, details)
    if status == "expired":
        wanted["lapse"] = (project_vendor.status_changed_at.date().isoformat(), {})
    for request in open_requests:
        if request.kind in ("collection", "deficiency", "lapse") and (
            request.kind not in wanted or wanted[request.kind][0] != request.subject
        ):
            reason = "satisfied" if status in ("compliant", "expiring") else "superseded"
            if request.kind == "collection":
                reason = "document_received"
            service.close_request(session, request=request, reason=reason)
    items: list[Item] = []
    paused = status == "needs_review" or service.being_read(session, vendor_id=vendor.id)
    for kind, (subject, details) in wanted.items():
        request = service.ensure_request(
            session,
            org_id=vendor.org_id,
            kind=kind,
            vendor_id=vendor.id,
            project_vendor=project_vendor,
            subject=subject,
            anchor=today,
            details=details,
        )
        if paused and kind != "lapse":
            continue
        hold = request.details.get("hold_until")
        if hold and now < datetime.fromisoformat(str(hold)):
            continue
        items += _due_items(
            session,
            request=request,
            vendor=vendor,
            project=project,
            settings=settings,
            local=local,
            now=now,
        )
    return items


def plan_renewals(
    session: Session, *, vendor: Vendor, settings: OutreachSettings, now: datetime
) -> list[Item]:
    """Open a renewal request for each line whose latest policy expires soon; close renewed ones."""
    local = cadence.local_time(settings)
    today = local.day_of(now)
    tracked = session.scalar(
        select(
            exists().where(ProjectVendor.vendor_id == vendor.id, ProjectVendor.tracking.is_(True))
        )
    )
    latest: dict[str, tuple[date, str | None]] = {}
    if tracked:
        on_file = certificates.on_file(session, org_id=vendor.org_id, vendor_id=vendor.id)
        for data in certificates.current_view(on_file):
            for policy in data.policies:
                ends = policy.expiration_date
                if ends is not None and (
                    policy.type not in latest or ends > latest[policy.type][0]
                ):
                    latest[policy.type] = (ends, policy.policy_number)
    wanted = {
        f"{kind}:{ends.isoformat()}": (kind, ends, number)
        for kind, (ends, number) in latest.items()
        if ends - timedelta(days=settings.renewal[0]) <= today
        and today <= ends + timedelta(days=RENEWAL_GRACE_DAYS)
    }
    for request in service.find_open(
        session, org_id=vendor.org_id, kind="renewal", vendor_id=vendor.id, project_vendor_id=None
    ):
        if request.subject not in wanted:
            renewed = request.subject.split(":")[0] in latest and tracked
            service.close_request(
                session, request=request, reason="satisfied" if renewed else "vendor_removed"
            )
    if service.being_read(session, vendor_id=vendor.id):
        return []
    items: list[Item] = []
    for subject, (kind, ends, number) in wanted.items():
        request = service.ensure_request(
            session,
            org_id=vendor.org_id,
            kind="renewal",
            vendor_id=vendor.id,
            project_vendor=None,
            subject=subject,
            anchor=ends,
            details={"coverage": kind, "expires": ends.isoformat(), "policy_number": number},
        )
        items += _due_items(
            session,
            request=request,
            vendor=vendor,
            project=None,
            settings=settings,
            local=local,
            now=now,
        )
    return items


def _due_items(
    session: Session,
    *,
    request: OutreachRequest,
    vendor: Vendor,
    project: Project | None,
    settings: OutreachSettings,
    local: LocalTime,
    now: datetime,
) -> list[Item]:
    today = local.day_of(now)
    recipients = _recipients(session, request=request, vendor=vendor, project=project)
    items = []
    for recipient, role in recipients:
        told = session.execute(
            select(OutreachNotice.step, OutreachNotice.created_at).where(
                OutreachNotice.request_id == request.id, OutreachNotice.recipient == recipient
            )
        ).all()
        step = cadence.due_step(
            kind=request.kind,
            anchor=request.anchor_date,
            today=today,
            done=[s for s, _ in told],
            cadences=settings,
            last_sent=max((local.day_of(at) for _, at in told), default=None),
        )
        if step is None:
            continue
        # The first notice answers something that just happened; reminders wait for office hours.
        reminder = step > 0 or request.kind == "renewal" or request.anchor_date < today
        if reminder and not local.is_business_time(now):
            continue
        # "One email a day" merges reminders; it never holds back the first word of a new
        # request (a sub and its agent are told of a new gap at once, whatever went earlier).
        first = step == 0 and request.kind != "renewal"
        if not first and _told_today(
            session, recipient=recipient, request=request, local=local, now=now
        ):
            continue
        cc = []
        if (
            request.kind == "collection"
            and role == "sub"
            and step >= settings.collection_copy_manager_from
            and project is not None
            and project.manager_email
        ):
            cc = [project.manager_email.lower()]
        items.append(Item(request=request, step=step, recipient=recipient, role=role, cc=cc))
    return items


def _recipients(
    session: Session, *, request: OutreachRequest, vendor: Vendor, project: Project | None
) -> list[tuple[str, str]]:
    if request.kind == "lapse":
        return [
            (a, "gc") for a in service.gc_addresses(session, org_id=vendor.org_id, project=project)
        ]
    recipients = [(a, "sub") for a in service.sub_addresses(session, vendor=vendor)]
    if request.kind in ("deficiency", "renewal"):
        agent = service.agent_address(session, vendor=vendor)
        if agent and agent not in {a for a, _ in recipients}:
            recipients.append((agent, "agent"))
    return recipients


def _told_today(
    session: Session, *, recipient: str, request: OutreachRequest, local: LocalTime, now: datetime
) -> bool:
    """At most one email per recipient per project (or, for renewals, per vendor) per day."""
    start = datetime.combine(local.day_of(now), datetime.min.time(), local.zone)
    statement = (
        select(OutreachNotice.id)
        .join(OutreachRequest, OutreachRequest.id == OutreachNotice.request_id)
        .where(
            OutreachNotice.recipient == recipient,
            OutreachNotice.created_at >= start,
            OutreachNotice.request_id != request.id,
        )
    )
    if request.project_id is not None:
        statement = statement.where(OutreachRequest.project_id == request.project_id)
    else:
        statement = statement.where(
            OutreachRequest.vendor_id == request.vendor_id, OutreachRequest.project_id.is_(None)
        )
    return session.scalar(statement.limit(1)) is not None


def today_of(settings: OutreachSettings) -> date:
    """Today in the organization's time zone."""
    return cadence.local_time(settings).day_of(clock.now())
