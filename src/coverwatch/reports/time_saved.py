"""Time saved: what coverwatch did for an organization in a period, from what is stored.

Nothing is counted twice and nothing is stored for the report: it reads the outreach notices
(one per email of a request's step), the certificates and their reviews, the evaluations'
deficiencies, and the status changes of the audit log. The hours saved are an estimate from
assumptions the organization can edit (`settings.reports.assumptions`); docs/onboarding.md
states the defaults and the formula.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.audit.models import AuditEvent
from coverwatch.certificates.models import Certificate
from coverwatch.compliance.models import DeficiencyRow, Evaluation
from coverwatch.errors import InvalidInput
from coverwatch.orgs import service as orgs
from coverwatch.orgs.models import Organization
from coverwatch.outreach.models import OutreachNotice, OutreachRequest
from coverwatch.reports.schemas import Assumptions, TimeSavedOut, Week

MAX_DAYS = 732
# Emails to subs and their agents; a lapse alert goes to the GC and saves no one a letter.
TO_VENDORS = ("collection", "deficiency", "renewal")
GOOD = ("compliant", "expiring")


@dataclass
class Activity:
    """The moments of each thing done in the period."""

    requests: list[datetime] = field(default_factory=list)
    reminders: list[datetime] = field(default_factory=list)
    read: list[datetime] = field(default_factory=list)
    read_alone: list[datetime] = field(default_factory=list)
    deficiencies: int = 0
    to_compliant: list[timedelta] = field(default_factory=list)


def assumptions_of(session: Session, *, org_id: int) -> Assumptions:
    """The organization's assumptions, the defaults where it set none."""
    org = session.get(Organization, org_id)
    stored = ((org.settings or {}) if org else {}).get("reports", {}).get("assumptions")
    return Assumptions.model_validate(stored or {})


def save_assumptions(
    session: Session, *, org_id: int, value: Assumptions, actor: str
) -> Assumptions:
    """Replace the organization's assumptions."""
    org = session.get(Organization, org_id)
    assert org is not None
    reports = dict((org.settings or {}).get("reports", {}))
    before = reports.get("assumptions")
    reports["assumptions"] = value.model_dump(mode="json")
    orgs.set_setting(session, org=org, key="reports", value=reports)
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="report_assumptions_changed",
        entity_type="organization",
        entity_id=org_id,
        before={"assumptions": before},
        after={"assumptions": reports["assumptions"]},
    )
    return value


