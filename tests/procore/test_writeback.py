"""Verdicts flow back to Procore as insurance records, once, and their echoes cause nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.procore import tasks
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery, ProcoreWriteback
from coverwatch.vendors.models import ProjectVendor
from tests.certificates.factories import current_certificate
from tests.procore.conftest import Linked


def _onboard(linked: Linked) -> tuple[dict, dict, ProjectVendor]:
    project = linked.admin.project(linked.company_id, start_date="2026-01-01")
    vendor = linked.admin.vendor(linked.company_id, "Acme Roofing, LLC")
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    with session_scope() as session:
        project_vendor = session.scalars(select(ProjectVendor)).one()
    return project, vendor, project_vendor


def _file_certificate(
    linked: Linked, client: TestClient, project_vendor: ProjectVendor, **overrides: Any
) -> None:
    """Put a certificate on file through the API and let the write-back land."""
    response = client.post(
        f"/api/v1/vendors/{project_vendor.vendor_id}/certificates",
        headers=linked.tenant.headers("admin"),
        json=current_certificate(**overrides).model_dump(mode="json", by_alias=True),
    )
    assert response.status_code == 201, response.text
    linked.admin.wait_for_deliveries()


def test_a_new_sub_shows_unregistered_in_procore(linked: Linked) -> None:
    project, vendor, _pv = _onboard(linked)
    [summary] = linked.admin.insurances()
    assert summary["status"] == "unregistered"
    assert summary["project_id"] == project["id"] and summary["vendor_id"] == vendor["id"]
    assert summary["origin_id"].endswith("-summary")


def test_status_change_appears_once_as_insurance_records(
    linked: Linked, client: TestClient
) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor)
    records = linked.admin.insurances()
    by_type = {r["insurance_type"]: r for r in records}
    assert by_type["Certificate of insurance (coverwatch)"]["status"] == "compliant"
    gl = by_type["General Liability"]
    assert gl["status"] == "compliant" and gl["limit"] == "2000000" and gl["policy_number"]
    assert len({r["origin_id"] for r in records}) == len(records)  # one record per origin_id
    # Running the job again (a retry, a second worker) writes nothing new.
    assert tasks.write_back(project_vendor.id) == "unchanged"
    assert len(linked.admin.insurances()) == len(records)
    with session_scope() as session:
        echoes = [d.outcome for d in session.scalars(select(ProcoreDelivery))]
        row = session.scalars(select(ProcoreWriteback)).one()
    assert "echo" in echoes and row.state == "written"


def test_write_back_survives_procore_failing_and_lands_later(linked: Linked) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    linked.admin.configure(fail_500_rate=1.0)
    with session_scope() as session:
        row = session.scalars(select(ProcoreWriteback)).one()
        row.state, row.written_hash = "pending", None
    try:
        tasks.write_back(project_vendor.id)
    except Exception as exc:
        assert exc.__class__.__name__ == "ProcoreStatusError"
    with session_scope() as session:
        row = session.scalars(select(ProcoreWriteback)).one()
        assert row.state == "pending" and row.last_error
    linked.admin.configure(fail_500_rate=0.0)
    assert tasks.write_back(project_vendor.id) == "written"


def test_company_level_write_back_lands_on_the_company_vendor(
    linked: Linked, client: TestClient
) -> None:
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None
        connection.writeback_level = "company"
    _project, vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor)
    records = linked.admin.insurances()
    assert records and all(r["project_id"] is None for r in records)
    assert all(r["vendor_id"] == vendor["id"] for r in records)
    summary = next(r for r in records if r["origin_id"].endswith("-summary"))
    assert summary["status"] == "compliant"


def test_on_the_expiration_date_procore_shows_the_lines_expired(
    linked: Linked, client: TestClient
) -> None:
    # The expiration date is the first day without coverage (12:01 a.m. to 12:01 a.m.).
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor, expires_in_days=0)
    by_type = {r["insurance_type"]: r for r in linked.admin.insurances()}
    assert by_type["Certificate of insurance (coverwatch)"]["status"] == "expired"
    assert by_type["General Liability"]["status"] == "expired"
