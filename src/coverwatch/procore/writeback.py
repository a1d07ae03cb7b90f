"""Writing coverwatch's verdicts to Procore as vendor insurance records, upserted by origin_id.

Each tracked project vendor has one summary record (the overall verdict) and one record per
coverage on file or required-but-missing. Records go through Procore's sync action, matched on
our `origin_id`, so writing twice (a retried job, two workers) still leaves one record each.
A status change only marks the project vendor `pending` and enqueues the job after commit;
the job (and the reconciler, for jobs lost in a crash) retries until Procore accepted it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock, events
from coverwatch.certificates import service as certificates
from coverwatch.certificates.schemas import CertificateData
from coverwatch.compliance import service as compliance
from coverwatch.compliance.models import DeficiencyRow
from coverwatch.db import utcnow
from coverwatch.procore.models import (
    ProcoreConnection,
    ProcoreInsuranceRecord,
    ProcoreWriteback,
)
from coverwatch.procore.webhooks import WebhookEvent
from coverwatch.projects import service as projects
from coverwatch.requirements.period import has_ended
from coverwatch.vendors.models import ProjectVendor

log = logging.getLogger(__name__)

# Our status → Procore's insurance status vocabulary.
PROCORE_STATUS = {
    "compliant": "compliant",
    "expiring": "compliant",  # still in force; the renewal is being asked for
    "non_compliant": "non_compliant",
    "expired": "expired",
    "needs_review": "undecided",  # a person is looking at the certificate
    "pending": "unregistered",  # nothing on file yet; the certificate was requested
}
COVERAGE_LABELS = {
    "general_liability": "General Liability",
    "auto_liability": "Automobile Liability",
    "umbrella": "Umbrella Liability",
    "excess": "Excess Liability",
    "workers_comp": "Workers Compensation",
}
# The limit Procore's single `limit` field shows for each coverage.
HEADLINE_LIMITS = {
    "general_liability": "each_occurrence",
    "auto_liability": "combined_single_limit",
    "umbrella": "each_occurrence",
    "excess": "each_occurrence",
    "workers_comp": "el_each_accident",
}
INSURANCE_RESOURCES = ("Project Insurances", "Company Insurances")


def request_writeback(
    session: Session, *, project_vendor: ProjectVendor
) -> ProcoreWriteback | None:
    """Mark the project vendor's verdict as to be written, and enqueue the job after commit."""
    connection = _connection_for(session, org_id=project_vendor.org_id)
    if connection is None or connection.writeback_level == "off":
        return None
    if not _linked(session, project_vendor=project_vendor):
        return None
    row = session.scalar(
        select(ProcoreWriteback).where(ProcoreWriteback.project_vendor_id == project_vendor.id)
    )
    if row is None:
        row = ProcoreWriteback(
            org_id=project_vendor.org_id,
            connection_id=connection.id,
            project_vendor_id=project_vendor.id,
            attempts=0,
        )
        session.add(row)
    row.state, row.requested_at, row.connection_id = "pending", utcnow(), connection.id
    session.flush()
    project_vendor_id = project_vendor.id
    scheduled = session.info.setdefault("procore_writebacks", set())
    if project_vendor_id not in scheduled:  # several changes in one transaction: one job
        scheduled.add(project_vendor_id)
        events.emit(session, events.ProcoreWritebackRequested(project_vendor_id=project_vendor_id))
    return row


def on_status_changed(session: Session, event: events.StatusChanged) -> None:
    """Listener: every status change of a Procore-linked project vendor goes to Procore."""
    project_vendor = session.get(ProjectVendor, event.project_vendor_id)
    if project_vendor is not None:
        request_writeback(session, project_vendor=project_vendor)


def subscribe() -> None:
    """Listen to status changes (idempotent)."""
    events.subscribe(events.StatusChanged, on_status_changed)


