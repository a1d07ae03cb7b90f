"""Full reconciliation with Procore: projects, their directories and commitments.

Webhooks are best effort (Procore discards a queue after 12 h of failures), so a periodic
sync makes coverwatch agree with the API: each company of a project's directory, and each
vendor of a live commitment there, is tracked or not by the connection's rule, and a
Procore-linked vendor that no longer matches stops being tracked. Commitments are read in
full the first time a project is seen, then only those changed since the last sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from coverwatch.db import session_scope, utcnow
from coverwatch.procore import commitments, records, service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreForbidden, ProcoreNotFound
from coverwatch.procore.models import ProcoreConnection
from coverwatch.vendors.models import ProjectVendor

ACTOR = "procore:sync"
Progress = Callable[[str, int, int], None]  # (project name, done, total projects)
# Changes are asked for from a little before the last sync: clocks differ, saves take time.
OVERLAP = timedelta(hours=1)


@dataclass
class SyncReport:
    """What a sync did."""

    projects: int = 0
    project_vendors: int = 0
    commitments: int = 0
    started: int = 0
    stopped: int = 0
    errors: list[str] = field(default_factory=list)


def sync_connection(
    connection_id: int, *, client: ProcoreClient | None = None, progress: Progress | None = None
) -> SyncReport:
    """Reconcile every project the connection can see; short transactions per project."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            return SyncReport()
        counts_commitments = commitments.rule_for(connection).commitments
        last_sync = connection.last_sync_at
    client = client or service.client_for(connection)
    report = SyncReport()
    started_at = utcnow()
    procore_projects = list(client.projects())
    company_records = records.company_records(client) if procore_projects else {}
    for done, data in enumerate(procore_projects, start=1):
        _sync_project(
            client,
            connection_id,
            data,
            report=report,
            since=last_sync if counts_commitments else None,
            counts_commitments=counts_commitments,
        )
        records.refresh_project(
            connection_id,
            procore_project_id=int(data["id"]),
            client=client,
            company=company_records,
        )
        report.projects += 1
        if progress:
            progress(str(data.get("name", data["id"])), done, len(procore_projects))
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is not None:
            connection.last_sync_at = started_at
    return report


def _sync_project(
    client: ProcoreClient,
    connection_id: int,
    data: dict[str, Any],
    *,
    report: SyncReport,
    since: datetime | None,
    counts_commitments: bool,
) -> None:
    procore_project_id = int(data["id"])
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        known = service.find_project(
            session, org_id=connection.org_id, procore_project_id=procore_project_id
        )
        # A project new to us has no rows to bring up to date: its contracts are read in full.
        incremental = since is not None and known is not None
    directory = {int(v["id"]): v for v in client.project_vendors(procore_project_id)}
    contracts = {}
    if counts_commitments:
        for kind in commitments.KINDS:
            try:
                contracts[kind] = list(
                    commitments.list_contracts(
                        client,
                        kind,
                        project_id=procore_project_id,
                        updated_since=since - OVERLAP if incremental and since else None,
                    )
                )
            except ProcoreForbidden as exc:
                # No permission on the project's commitments: the rows we have stand as they are.
                report.errors.append(f"project {procore_project_id} {kind}: {exc.message}")
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        for kind, items in contracts.items():
            commitments.reconcile(
                session,
                connection=connection,
                kind=kind,
                procore_project_id=procore_project_id,
                items=items,
                complete=not incremental,
            )
            report.commitments += len(items)
        holders = set(
            commitments.live_kinds(
                session, connection=connection, procore_project_id=procore_project_id
            )
        )
    outside = {}  # commitment holders not in the project directory
    for vendor_id in sorted(holders - set(directory)):
        try:
            outside[vendor_id] = client.vendor(vendor_id)
        except ProcoreNotFound:
            continue
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        project = service.upsert_project(session, connection=connection, data=data, actor=ACTOR)
        seen = {
            **{i: (v, True) for i, v in directory.items()},
            **{i: (v, False) for i, v in outside.items()},
        }
        for vendor_id, (vendor_data, in_directory) in seen.items():
            outcome = commitments.settle(
                session,
                connection=connection,
                project=project,
                procore_project_id=procore_project_id,
                procore_vendor_id=vendor_id,
                vendor_data=vendor_data,
                in_directory=in_directory,
                actor=ACTOR,
            )
            report.started += outcome == "tracked"
            report.stopped += outcome == "removed"
        report.project_vendors += len(directory)
        for project_vendor in session.scalars(
            select(ProjectVendor).where(
                ProjectVendor.project_id == project.id, ProjectVendor.tracking.is_(True)
            )
        ).all():
            refs = service.projects.external_ids(
                session,
                org_id=connection.org_id,
                entity_type="vendor",
                entity_id=project_vendor.vendor_id,
            )
            # Only what came from Procore leaves with it.
            if service.SYSTEM not in refs or int(refs[service.SYSTEM]) in seen:
                continue
            outcome = commitments.settle(
                session,
                connection=connection,
                project=project,
                procore_project_id=procore_project_id,
                procore_vendor_id=int(refs[service.SYSTEM]),
                vendor_data=None,
                in_directory=False,
                actor=ACTOR,
            )
            report.stopped += outcome == "removed"
