"""Insurance records both ways: what a GC keyed in Procore is read and shown, not overwritten."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch import clock
from coverwatch.audit.models import AuditEvent
from coverwatch.db import session_scope
from coverwatch.orgs import passwords
from coverwatch.orgs import service as orgs
from coverwatch.procore import tasks
from coverwatch.procore.models import ProcoreDelivery, ProcoreInsuranceRecord
from tests.procore.conftest import Linked
from tests.procore.factories import edit_insurance, key_insurance
from tests.procore.test_writeback import _file_certificate, _onboard

PASSWORD = "correct horse battery staple"


def _procore_records(linked: Linked, client: TestClient, project_vendor_id: int) -> list[dict]:
    response = client.get(
        "/api/v1/procore/insurances",
        params={"project_vendor_id": project_vendor_id},
        headers=linked.tenant.headers("admin"),
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_records_a_gc_keyed_in_procore_are_read_and_shown(
    linked: Linked, client: TestClient
) -> None:
    project, vendor, project_vendor = _onboard(linked)
    expires = (clock.today() + timedelta(days=90)).isoformat()
    key_insurance(
        linked.admin,
        vendor_id=vendor["id"],
        project_id=project["id"],
        insurance_type="Workers Compensation",
        policy_number="WC-778",
        expiration_date=expires,
        status="compliant",
        name="State Fund",
    )
    key_insurance(
        linked.admin, vendor_id=vendor["id"], insurance_type="Pollution", policy_number="PL-1"
    )
    linked.admin.wait_for_deliveries()
    tasks.write_back(project_vendor.id)
    shown = _procore_records(linked, client, project_vendor.id)
    by_type = {r["insurance_type"]: r for r in shown}
    assert set(by_type) == {"Workers Compensation", "Pollution"}
    wc = by_type["Workers Compensation"]
    assert wc["ours"] is False and wc["edited_in_procore"] is False
    assert wc["level"] == "project" and wc["policy_number"] == "WC-778"
    assert wc["expiration_date"] == expires and wc["insurance_provider"] == "State Fund"
    assert by_type["Pollution"]["level"] == "company"
    # Ours are not repeated as "also in Procore", and theirs were never written over.
    in_sandbox = {r["insurance_type"]: r for r in linked.admin.insurances()}
    assert in_sandbox["Workers Compensation"]["policy_number"] == "WC-778"
    assert in_sandbox["Workers Compensation"]["origin_id"] is None


def test_a_record_we_wrote_and_a_person_edited_is_left_as_they_made_it(
    linked: Linked, client: TestClient
) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor)
    gl = next(r for r in linked.admin.insurances() if r["insurance_type"] == "General Liability")
    edit_insurance(linked.admin, gl["id"], policy_number="GL-BY-HAND", notes="checked by phone")
    linked.admin.wait_for_deliveries()
    # A new certificate changes what we would write on that line.
    _file_certificate(linked, client, project_vendor, gl_each_occurrence=3_000_000)
    tasks.write_back(project_vendor.id)
    now = {r["id"]: r for r in linked.admin.insurances()}
    assert now[gl["id"]]["policy_number"] == "GL-BY-HAND"
    assert now[gl["id"]]["notes"] == "checked by phone" and now[gl["id"]]["limit"] == "2000000"
    [shown] = _procore_records(linked, client, project_vendor.id)
    assert shown["edited_in_procore"] is True and shown["policy_number"] == "GL-BY-HAND"
    with session_scope() as session:
        [audited] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "procore_record_edited")
        ).all()
        assert audited.entity_id == project_vendor.id
        assert audited.after["policy_number"] == "GL-BY-HAND"
        outcomes = [d.outcome for d in session.scalars(select(ProcoreDelivery))]
        row = session.scalars(
            select(ProcoreInsuranceRecord).where(ProcoreInsuranceRecord.procore_id == gl["id"])
        ).one()
        assert row.ours is False and row.origin_id == gl["origin_id"]
    # The person's edit was not taken for our own echo.
    assert "insurance_changed" in outcomes
    # The other lines are still ours, and still written.
    summary = next(r for r in now.values() if r["origin_id"].endswith("-summary"))
    assert summary["status"] == "compliant"


def test_the_panel_shows_what_is_also_in_procore(linked: Linked, web: TestClient) -> None:
    project, vendor, project_vendor = _onboard(linked)
    key_insurance(
        linked.admin,
        vendor_id=vendor["id"],
        project_id=project["id"],
        insurance_type="Workers Compensation",
        policy_number="WC-778",
        expiration_date="2027-03-01",
    )
    linked.admin.wait_for_deliveries()
    tasks.write_back(project_vendor.id)
    slug = linked.tenant.slug
    with session_scope() as session:
        user = orgs.get_user(session, org_id=linked.tenant.org_id, email=f"viewer@{slug}.example")
        user.password_hash = passwords.hash_password(PASSWORD)
    signed = web.post(
        "/signin", data={"email": f"viewer@{slug}.example", "password": PASSWORD, "popup": "1"}
    )
    assert signed.status_code == 200, signed.text
    page = web.get(
        "/procore/panel",
        params={"companyId": linked.company_id, "projectId": project["id"]},
    )
    assert page.status_code == 200, page.text
    assert "Also in Procore: Workers Compensation, policy WC-778, expires 2027-03-01" in page.text


def test_a_waived_coverage_is_exempt_in_procore(linked: Linked, client: TestClient) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor, umbrella=1_000_000)
    headers = linked.tenant.headers("admin")
    base = f"/api/v1/project-vendors/{project_vendor.id}"
    open_keys = [d["key"] for d in client.get(base, headers=headers).json()["deficiencies"]]
    umbrella = [k for k in open_keys if ":umbrella:" in k]
    assert umbrella, open_keys
    for key in umbrella:
        response = client.post(
            f"{base}/waivers",
            headers=headers,
            json={
                "deficiency_key": key,
                "reason": "Owner accepted a smaller umbrella for this scope",
                "ends_on": (clock.today() + timedelta(days=60)).isoformat(),
            },
        )
        assert response.status_code == 201, response.text
    linked.admin.wait_for_deliveries()
    tasks.write_back(project_vendor.id)
    by_type = {r["insurance_type"]: r for r in linked.admin.insurances()}
    assert by_type["Umbrella Liability"]["exempt"] is True
    assert by_type["Umbrella Liability"]["status"] == "compliant"
    assert by_type["General Liability"]["exempt"] is False


def test_a_lapsed_record_procore_marks_expired_stays_ours(
    linked: Linked, client: TestClient
) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor, expires_in_days=10)
    gl = next(r for r in linked.admin.insurances() if r["insurance_type"] == "General Liability")
    clock.travel(days=11)
    try:
        edit_insurance(linked.admin, gl["id"], status="expired")  # as Procore may do by itself
        linked.admin.wait_for_deliveries()
        tasks.write_back(project_vendor.id)
    finally:
        clock.reset()
    with session_scope() as session:
        row = session.scalars(
            select(ProcoreInsuranceRecord).where(ProcoreInsuranceRecord.procore_id == gl["id"])
        ).one()
        assert row.ours is True
        edited = select(AuditEvent).where(AuditEvent.action == "procore_record_edited")
        assert session.scalars(edited).all() == []


def test_the_sync_reads_records_a_list_a_project_not_two_a_vendor(
    linked: Linked, client: TestClient
) -> None:
    from coverwatch.procore.sync import sync_connection

    project, vendor, project_vendor = _onboard(linked)
    others = [linked.admin.vendor(linked.company_id, f"Sub {n}, LLC") for n in range(5)]
    for other in others:
        linked.admin.add_to_project(project["id"], other["id"])
    key_insurance(
        linked.admin,
        vendor_id=vendor["id"],
        project_id=project["id"],
        insurance_type="Workers Compensation",
        policy_number="WC-778",
    )
    key_insurance(
        linked.admin, vendor_id=vendor["id"], insurance_type="Pollution", policy_number="PL-1"
    )
    linked.admin.wait_for_deliveries()
    before = linked.admin.stats()["requests"]
    sync_connection(linked.connection_id)
    calls = linked.admin.stats()["requests"] - before
    shown = {r["insurance_type"] for r in _procore_records(linked, client, project_vendor.id)}
    assert shown == {"Workers Compensation", "Pollution"}
    # Projects list, the directory, two commitment lists, the project's and the company's
    # records: the same few calls for six tracked vendors as for one.
    assert calls <= 8, calls