def plan(
    session: Session, *, connection: ProcoreConnection, project_vendor: ProjectVendor
) -> dict[str, Any] | None:
    """Where and what to write for a project vendor, or None when Procore does not know it."""
    procore_project = projects.external_ids(
        session,
        org_id=project_vendor.org_id,
        entity_type="project",
        entity_id=project_vendor.project_id,
    ).get("procore")
    procore_vendor = projects.external_ids(
        session,
        org_id=project_vendor.org_id,
        entity_type="vendor",
        entity_id=project_vendor.vendor_id,
    ).get("procore")
    if procore_project is None or procore_vendor is None:
        return None
    # A record a person changed in Procore is theirs now: it is left as they made it.
    taken_over = set(
        session.scalars(
            select(ProcoreInsuranceRecord.origin_id).where(
                ProcoreInsuranceRecord.connection_id == connection.id,
                ProcoreInsuranceRecord.project_vendor_id == project_vendor.id,
                ProcoreInsuranceRecord.ours.is_(False),
                ProcoreInsuranceRecord.origin_id.is_not(None),
            )
        )
    )
    records = [
        r
        for r in desired_records(session, project_vendor=project_vendor)
        if r["origin_id"] not in taken_over
    ]
    for record in records:
        # Procore emails the vendor daily around each expiration unless told not to (the
        # default is on); coverwatch's own renewal requests already do that job.
        record["enable_expired_insurance_notifications"] = connection.keep_procore_notifications
    project_id = int(procore_project) if connection.writeback_level == "project" else None
    digest = hashlib.sha256(
        json.dumps([project_id, procore_vendor, records], sort_keys=True, default=str).encode()
    ).hexdigest()
    return {
        "project_id": project_id,
        "vendor_id": int(procore_vendor),
        "records": records,
        "hash": digest,
    }


def desired_records(session: Session, *, project_vendor: ProjectVendor) -> list[dict[str, Any]]:
    """The insurance records that say what coverwatch knows of this project vendor now."""
    today = clock.today()
    overall = project_vendor.status
    prefix = origin_prefix(project_vendor).rstrip("-")
    open_items = compliance.open_deficiencies(session, project_vendor=project_vendor)
    waived = _waived_coverages(session, project_vendor=project_vendor)
    records = [
        {
            "origin_id": f"{prefix}-summary",
            "insurance_type": "Certificate of insurance (coverwatch)",
            "status": PROCORE_STATUS.get(overall, "undecided"),
            "info_received": overall != "pending",
            "notes": "; ".join(d.message for d in open_items)[:1000] or None,
        }
    ]
    on_file = certificates.on_file(
        session, org_id=project_vendor.org_id, vendor_id=project_vendor.vendor_id
    )
    best: dict[str, tuple[CertificateData | None, Any]] = {}
    for certificate in certificates.current_view(on_file):
        for policy in certificate.policies:
            kept = best.get(policy.type)
            if kept is None or (policy.expiration_date or today) > (
                kept[1].expiration_date or today
            ):
                best[policy.type] = (certificate, policy)
    coverages = sorted(set(best) | {d.coverage for d in open_items if d.coverage} | waived)
    for coverage in coverages:
        problems = [d.message for d in open_items if d.coverage == coverage]
        data, policy = best.get(coverage, (None, None))
        if overall == "needs_review":
            status = "undecided"
        elif (
            policy is not None
            and policy.expiration_date
            and has_ended(policy.expiration_date, today)
        ):
            status = "expired"
        elif problems:
            status = "non_compliant"
        else:
            status = "compliant"
        record: dict[str, Any] = {
            "origin_id": f"{prefix}-{coverage}",
            "insurance_type": COVERAGE_LABELS.get(coverage, coverage.replace("_", " ").title()),
            "status": status,
            "info_received": policy is not None,
            "notes": "; ".join(problems)[:1000] or None,
            # A waiver accepts what is missing on this coverage: Procore's own word for that.
            "exempt": coverage in waived and not problems,
        }
        if policy is not None and data is not None:
            insurer = data.insurer(policy.insurer_letter)
            limits: dict[str, int] = dict(policy.limits)
            limit = limits.get(HEADLINE_LIMITS.get(coverage, ""))
            if limit is None and limits:
                limit = max(limits.values())
            record.update(
                policy_number=policy.policy_number,
                effective_date=_iso(policy.effective_date),
                expiration_date=_iso(policy.expiration_date),
                # Procore's `limit` is a string, not a number.
                limit=None if limit is None else str(limit),
                name=insurer.name if insurer else None,
            )
        records.append(record)
    return records


