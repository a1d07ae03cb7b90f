"""The weekly digest to a GC's risk managers: where compliance stands and what needs a person."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.certificates.models import Certificate, PolicyRow
from coverwatch.orgs.models import Organization, User
from coverwatch.outreach import cadence, emails, service
from coverwatch.outreach.models import OutboundEmail
from coverwatch.vendors import service as vendors
from coverwatch.vendors.models import STATUS_LABELS


def send_weekly_digest(session: Session, *, org_id: int, force: bool = False) -> list[int]:
    """Create this week's digest emails on the digest day, in business hours; new email ids."""
    org = session.get(Organization, org_id)
    if org is None:
        return []
    settings = service.outreach_settings(session, org_id=org_id)
    local = cadence.local_time(settings)
    now = clock.now()
    today = local.day_of(now)
    if not force and (
        today.weekday() != settings.weekly_digest_day or not local.is_business_time(now)
    ):
        return []
    recipients = [
        u.email
        for u in session.scalars(select(User).where(User.org_id == org_id).order_by(User.id))
        if u.role == "risk_manager"
    ]
    if not recipients:
        return []
    week = today.isocalendar()
    counts = vendors.count_by_status(session, org_id=org_id)
    since = datetime.combine(today - timedelta(days=7), datetime.min.time(), local.zone)
    expiring = session.scalar(
        select(func.count(func.distinct(PolicyRow.vendor_id)))
        .join(Certificate, Certificate.id == PolicyRow.certificate_id)
        .where(
            PolicyRow.org_id == org_id,
            Certificate.withdrawn_at.is_(None),
            # Still in force: on its expiration date a policy has already lapsed.
            PolicyRow.expiration_date > today,
            PolicyRow.expiration_date <= today + timedelta(days=30),
        )
    )
    sent_count = session.scalar(
        select(func.count()).where(
            OutboundEmail.org_id == org_id,
            OutboundEmail.created_at >= since,
            OutboundEmail.kind != "digest",
        )
    )
    rows = [(label, str(counts.get(status, 0))) for status, label in STATUS_LABELS.items()]
    subject = f"{org.name}: insurance compliance, week {week.week}"
    context = {
        "headline": subject,
        "lines": [
            f"{sum(counts.values())} subs are tracked on your projects.",
            f"{expiring or 0} vendors have a policy expiring in the next 30 days; renewal "
            "requests go out on their own.",
            f"{sent_count or 0} emails went to subs and agents in the last 7 days.",
        ],
        "rows": rows,
        "link": None,
    }
    created = []
    for address in recipients:
        email, new = emails.create_email(
            session,
            org=org,
            key=f"digest:{address}:{week.year}-{week.week}",
            kind="digest",
            to=address,
            subject=subject,
            template="alert",
            context=context,
        )
        if new:
            created.append(email.id)
    return created
