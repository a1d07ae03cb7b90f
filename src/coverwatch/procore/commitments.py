"""Procore commitments (work order and purchase order contracts) and the vendors they bring.

A subcontractor is on the job because it holds a commitment, whether or not anyone put it in
the project directory. Contracts are read from the API (`list_contracts`, `show_contract`),
kept as `ProcoreCommitment` rows, and each vendor they touch is settled by the connection's
tracking rule (`tracking.py`). Contract events (create, update, delete of both kinds) are
read in `fetch` (API, no transaction) and applied in `apply`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.db import session_scope
from coverwatch.procore import service, tracking
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreNotFound
from coverwatch.procore.models import ProcoreCommitment, ProcoreConnection
from coverwatch.projects.models import Project

# Our kind, and the path segment of Procore's endpoints for it.
KINDS = {"work_order": "work_order_contracts", "purchase_order": "purchase_order_contracts"}
RESOURCES = {"Work Order Contracts": "work_order", "Purchase Order Contracts": "purchase_order"}
# A contract in one of these states no longer puts its vendor on the job.
ENDED_STATUSES = frozenset({"Void", "Terminated"})


def rule_for(connection: ProcoreConnection) -> tracking.TrackingRule:
    """The connection's tracking rule."""
    return tracking.parse_rule(
        connection.tracking, work_order_contracts=connection.work_order_contracts
    )


# -- reading Procore ----------------------------------------------------------------------