def record_written(
    session: Session,
    *,
    connection: ProcoreConnection,
    project_vendor_id: int,
    target: dict[str, Any],
    result: dict[str, Any],
) -> None:
    """Remember what Procore accepted: its record ids (to recognise echoes) and the hash."""
    entities = result.get("entities", [])
    ids = {e.get("origin_id"): e.get("id") for e in entities}
    answers = {e.get("origin_id"): dict(e) for e in entities}
    for record in target["records"]:
        row = session.scalar(
            select(ProcoreInsuranceRecord).where(
                ProcoreInsuranceRecord.connection_id == connection.id,
                ProcoreInsuranceRecord.origin_id == record["origin_id"],
            )
        )
        if row is None:
            row = ProcoreInsuranceRecord(
                org_id=connection.org_id,
                connection_id=connection.id,
                project_vendor_id=project_vendor_id,
                origin_id=record["origin_id"],
            )
            session.add(row)
        row.status = record["status"]
        row.procore_id = ids.get(record["origin_id"]) or row.procore_id
        # Procore's answer is what a later read is compared with, to see a person's edits.
        row.data = answers.get(record["origin_id"]) or row.data
        row.written_at = utcnow()
    session.flush()


def is_echo(session: Session, *, connection: ProcoreConnection, event: WebhookEvent) -> bool:
    """Whether an event is Procore telling us about our own insurance write."""
    if event.resource_name not in INSURANCE_RESOURCES:
        return False
    if connection.application_id and event.source_application_id == connection.application_id:
        return True
    if event.format != "v4":
        # v2/v3 name the application behind a change; none (or another) means a person.
        return False
    # v4 payloads carry no metadata: recognise the record by its id instead.
    return (
        session.scalar(
            select(ProcoreInsuranceRecord.id).where(
                ProcoreInsuranceRecord.connection_id == connection.id,
                ProcoreInsuranceRecord.procore_id == event.resource_id,
            )
        )
        is not None
    )


def origin_prefix(project_vendor: ProjectVendor) -> str:
    """How every `origin_id` of the project vendor's records begins."""
    return f"coverwatch-{project_vendor.org_id}-pv{project_vendor.id}-"


def _waived_coverages(session: Session, *, project_vendor: ProjectVendor) -> set[str]:
    if project_vendor.last_evaluation_id is None:
        return set()
    return {
        c
        for c in session.scalars(
            select(DeficiencyRow.coverage).where(
                DeficiencyRow.evaluation_id == project_vendor.last_evaluation_id,
                DeficiencyRow.waived.is_(True),
            )
        )
        if c
    }


def _linked(session: Session, *, project_vendor: ProjectVendor) -> bool:
    for entity_type, entity_id in (
        ("project", project_vendor.project_id),
        ("vendor", project_vendor.vendor_id),
    ):
        ids = projects.external_ids(
            session, org_id=project_vendor.org_id, entity_type=entity_type, entity_id=entity_id
        )
        if "procore" not in ids:
            return False
    return True


def _connection_for(session: Session, *, org_id: int) -> ProcoreConnection | None:
    return session.scalar(
        select(ProcoreConnection)
        .where(ProcoreConnection.org_id == org_id, ProcoreConnection.active.is_(True))
        .order_by(ProcoreConnection.id)
    )


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()
