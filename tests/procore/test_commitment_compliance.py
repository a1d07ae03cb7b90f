"""The verdict on each commitment: Procore's contract insurance status, notes, derived status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.procore import tasks
from coverwatch.procore.models import ProcoreCommitment
from coverwatch.vendors.models import ProjectVendor
from tests.procore.conftest import Linked
from tests.procore.factories import make_commitment, work_order_contract
from tests.procore.test_writeback import _file_certificate, _onboard


def _compliance(linked: Linked, contract: dict[str, Any]) -> dict[str, Any]:
    return dict(linked.admin.state()["contract_compliance"].get(f"work_order:{contract['id']}", {}))


def _with_contract(linked: Linked) -> tuple[dict, ProjectVendor, int]:
    project, vendor, project_vendor = _onboard(linked)
    contract = work_order_contract(linked.admin, project_id=project["id"], vendor_id=vendor["id"])
    commitment_id = make_commitment(
        connection_id=linked.connection_id, project_vendor_id=project_vendor.id, contract=contract
    )
    return contract, project_vendor, commitment_id


def test_a_new_sub_is_not_compliant_on_its_subcontract(linked: Linked) -> None:
    contract, project_vendor, commitment_id = _with_contract(linked)
    assert tasks.write_back(project_vendor.id) == "written"
    written = _compliance(linked, contract)
    assert written["insurance_status"] == "not_compliant"
    assert "requested" in written["insurance_notes"]
    with session_scope() as session:
        commitment = session.get(ProcoreCommitment, commitment_id)
        assert commitment is not None and commitment.insurance_status == "not_compliant"
        # Procore works its own status out from the records: our summary says unregistered.
        assert commitment.derived_insurance_status == "not_compliant"


def test_the_status_and_deficiencies_follow_the_certificate(
    linked: Linked, client: TestClient
) -> None:
    contract, project_vendor, commitment_id = _with_contract(linked)
    _file_certificate(linked, client, project_vendor, gl_each_occurrence=500_000, umbrella=None)
    tasks.write_back(project_vendor.id)
    written = _compliance(linked, contract)
    assert written["insurance_status"] == "not_compliant"
    assert "$500,000" in written["insurance_notes"]  # the deficiency in plain words
    _file_certificate(linked, client, project_vendor)
    tasks.write_back(project_vendor.id)
    written = _compliance(linked, contract)
    assert written["insurance_status"] == "compliant"
    with session_scope() as session:
        commitment = session.get(ProcoreCommitment, commitment_id)
        assert commitment is not None and commitment.derived_insurance_status == "compliant"
    # Nothing changed: nothing is written again.
    assert tasks.write_back(project_vendor.id) == "unchanged"
    assert _compliance(linked, contract)["updated_at"] == written["updated_at"]


def test_a_removed_commitment_is_left_alone(linked: Linked) -> None:
    project, vendor, project_vendor = _onboard(linked)
    contract = work_order_contract(linked.admin, project_id=project["id"], vendor_id=vendor["id"])
    make_commitment(
        connection_id=linked.connection_id,
        project_vendor_id=project_vendor.id,
        contract=contract,
        removed=True,
    )
    tasks.write_back(project_vendor.id)
    assert _compliance(linked, contract) == {}


def test_a_waived_sub_is_compliant_and_the_notes_say_what_is_waived(
    linked: Linked, client: TestClient
) -> None:
    contract, project_vendor, _commitment_id = _with_contract(linked)
    _file_certificate(linked, client, project_vendor, umbrella=1_000_000)
    headers = linked.tenant.headers("admin")
    base = f"/api/v1/project-vendors/{project_vendor.id}"
    ends_on = clock.today() + timedelta(days=60)
    for deficiency in client.get(base, headers=headers).json()["deficiencies"]:
        response = client.post(
            f"{base}/waivers",
            headers=headers,
            json={
                "deficiency_key": deficiency["key"],
                "reason": "Owner accepted it",
                "ends_on": ends_on.isoformat(),
            },
        )
        assert response.status_code == 201, response.text
    linked.admin.wait_for_deliveries()
    tasks.write_back(project_vendor.id)
    written = _compliance(linked, contract)
    assert written["insurance_status"] == "compliant"
    assert f"Waived until {ends_on.isoformat()}" in written["insurance_notes"]


def test_a_purchase_order_gets_its_compliance_too(linked: Linked) -> None:
    project, vendor, project_vendor = _onboard(linked)
    order = linked.admin.contract("purchase_order_contracts", project["id"], vendor["id"])
    make_commitment(
        connection_id=linked.connection_id,
        project_vendor_id=project_vendor.id,
        contract=order,
        kind="purchase_order",
    )
    assert tasks.write_back(project_vendor.id) == "written"
    compliance = linked.admin.state()["contract_compliance"]
    written = compliance.get(f"purchase_order:{order['id']}", {})
    assert written["insurance_status"] == "not_compliant"
    assert "requested" in written["insurance_notes"]
