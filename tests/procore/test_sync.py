"""`coverwatch procore sync`: full reconciliation, within the advertised rate limit."""

from __future__ import annotations

from sqlalchemy import func, select

from coverwatch.db import session_scope
from coverwatch.procore.sync import sync_connection
from coverwatch.vendors.models import ProjectVendor
from tests.orgs.factories import Tenant
from tests.procore.factories import SandboxAdmin, make_connection


def _tracked() -> int:
    with session_scope() as session:
        statement = select(func.count()).select_from(ProjectVendor)
        return int(session.scalar(statement.where(ProjectVendor.tracking.is_(True))) or 0)


def test_sync_of_250_project_vendors_with_half_the_calls_refused(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    sandbox.seed(company["id"], projects=5, vendors_per_project=50)
    # Write-back off: here only the reading side is measured (250 writes would be 250 calls).
    connection = make_connection(
        org_id=tenant.org_id,
        sandbox_url=sandbox.url,
        company_id=company["id"],
        writeback_level="off",
    )
    sandbox.configure(rate_limit=4, rate_window=1.0, fail_429_rate=0.5)
    report = sync_connection(connection.id)
    stats = sandbox.stats()
    assert report.project_vendors == 250 and report.started == 250
    assert _tracked() == 250
    assert stats["injected_429"] > 0
    assert stats["over_limit"] == 0  # never beyond what the headers advertised
    # Run again: nothing new, nothing lost.
    sandbox.configure(fail_429_rate=0.0, rate_limit=1000)
    assert sync_connection(connection.id).started == 0
    assert _tracked() == 250


def test_sync_stops_tracking_vendors_removed_while_webhooks_were_lost(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    [project_id] = sandbox.seed(company["id"], projects=1, vendors_per_project=3)
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"]
    )
    sync_connection(connection.id)
    vendor_id = sandbox.state()["project_vendors"][str(project_id)][0]
    sandbox.remove_from_project(project_id, vendor_id)  # no hook: the webhook is "lost"
    report = sync_connection(connection.id)
    assert report.stopped == 1 and _tracked() == 2
