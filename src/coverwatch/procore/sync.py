"""Full reconciliation with Procore: projects and their vendors, for missed webhooks.

Webhooks are best effort (Procore discards a queue after 12 h of failures), so a periodic
sync makes coverwatch agree with the API: every vendor in a project's directory is tracked,
and every Procore-linked vendor no longer there stops being tracked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from coverwatch.db import session_scope, utcnow
from coverwatch.procore import records, service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.models import ProcoreConnection
from coverwatch.vendors.models import ProjectVendor

ACTOR = "procore:sync"
Progress = Callable[[str, int, int], None]  # (project name, done, total projects)


@dataclass
class SyncReport:
    """What a sync did."""

    projects: int = 0
    project_vendors: int = 0
    started: int = 0
    stopped: int = 0
    errors: list[str] = field(default_factory=list)


def sync_connection(
    connection_id: int, *, client: ProcoreClient | None = None, progress: Progress | None = None
) -> SyncReport:
    """Reconcile every project the connection can see; one short transaction per project."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            return SyncReport()
    client = client or service.client_for(connection)
    report = SyncReport()
    procore_projects = list(client.projects())
    for done, data in enumerate(procore_projects, start=1):
        vendors = list(client.project_vendors(int(data["id"])))
        with session_scope() as session:
            connection = session.get(ProcoreConnection, connection_id)
            assert connection is not None
            project = service.upsert_project(session, connection=connection, data=data, actor=ACTOR)
            present = set()
            for vendor_data in vendors:
                vendor, _ = service.upsert_vendor(
                    session, connection=connection, data=vendor_data, actor=ACTOR
                )
                present.add(vendor.id)
                _pv, started = service.start_tracking(
                    session, connection=connection, project=project, vendor=vendor, actor=ACTOR
                )
                report.started += started
            report.project_vendors += len(vendors)
            for project_vendor in session.scalars(
                select(ProjectVendor).where(
                    ProjectVendor.project_id == project.id, ProjectVendor.tracking.is_(True)
                )
            ):
                if project_vendor.vendor_id in present:
                    continue
                vendor_ref = service.projects.external_ids(
                    session,
                    org_id=connection.org_id,
                    entity_type="vendor",
                    entity_id=project_vendor.vendor_id,
                )
                if service.SYSTEM in vendor_ref:  # only what came from Procore leaves with it
                    service.vendors.remove(session, project_vendor=project_vendor, actor=ACTOR)
                    report.stopped += 1
        records.refresh_project(connection_id, procore_project_id=int(data["id"]), client=client)
        report.projects += 1
        if progress:
            progress(str(data.get("name", data["id"])), done, len(procore_projects))
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is not None:
            connection.last_sync_at = utcnow()
    return report