def list_contracts(
    client: ProcoreClient, kind: str, *, project_id: int, updated_since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """A project's contracts of a kind; only those changed since a time, deleted ones too."""
    params: dict[str, Any] = {"project_id": project_id}
    if updated_since is not None:
        # Procore's range filter is `start...end`; the end lies ahead for clocks that differ.
        end = datetime.now(UTC) + timedelta(days=1)
        params["filters[updated_at]"] = f"{_iso(updated_since)}...{_iso(end)}"
        params["filters[include_deleted]"] = "with"
    return client.paginate(f"/rest/v1.0/{KINDS[kind]}", params)


def show_contract(
    client: ProcoreClient, kind: str, contract_id: int, *, project_id: int
) -> dict[str, Any]:
    """One contract with its vendor (ProcoreNotFound once deleted)."""
    path = f"/rest/v1.0/{KINDS[kind]}/{contract_id}"
    return dict(client.get(path, project_id=project_id))


def vendor_facts(
    client: ProcoreClient, *, project_id: int, vendor_id: int
) -> tuple[dict[str, Any] | None, bool]:
    """A vendor as Procore has it, and whether it is in the project directory."""
    try:
        return client.project_vendor(project_id, vendor_id), True
    except ProcoreNotFound:
        pass
    try:
        return client.vendor(vendor_id), False
    except ProcoreNotFound:
        return None, False


# -- keeping rows -------------------------------------------------------------------------


def find(
    session: Session, *, connection: ProcoreConnection, kind: str, procore_id: int
) -> ProcoreCommitment | None:
    """Our row of a Procore contract."""
    return session.scalar(
        select(ProcoreCommitment).where(
            ProcoreCommitment.connection_id == connection.id,
            ProcoreCommitment.kind == kind,
            ProcoreCommitment.procore_id == procore_id,
        )
    )


def record(
    session: Session,
    *,
    connection: ProcoreConnection,
    kind: str,
    data: dict[str, Any],
    procore_project_id: int,
) -> tuple[ProcoreCommitment, int | None]:
    """Keep a contract as Procore answered it; (row, the vendor it had before)."""
    row = find(session, connection=connection, kind=kind, procore_id=int(data["id"]))
    if row is None:
        row = ProcoreCommitment(
            org_id=connection.org_id,
            connection_id=connection.id,
            kind=kind,
            procore_id=int(data["id"]),
            procore_project_id=procore_project_id,
        )
        session.add(row)
    previous = row.procore_vendor_id
    vendor_id = (data.get("vendor") or {}).get("id")
    row.procore_vendor_id = None if vendor_id is None else int(vendor_id)
    if row.procore_vendor_id != previous:
        row.project_vendor_id = None
    row.title = str(data.get("title") or "")[:300]
    row.status = data.get("status")
    row.removed = bool(data.get("deleted_at"))
    session.flush()
    return row, previous


def mark_removed(
    session: Session, *, connection: ProcoreConnection, kind: str, procore_id: int
) -> ProcoreCommitment | None:
    """A contract Procore no longer has: kept for the history, no longer counted."""
    row = find(session, connection=connection, kind=kind, procore_id=procore_id)
    if row is not None and not row.removed:
        row.removed = True
        session.flush()
    return row


def reconcile(
    session: Session,
    *,
    connection: ProcoreConnection,
    kind: str,
    procore_project_id: int,
    items: list[dict[str, Any]],
    complete: bool,
) -> None:
    """Keep a listing of a project's contracts; when `complete`, those missing are gone."""
    seen = set()
    for data in items:
        record(
            session,
            connection=connection,
            kind=kind,
            data=data,
            procore_project_id=procore_project_id,
        )
        seen.add(int(data["id"]))
    if not complete:
        return
    for row in _rows(session, connection=connection, procore_project_id=procore_project_id):
        if row.kind == kind and row.procore_id not in seen and not row.removed:
            row.removed = True
    session.flush()


def live_kinds(
    session: Session, *, connection: ProcoreConnection, procore_project_id: int
) -> dict[int, set[str]]:
    """Per Procore vendor, the kinds of its live commitments on the project."""
    found: dict[int, set[str]] = {}
    for row in _rows(session, connection=connection, procore_project_id=procore_project_id):
        live = not row.removed and row.status not in ENDED_STATUSES
        if row.procore_vendor_id is not None and live:
            found.setdefault(row.procore_vendor_id, set()).add(row.kind)
    return found


def settle(
    session: Session,
    *,
    connection: ProcoreConnection,
    project: Project,
    procore_project_id: int,
    procore_vendor_id: int,
    vendor_data: dict[str, Any] | None,
    in_directory: bool,
    actor: str,
) -> str:
    """Track, or stop tracking, one Procore vendor on a project by the connection's rule."""
    rule = rule_for(connection)
    kinds = (
        live_kinds(session, connection=connection, procore_project_id=procore_project_id).get(
            procore_vendor_id, set()
        )
        if rule.commitments
        else set()
    )
    if tracking.is_tracked(rule, vendor=vendor_data, in_directory=in_directory, commitments=kinds):
        if vendor_data is not None:
            vendor, _ = service.upsert_vendor(
                session, connection=connection, data=vendor_data, actor=actor
            )
        else:
            found = service.find_vendor(
                session, org_id=connection.org_id, procore_vendor_id=procore_vendor_id
            )
            if found is None:
                return "vendor_unknown"  # Procore would not show it; the next sync retries
            vendor = found
        project_vendor, started = service.start_tracking(
            session, connection=connection, project=project, vendor=vendor, actor=actor
        )
        for row in _rows(session, connection=connection, procore_project_id=procore_project_id):
            if row.procore_vendor_id == procore_vendor_id and not row.removed:
                row.project_vendor_id = project_vendor.id
        session.flush()
        return "tracked" if started else "already_tracked"
    removed = service.stop_tracking(
        session,
        org_id=connection.org_id,
        procore_project_id=procore_project_id,
        procore_vendor_id=procore_vendor_id,
        actor=actor,
    )
    if removed:
        return "removed"
    return "not_tracked" if in_directory else "not_on_project"


# -- contract events ----------------------------------------------------------------------


@dataclass
class ContractFacts:
    """What the API says now about a contract an event names, and the vendors it touches."""

    kind: str
    procore_id: int
    project_id: int
    contract: dict[str, Any] | None = None
    project: dict[str, Any] | None = None
    # Procore vendor id -> (its data, whether in the project directory).
    vendors: dict[int, tuple[dict[str, Any] | None, bool]] = field(default_factory=dict)


def fetch(
    client: ProcoreClient,
    connection: ProcoreConnection,
    *,
    resource_name: str,
    contract_id: int,
    project_id: int,
    project_known: bool,
) -> ContractFacts:
    """Read the contract and its vendors, now and before (API calls, no transaction held)."""
    kind = RESOURCES[resource_name]
    facts = ContractFacts(kind=kind, procore_id=contract_id, project_id=project_id)
    try:
        facts.contract = show_contract(client, kind, contract_id, project_id=project_id)
    except ProcoreNotFound:
        facts.contract = None  # deleted since
    with session_scope() as session:
        row = find(session, connection=connection, kind=kind, procore_id=contract_id)
        previous = row.procore_vendor_id if row is not None else None
    current = ((facts.contract or {}).get("vendor") or {}).get("id")
    for vendor_id in dict.fromkeys(v for v in (current, previous) if v is not None):
        facts.vendors[int(vendor_id)] = vendor_facts(
            client, project_id=project_id, vendor_id=int(vendor_id)
        )
    if not project_known and current is not None:
        facts.project = client.project(project_id)
    return facts


def apply(
    session: Session, *, connection: ProcoreConnection, facts: ContractFacts, actor: str
) -> str:
    """Keep the contract's row and settle each vendor it touches; the delivery's outcome."""
    if facts.contract is None:
        row = mark_removed(
            session, connection=connection, kind=facts.kind, procore_id=facts.procore_id
        )
        if row is None:
            return "gone"
        current = None
    else:
        row, _previous = record(
            session,
            connection=connection,
            kind=facts.kind,
            data=facts.contract,
            procore_project_id=facts.project_id,
        )
        current = row.procore_vendor_id
    project = (
        service.upsert_project(session, connection=connection, data=facts.project, actor=actor)
        if facts.project
        else service.find_project(
            session, org_id=connection.org_id, procore_project_id=facts.project_id
        )
    )
    outcome = "commitment_removed" if facts.contract is None else "commitment_recorded"
    if project is None:
        return outcome
    for vendor_id, (data, in_directory) in facts.vendors.items():
        settled = settle(
            session,
            connection=connection,
            project=project,
            procore_project_id=facts.project_id,
            procore_vendor_id=vendor_id,
            vendor_data=data,
            in_directory=in_directory,
            actor=actor,
        )
        if vendor_id == current:
            outcome = settled
    return outcome


def _rows(
    session: Session, *, connection: ProcoreConnection, procore_project_id: int
) -> list[ProcoreCommitment]:
    return list(
        session.scalars(
            select(ProcoreCommitment).where(
                ProcoreCommitment.connection_id == connection.id,
                ProcoreCommitment.procore_project_id == procore_project_id,
            )
        )
    )


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
