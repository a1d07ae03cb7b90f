"""Insurance records already in Procore: read back, kept, shown, and left to whoever owns them.

A vendor's insurance tab in Procore holds the records coverwatch writes (known by our
`origin_id`) and records a person keyed there. Both are read before every write-back (and by
the sync) and kept as `ProcoreInsuranceRecord` rows with Procore's answer in `data`. A record
we wrote whose content a person has changed since becomes theirs (`ours` False, the `origin_id`
kept): it is never written again, it is shown, and the change is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.audit import service as audit
from coverwatch.db import session_scope, utcnow
from coverwatch.procore import service, writeback
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreNotFound
from coverwatch.procore.models import ProcoreConnection, ProcoreInsuranceRecord
from coverwatch.procore.webhooks import WebhookEvent
from coverwatch.projects import service as projects
from coverwatch.vendors.models import ProjectVendor

log = logging.getLogger(__name__)
ACTOR = "procore"
# What a person can change on a record in Procore's insurance tab (and what we write).
COMPARED = (
    "insurance_type",
    "status",
    "policy_number",
    "effective_date",
    "expiration_date",
    "limit",
    "insurance_provider",
    "notes",
    "info_received",
    "exempt",
    "enable_expired_insurance_notifications",
)


@dataclass(frozen=True)
class Where:
    """Where a project vendor's records live in Procore."""

    project_vendor_id: int
    project_id: int
    vendor_id: int
    prefix: str


def locate(session: Session, *, project_vendor: ProjectVendor) -> Where | None:
    """The Procore project and vendor of a project vendor, or None when it is not linked."""
    ids = []
    for entity_type, entity_id in (
        ("project", project_vendor.project_id),
        ("vendor", project_vendor.vendor_id),
    ):
        found = projects.external_ids(
            session, org_id=project_vendor.org_id, entity_type=entity_type, entity_id=entity_id
        ).get("procore")
        if found is None:
            return None
        ids.append(int(found))
    return Where(
        project_vendor_id=project_vendor.id,
        project_id=ids[0],
        vendor_id=ids[1],
        prefix=writeback.origin_prefix(project_vendor),
    )


def fetch(client: ProcoreClient, *, where: Where) -> list[dict[str, Any]]:
    """The vendor's records on the project and in the company directory (no database here)."""
    found = []
    for level, project_id in (("project", where.project_id), ("company", None)):
        try:
            listed = client.insurances(project_id=project_id, vendor_id=where.vendor_id)
        except ProcoreNotFound:
            # A subcontract's vendor need not be in the project directory: no project records.
            listed = []
        found += [{**r, "level": level} for r in listed]
    return found


def store(
    session: Session, *, connection: ProcoreConnection, where: Where, found: list[dict[str, Any]]
) -> list[ProcoreInsuranceRecord]:
    """Keep what Procore holds for the project vendor; returns the records a person took over."""
    rows = list(
        session.scalars(
            select(ProcoreInsuranceRecord).where(
                ProcoreInsuranceRecord.connection_id == connection.id,
                ProcoreInsuranceRecord.project_vendor_id == where.project_vendor_id,
            )
        )
    )
    by_origin = {r.origin_id: r for r in rows if r.origin_id}
    keyed = {r.procore_id: r for r in rows if not r.origin_id}
    ours_everywhere = f"coverwatch-{connection.org_id}-"
    taken: list[ProcoreInsuranceRecord] = []
    seen: set[int] = set()
    for record in found:
        origin_id = record.get("origin_id") or None
        if origin_id and origin_id.startswith(ours_everywhere):
            row = by_origin.get(origin_id)
            if not origin_id.startswith(where.prefix) or row is None:
                continue  # another project vendor's record (a company-level write), or lost
            if row.ours and row.data and _differs(row.data, record):
                _take_over(session, row=row, record=record)
                taken.append(row)
            row.data, row.procore_id = _kept(record), record.get("id") or row.procore_id
            continue
        procore_id = int(record["id"])
        seen.add(procore_id)
        row = keyed.get(procore_id)
        if row is None:
            row = ProcoreInsuranceRecord(
                org_id=connection.org_id,
                connection_id=connection.id,
                project_vendor_id=where.project_vendor_id,
                origin_id=None,
                procore_id=procore_id,
                ours=False,
            )
            session.add(row)
        row.status, row.data, row.written_at = (
            str(record.get("status") or ""),
            _kept(record),
            utcnow(),
        )
    for kept_id, row in keyed.items():
        if kept_id not in seen:
            session.delete(row)  # deleted in Procore
    session.flush()
    return taken


def refresh(
    connection_id: int, *, project_vendor_id: int, client: ProcoreClient | None = None
) -> int:
    """Read one project vendor's records from Procore and keep them; returns how many."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        project_vendor = session.get(ProjectVendor, project_vendor_id)
        if connection is None or not connection.active or project_vendor is None:
            return 0
        where = locate(session, project_vendor=project_vendor)
    if where is None:
        return 0
    found = fetch(client or service.client_for(connection), where=where)
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        store(session, connection=connection, where=where, found=found)
    return len(found)


def company_records(client: ProcoreClient) -> dict[int, list[dict[str, Any]]]:
    """Every company-level record, by Procore vendor id: one paged list for the whole sync."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for record in client.company_insurance_list():
        if record.get("vendor_id") is not None:
            grouped.setdefault(int(record["vendor_id"]), []).append(record)
    return grouped


