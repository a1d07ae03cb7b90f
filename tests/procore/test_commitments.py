"""Subcontracts and purchase orders: the vendors they bring stay tracked, and follow changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.procore import commitments, service
from coverwatch.procore.hooks import install_hooks
from coverwatch.procore.models import ProcoreCommitment, ProcoreConnection
from coverwatch.procore.sync import sync_connection
from coverwatch.vendors.models import ProjectVendor, Vendor
from tests.orgs.factories import Tenant
from tests.procore.factories import SandboxAdmin, make_connection

SUBS = {"mode": "subcontractors"}
WO, PO = "work_order_contracts", "purchase_order_contracts"


def _tracked() -> set[str]:
    """The names of the vendors tracked on some project."""
    with session_scope() as session:
        rows = session.execute(
            select(Vendor.legal_name)
            .join(ProjectVendor, ProjectVendor.vendor_id == Vendor.id)
            .where(ProjectVendor.tracking.is_(True))
        )
        return {name for (name,) in rows}


def _rows() -> list[tuple[str, int, int | None, bool]]:
    with session_scope() as session:
        return [
            (r.kind, r.procore_id, r.procore_vendor_id, r.removed)
            for r in session.scalars(select(ProcoreCommitment).order_by(ProcoreCommitment.id))
        ]


def _hooked(tenant: Tenant, sandbox: SandboxAdmin, receiver: str, **fields: object) -> tuple:
    company = sandbox.company()
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], **fields
    )
    install_hooks(connection.id, destination_url=f"{receiver}/webhooks/procore")
    return company["id"], connection.id


@pytest.mark.parametrize("joins_directory", [False, True])
def test_a_subcontract_only_vendor_survives_the_nightly_sync(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str, joins_directory: bool
) -> None:
    # Whether Procore puts a contract's vendor in the project directory is not documented.
    sandbox.configure(commitment_joins_directory=joins_directory)
    company_id, connection_id = _hooked(tenant, sandbox, receiver, tracking_rule=SUBS)
    project = sandbox.project(company_id)
    sub = sandbox.vendor(company_id, "Bay Electric, Inc.")
    sandbox.contract(WO, project["id"], sub["id"], title="Electrical")
    sandbox.wait_for_deliveries()
    assert _tracked() == {"Bay Electric, Inc."}
    report = sync_connection(connection_id)
    assert report.stopped == 0 and _tracked() == {"Bay Electric, Inc."}
    # Nor when it leaves the directory while its contract lives on.
    if joins_directory:
        sandbox.remove_from_project(project["id"], sub["id"])
        sandbox.wait_for_deliveries()
        assert _tracked() == {"Bay Electric, Inc."}


def test_the_vendor_a_contract_is_updated_to_is_tracked_and_the_old_one_let_go(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str
) -> None:
    company_id, _ = _hooked(tenant, sandbox, receiver, tracking_rule=SUBS)
    project = sandbox.project(company_id)
    first = sandbox.vendor(company_id, "Bay Electric, Inc.")
    second = sandbox.vendor(company_id, "Volt Brothers LLC")
    contract = sandbox.contract(WO, project["id"], None, title="Electrical")  # no vendor yet
    sandbox.wait_for_deliveries()
    assert _tracked() == set()
    sandbox.update_contract(WO, contract["id"], vendor_id=first["id"])
    sandbox.wait_for_deliveries()
    assert _tracked() == {"Bay Electric, Inc."}
    sandbox.update_contract(WO, contract["id"], vendor_id=second["id"])
    sandbox.wait_for_deliveries()
    assert _tracked() == {"Volt Brothers LLC"}
    assert _rows() == [("work_order", contract["id"], second["id"], False)]


def test_purchase_orders_count_and_a_deleted_contract_ends_tracking(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str
) -> None:
    company_id, _ = _hooked(tenant, sandbox, receiver, tracking_rule=SUBS)
    project = sandbox.project(company_id)
    supplier = sandbox.vendor(company_id, "Harbor Rebar Supply Co.")
    order = sandbox.contract(PO, project["id"], supplier["id"], title="Rebar")
    sandbox.wait_for_deliveries()
    assert _tracked() == {"Harbor Rebar Supply Co."}
    sandbox.delete_contract(PO, order["id"])
    sandbox.wait_for_deliveries()
    assert _tracked() == set()
    assert _rows() == [("purchase_order", order["id"], supplier["id"], True)]


def test_a_void_contract_no_longer_counts(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str
) -> None:
    company_id, _ = _hooked(tenant, sandbox, receiver, tracking_rule=SUBS)
    project = sandbox.project(company_id)
    sub = sandbox.vendor(company_id, "Bay Electric, Inc.")
    contract = sandbox.contract(WO, project["id"], sub["id"], status="Approved")
    sandbox.wait_for_deliveries()
    sandbox.update_contract(WO, contract["id"], status="Void")
    sandbox.wait_for_deliveries()
    assert _tracked() == set()


def test_sync_catches_contract_changes_whose_webhooks_were_lost(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    project = sandbox.project(company["id"])
    first = sandbox.vendor(company["id"], "Bay Electric, Inc.")
    second = sandbox.vendor(company["id"], "Volt Brothers LLC")
    contract = sandbox.contract(WO, project["id"], first["id"])
    # No hook: every change below reaches coverwatch only through the sync.
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], tracking_rule=SUBS
    )
    assert sync_connection(connection.id).started == 1
    assert _tracked() == {"Bay Electric, Inc."}
    sandbox.update_contract(WO, contract["id"], vendor_id=second["id"])
    order = sandbox.contract(PO, project["id"], first["id"])
    report = sync_connection(connection.id)  # incremental: only what changed since
    assert _tracked() == {"Bay Electric, Inc.", "Volt Brothers LLC"}
    assert report.commitments == 2
    sandbox.delete_contract(PO, order["id"])
    sync_connection(connection.id)
    assert _tracked() == {"Volt Brothers LLC"}


def test_contracts_are_listed_by_procores_updated_at_range(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    project = sandbox.project(company["id"])
    sub = sandbox.vendor(company["id"], "Bay Electric, Inc.")
    sandbox.contract(WO, project["id"], sub["id"])
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"]
    )
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        client = service.client_for(row)
    listed = commitments.list_contracts
    assert len(list(listed(client, "work_order", project_id=project["id"]))) == 1
    past = datetime.now(UTC) - timedelta(hours=1)
    ahead = datetime.now(UTC) + timedelta(hours=1)
    assert (
        len(list(listed(client, "work_order", project_id=project["id"], updated_since=past))) == 1
    )
    assert list(listed(client, "work_order", project_id=project["id"], updated_since=ahead)) == []


def test_a_sync_without_permission_on_commitments_keeps_what_it_knows(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    project = sandbox.project(company["id"])
    sub = sandbox.vendor(company["id"], "Bay Electric, Inc.")
    sandbox.contract(WO, project["id"], sub["id"])
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], tracking_rule=SUBS
    )
    sync_connection(connection.id)
    sandbox.configure(commitments_forbidden=True)
    report = sync_connection(connection.id)
    assert report.errors and report.stopped == 0
    assert _tracked() == {"Bay Electric, Inc."}
