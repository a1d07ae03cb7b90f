"""A vendor's name is the one Procore gives it, whichever path brought the vendor in."""

from __future__ import annotations

from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.procore.sync import sync_connection
from coverwatch.vendors.models import Vendor
from tests.orgs.factories import Tenant
from tests.procore.conftest import Linked
from tests.procore.factories import SandboxAdmin, make_connection

PARENT, CHILD = "Acme Holdings, Inc.", "Acme Roofing West, LLC"


def _names() -> list[tuple[str, list[str]]]:
    with session_scope() as session:
        return [(v.legal_name, list(v.dba_names)) for v in session.scalars(select(Vendor))]


def _child_of_a_parent(admin: SandboxAdmin, company_id: int) -> dict:
    parent = admin.vendor(company_id, PARENT, email_address="office@acmeholdings.example")
    return admin.vendor(company_id, CHILD, parent_id=parent["id"], trade_name="Acme West")


def test_the_parent_company_never_becomes_the_vendors_name(linked: Linked) -> None:
    admin = linked.admin
    project = admin.project(linked.company_id)
    child = _child_of_a_parent(admin, linked.company_id)
    admin.add_to_project(project["id"], child["id"])  # a Project Vendors event
    admin.wait_for_deliveries()
    assert _names() == [(CHILD, ["Acme West"])]
    # Company Vendors update: Procore answers the company vendor in its extended view.
    admin.update_vendor(child["id"], business_phone="555-0100")
    admin.wait_for_deliveries()
    assert _names() == [(CHILD, ["Acme West"])]
    admin.update_vendor(child["id"], name="Acme Roofing & Sheet Metal West, LLC")
    admin.wait_for_deliveries()
    assert _names() == [("Acme Roofing & Sheet Metal West, LLC", ["Acme West"])]


def test_sync_reads_the_same_name(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    company = sandbox.company()
    project = sandbox.project(company["id"])
    child = _child_of_a_parent(sandbox, company["id"])
    sandbox.add_to_project(project["id"], child["id"])
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"]
    )
    sync_connection(connection.id)
    assert _names() == [(CHILD, ["Acme West"])]