def period(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The period asked for: the last 30 days by default, both ends included."""
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end:
        raise InvalidInput("'from' is after 'to'")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"a period is at most {MAX_DAYS} days")
    return start, end


def activity(session: Session, *, org_id: int, start: date, end: date) -> Activity:
    """What was done between the first moment of `start` and the last of `end` (UTC)."""
    since = datetime.combine(start, time.min, UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, UTC)
    found = Activity()
    for step, at in session.execute(
        select(OutreachNotice.step, OutreachNotice.created_at)
        .join(OutreachRequest, OutreachRequest.id == OutreachNotice.request_id)
        .where(
            OutreachNotice.org_id == org_id,
            OutreachRequest.kind.in_(TO_VENDORS),
            OutreachNotice.created_at >= since,
            OutreachNotice.created_at < until,
        )
    ):
        (found.requests if step == 0 else found.reminders).append(at)
    reviewed = set(
        session.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.org_id == org_id,
                AuditEvent.action == "certificate_reviewed",
                AuditEvent.entity_type == "certificate",
            )
        )
    )
    for certificate_id, at, needs_review in session.execute(
        select(Certificate.id, Certificate.received_at, Certificate.needs_review).where(
            Certificate.org_id == org_id,
            Certificate.document_id.is_not(None),
            Certificate.state == "parsed",
            Certificate.received_at >= since,
            Certificate.received_at < until,
        )
    ):
        found.read.append(at)
        if not needs_review and certificate_id not in reviewed:
            found.read_alone.append(at)
    found.deficiencies = len(
        set(
            session.execute(
                select(Evaluation.project_vendor_id, DeficiencyRow.key)
                .join(Evaluation, Evaluation.id == DeficiencyRow.evaluation_id)
                .where(
                    DeficiencyRow.org_id == org_id,
                    DeficiencyRow.uncertain.is_(False),
                    Evaluation.created_at >= since,
                    Evaluation.created_at < until,
                )
            ).all()
        )
    )
    found.to_compliant = _to_compliant(session, org_id=org_id, since=since, until=until)
    return found


def _to_compliant(
    session: Session, *, org_id: int, since: datetime, until: datetime
) -> list[timedelta]:
    """For each sub that became compliant in the period: the time since its first request."""
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for entity_id, at, after in session.execute(
        select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.after)
        .where(
            AuditEvent.org_id == org_id,
            AuditEvent.action == "status_changed",
            AuditEvent.entity_type == "project_vendor",
            AuditEvent.at < until,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ):
        if entity_id is not None:
            changes[entity_id].append((at, str((after or {}).get("status"))))
    opened: dict[int, list[datetime]] = defaultdict(list)
    for project_vendor_id, at in session.execute(
        select(OutreachRequest.project_vendor_id, OutreachRequest.opened_at).where(
            OutreachRequest.org_id == org_id,
            OutreachRequest.kind.in_(("collection", "deficiency")),
            OutreachRequest.project_vendor_id.in_(list(changes)),
        )
    ):
        if project_vendor_id is not None:
            opened[project_vendor_id].append(at)
    durations = []
    for project_vendor_id, moves in changes.items():
        previous_good: datetime | None = None
        for at, status in moves:
            if status not in GOOD:
                continue
            # The request this answers was opened after the sub was last compliant.
            asked = [
                o
                for o in opened[project_vendor_id]
                if o <= at and (previous_good is None or o > previous_good)
            ]
            if at >= since and asked:
                durations.append(at - min(asked))
            previous_good = at
    return durations


def _minutes(counts: tuple[int, int, int], assumptions: Assumptions) -> dict[str, int]:
    reviews, emails, follow_ups = counts
    return {
        "reviews": reviews * assumptions.minutes_per_review,
        "emails": emails * assumptions.minutes_per_email,
        "follow_ups": follow_ups * assumptions.minutes_per_follow_up,
    }


def _hours(minutes: dict[str, int]) -> float:
    return round(sum(minutes.values()) / 60, 1)


def report(
    session: Session, *, org_id: int, start: date, end: date, assumptions: Assumptions | None = None
) -> TimeSavedOut:
    """The time-saved report of an organization for a period."""
    assumptions = assumptions or assumptions_of(session, org_id=org_id)
    done = activity(session, org_id=org_id, start=start, end=end)
    minutes = _minutes((len(done.read_alone), len(done.requests), len(done.reminders)), assumptions)
    median = (
        round(statistics.median(d.total_seconds() for d in done.to_compliant) / 3600, 1)
        if done.to_compliant
        else None
    )
    return TimeSavedOut(
        period_from=start,
        period_to=end,
        requests_sent=len(done.requests),
        reminders_sent=len(done.reminders),
        documents_read=len(done.read),
        read_without_person=len(done.read_alone),
        deficiencies_found=done.deficiencies,
        median_hours_to_compliant=median,
        became_compliant=len(done.to_compliant),
        hours_saved=_hours(minutes),
        minutes_saved=minutes,
        assumptions=assumptions,
        weeks=_weeks(done, start=start, end=end, assumptions=assumptions),
    )


def _weeks(done: Activity, *, start: date, end: date, assumptions: Assumptions) -> list[Week]:
    first = start - timedelta(days=start.weekday())
    starts = [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]

    def count(moments: list[datetime]) -> dict[date, int]:
        counted: dict[date, int] = defaultdict(int)
        for moment in moments:
            day = moment.astimezone(UTC).date()
            counted[day - timedelta(days=day.weekday())] += 1
        return counted

    requests, reminders, alone = count(done.requests), count(done.reminders), count(done.read_alone)
    weeks = []
    for monday in starts:
        counts = (alone[monday], requests[monday], reminders[monday])
        weeks.append(
            Week(
                start=max(monday, start),
                requests_sent=requests[monday],
                reminders_sent=reminders[monday],
                read_without_person=alone[monday],
                hours_saved=_hours(_minutes(counts, assumptions)),
            )
        )
    return weeks