def refresh_project(
    connection_id: int,
    *,
    procore_project_id: int,
    client: ProcoreClient,
    company: dict[int, list[dict[str, Any]]],
) -> int:
    """Keep the records of every tracked vendor of a Procore project, from one paged list.

    The sync reads a project's records at once (and the company's once, `company_records`),
    not two lists per vendor: the calls grow with projects, not with vendors.
    """
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        project = (
            service.find_project(
                session, org_id=connection.org_id, procore_project_id=procore_project_id
            )
            if connection is not None
            else None
        )
        if project is None:
            return 0
        tracked = list(
            session.scalars(
                select(ProjectVendor.id).where(
                    ProjectVendor.project_id == project.id, ProjectVendor.tracking.is_(True)
                )
            )
        )
        kept = set(
            session.scalars(
                select(ProcoreInsuranceRecord.project_vendor_id).where(
                    ProcoreInsuranceRecord.connection_id == connection_id,
                    ProcoreInsuranceRecord.project_vendor_id.in_(tracked),
                )
            )
        )
    if not tracked:
        return 0
    on_project: dict[int, list[dict[str, Any]]] = {}
    try:
        for record in client.project_insurance_list(procore_project_id):
            if record.get("vendor_id") is not None:
                on_project.setdefault(int(record["vendor_id"]), []).append(record)
    except ProcoreNotFound:
        pass  # the project went out of reach since it was listed
    if not on_project and not company and not kept:
        return 0  # nothing in Procore, nothing kept: no vendor to look at
    count = 0
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        for project_vendor_id in tracked:
            project_vendor = session.get(ProjectVendor, project_vendor_id)
            where = locate(session, project_vendor=project_vendor) if project_vendor else None
            if where is None:
                continue
            if project_vendor_id not in kept and not (
                where.vendor_id in on_project or where.vendor_id in company
            ):
                continue
            found = [{**r, "level": "project"} for r in on_project.get(where.vendor_id, [])]
            found += [{**r, "level": "company"} for r in company.get(where.vendor_id, [])]
            store(session, connection=connection, where=where, found=found)
            count += len(found)
    return count


def on_insurance_event(
    session: Session, *, connection: ProcoreConnection, event: WebhookEvent
) -> str:
    """A change to an insurance record that was not our write: read that vendor's records again."""
    row = session.scalar(
        select(ProcoreInsuranceRecord).where(
            ProcoreInsuranceRecord.connection_id == connection.id,
            ProcoreInsuranceRecord.procore_id == event.resource_id,
        )
    )
    if row is None:
        # A record keyed in Procore names no vendor in the event: it is read at the vendor's
        # next write-back or sync.
        return "insurance_unknown"
    project_vendor = session.get(ProjectVendor, row.project_vendor_id)
    if project_vendor is not None:
        writeback.request_writeback(session, project_vendor=project_vendor)
    return "insurance_changed"


def describe(row: ProcoreInsuranceRecord) -> dict[str, Any]:
    """A record in Procore as the API shows it."""
    data = row.data or {}

    def text(key: str) -> str | None:
        value = data.get(key)
        return None if value is None else str(value)

    return {
        "procore_id": row.procore_id,
        "level": data.get("level"),
        "ours": row.ours,
        "edited_in_procore": bool(row.origin_id) and not row.ours,
        "insurance_type": text("insurance_type"),
        "status": text("status"),
        "policy_number": text("policy_number"),
        "insurance_provider": text("insurance_provider"),
        "limit": text("limit"),
        "effective_date": text("effective_date"),
        "expiration_date": text("expiration_date"),
        "exempt": data.get("exempt"),
    }


def for_project_vendor(session: Session, *, project_vendor_id: int) -> list[dict[str, Any]]:
    """What Procore holds for the project vendor beyond what we keep there: people's records."""
    rows = session.scalars(
        select(ProcoreInsuranceRecord)
        .where(
            ProcoreInsuranceRecord.project_vendor_id == project_vendor_id,
            ProcoreInsuranceRecord.ours.is_(False),
        )
        .order_by(ProcoreInsuranceRecord.id)
    )
    return [describe(r) for r in rows]


def summary_line(record: dict[str, Any]) -> str:
    """One record in plain words, for the panel."""
    parts = [record.get("insurance_type") or "Insurance"]
    if record.get("policy_number"):
        parts.append(f"policy {record['policy_number']}")
    if record.get("expiration_date"):
        parts.append(f"expires {str(record['expiration_date'])[:10]}")
    if record.get("exempt"):
        parts.append("exempt")
    line = ", ".join(parts)
    return line + " (edited in Procore)" if record.get("edited_in_procore") else line


def _take_over(session: Session, *, row: ProcoreInsuranceRecord, record: dict[str, Any]) -> None:
    row.ours = False
    log.info("Procore insurance record %s was edited in Procore; no longer written", row.procore_id)
    audit.record(
        session,
        org_id=row.org_id,
        actor=ACTOR,
        action="procore_record_edited",
        entity_type="project_vendor",
        entity_id=row.project_vendor_id,
        before={k: row.data.get(k) for k in COMPARED if k in row.data},
        after={k: record.get(k) for k in COMPARED if k in row.data},
    )


def _kept(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in (*COMPARED, "id", "origin_id", "level")}


def _differs(written: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether a person changed a field we wrote (Procore's own formatting aside)."""
    changed = {k for k in COMPARED if k in written and _same(written.get(k)) != _same(now.get(k))}
    expires = str(now.get("expiration_date") or "")[:10]
    if now.get("status") == "expired" and expires and expires <= clock.today().isoformat():
        changed.discard("status")  # Procore may mark a lapsed record expired by itself
    return bool(changed)


def _same(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return Decimal(text).normalize()  # a limit may come back as "2000000.0"
    except InvalidOperation:
        return text[:10] if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" else text
