"""Only the companies a GC means are tracked: not the owner, the architect or the GC itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.errors import InvalidInput
from coverwatch.procore import service
from coverwatch.procore.models import ProcoreConnection
from coverwatch.procore.sync import sync_connection
from coverwatch.procore.tracking import TrackingRule, is_tracked, parse_rule
from coverwatch.vendors.models import ProjectVendor, Vendor
from tests.orgs.factories import Tenant
from tests.procore.factories import SandboxAdmin, make_connection

ROOFER = {"id": 1, "name": "Acme Roofing", "trades": [{"id": 7, "name": "Roofing"}]}
ARCHITECT = {"id": 2, "name": "Line & Plan Architects", "trades": [{"id": 8, "name": "Architect"}]}
OWN_RECORD = {**ROOFER, "id": 3, "company_vendor": True}


def _tracked() -> set[str]:
    with session_scope() as session:
        rows = session.execute(
            select(Vendor.legal_name)
            .join(ProjectVendor, ProjectVendor.vendor_id == Vendor.id)
            .where(ProjectVendor.tracking.is_(True))
        )
        return {name for (name,) in rows}


def test_by_default_only_commitment_holders_are_tracked() -> None:
    rule = parse_rule({}, work_order_contracts=False)
    assert rule == TrackingRule(mode="subcontractors", trades=(), commitments=True)
    assert not is_tracked(rule, vendor=ARCHITECT, in_directory=True, commitments=())
    assert is_tracked(rule, vendor=ROOFER, in_directory=False, commitments={"work_order"})


def test_the_directory_rule_leaves_out_the_gc_inactive_companies_and_other_trades() -> None:
    rule = parse_rule({"mode": "directory", "trades": ["roofing "]}, work_order_contracts=False)
    assert is_tracked(rule, vendor=ROOFER, in_directory=True, commitments=())
    assert not is_tracked(rule, vendor=ARCHITECT, in_directory=True, commitments=())
    assert not is_tracked(rule, vendor=OWN_RECORD, in_directory=True, commitments=())
    inactive = {**ROOFER, "is_active": False}
    assert not is_tracked(rule, vendor=inactive, in_directory=True, commitments=())
    assert not is_tracked(rule, vendor=ROOFER, in_directory=False, commitments=())
    # Commitments count under the directory rule only where the GC turned them on.
    assert not is_tracked(rule, vendor=ARCHITECT, in_directory=True, commitments={"work_order"})
    counted = parse_rule({"mode": "directory"}, work_order_contracts=True)
    assert is_tracked(counted, vendor=ARCHITECT, in_directory=False, commitments={"work_order"})


@pytest.mark.parametrize(
    "rule", [{"mode": "everyone"}, {"mode": "subcontractors", "trades": ["Roofing"]}]
)
def test_a_rule_that_makes_no_sense_is_refused(rule: dict) -> None:
    with pytest.raises(InvalidInput):
        parse_rule(rule, work_order_contracts=False)


def _directory(sandbox: SandboxAdmin, company_id: int) -> tuple[int, dict[str, dict]]:
    project = sandbox.project(company_id)
    made = {
        "gc": sandbox.vendor(
            company_id, "Summit Builders", company_vendor=True, trades=["Roofing"]
        ),
        "owner": sandbox.vendor(company_id, "Bayside Properties LLC", trades=["Owner"]),
        "architect": sandbox.vendor(company_id, "Line & Plan Architects", trades=["Architect"]),
        "roofer": sandbox.vendor(company_id, "Acme Roofing, LLC", trades=["Roofing"]),
        "electrician": sandbox.vendor(company_id, "Bay Electric, Inc.", trades=["Electrical"]),
    }
    for vendor in made.values():
        sandbox.add_to_project(project["id"], vendor["id"])
    return project["id"], made


def test_the_default_tracks_the_subcontractors_of_a_directory_not_everyone(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    project_id, made = _directory(sandbox, company["id"])
    sandbox.contract("work_order_contracts", project_id, made["electrician"]["id"])
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], tracking_rule=None
    )
    sync_connection(connection.id)
    assert _tracked() == {"Bay Electric, Inc."}
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        shown = service.describe_connection(row)["tracking"]
    assert shown["mode"] == "subcontractors" and "commitment" in shown["description"]


def test_trades_pick_whom_the_directory_rule_tracks_and_a_change_of_trade_ends_it(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    _project_id, made = _directory(sandbox, company["id"])
    connection = make_connection(
        org_id=tenant.org_id,
        sandbox_url=sandbox.url,
        company_id=company["id"],
        tracking_rule={"mode": "directory", "trades": ["Roofing", "Electrical"]},
    )
    sync_connection(connection.id)
    assert _tracked() == {"Acme Roofing, LLC", "Bay Electric, Inc."}
    sandbox.update_vendor(made["roofer"]["id"], trades=["Landscaping"])
    report = sync_connection(connection.id)
    assert report.stopped == 1 and _tracked() == {"Bay Electric, Inc."}


def test_project_vendor_events_follow_the_rule_too(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str
) -> None:
    from coverwatch.procore.hooks import install_hooks
    from coverwatch.procore.models import ProcoreDelivery

    company = sandbox.company()
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], tracking_rule=None
    )
    install_hooks(connection.id, destination_url=f"{receiver}/webhooks/procore")
    _project_id, _made = _directory(sandbox, company["id"])
    sandbox.wait_for_deliveries()
    assert _tracked() == set()
    with session_scope() as session:
        outcomes = {d.outcome for d in session.scalars(select(ProcoreDelivery))}
    assert "not_tracked" in outcomes and "tracked" not in outcomes


def test_a_vendor_the_gc_added_in_coverwatch_stays_whatever_the_rule(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    from coverwatch.vendors import service as vendors
    from coverwatch.vendors.schemas import VendorIn

    company = sandbox.company()
    project_id, _made = _directory(sandbox, company["id"])
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"], tracking_rule=None
    )
    sync_connection(connection.id)
    with session_scope() as session:
        project = service.find_project(session, org_id=tenant.org_id, procore_project_id=project_id)
        assert project is not None
        own = vendors.create_vendor(
            session, org_id=tenant.org_id, actor="test", data=VendorIn(legal_name="Crane Co.")
        )
        vendors.assign(session, project=project, vendor=own, actor="test")
    assert sync_connection(connection.id).stopped == 0
    assert _tracked() == {"Crane Co."}
