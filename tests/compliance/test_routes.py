"""The compliance workflow through the API: evaluation, approval gate, waivers, audit, history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant

GL_OCCURRENCE = "limit_below_minimum:general_liability:each_occurrence"


def _setup(
    client: TestClient,
    tenant: Tenant,
    *,
    template: str = "ground-up",
    ends_in_days: int = 200,
    legal_name: str = "Acme Roofing, LLC",
) -> dict[str, Any]:
    headers = tenant.headers("project_manager")
    today = clock.today()
    project = client.post(
        "/api/v1/projects",
        headers=headers,
        json={
            "name": "Harbor View Tower",
            "template": template,
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=ends_in_days)).isoformat(),
            "certificate_holder": "Summit Builders, Inc.",
            "additional_insureds": ["Summit Builders, Inc."],
        },
    )
    assert project.status_code == 201, project.text
    vendor = client.post(
        "/api/v1/vendors",
        headers=headers,
        json={
            "legal_name": legal_name,
            "contacts": [{"role": "insurance_agent", "email": "agent@bayside.example"}],
        },
    ).json()
    pv = client.post(
        f"/api/v1/projects/{project.json()['id']}/vendors",
        headers=headers,
        json={"vendor_id": vendor["id"], "trade": "drywall"},
    )
    assert pv.status_code == 201, pv.text
    return {"project": project.json(), "vendor": vendor, "pv": pv.json()}


def _upload(client: TestClient, tenant: Tenant, vendor_id: int, **overrides: Any) -> dict:
    certificate = current_certificate(**overrides).model_dump(mode="json", by_alias=True)
    response = client.post(
        f"/api/v1/vendors/{vendor_id}/certificates",
        headers=tenant.headers("project_manager"),
        json=certificate,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_assigned_vendor_with_nothing_on_file_is_pending(
    client: TestClient, tenant: Tenant
) -> None:
    pv = _setup(client, tenant)["pv"]
    assert pv["status"] == "pending"
    assert pv["tracking"] is True


def test_an_insured_printed_with_accents_matches_the_vendor_without(
    client: TestClient, tenant: Tenant
) -> None:
    made = _setup(client, tenant, legal_name="PENA ROOFING LLC")
    _upload(client, tenant, made["vendor"]["id"], insured="Peña Roofing, LLC")
    pv = client.get(
        f"/api/v1/project-vendors/{made['pv']['id']}", headers=tenant.headers("project_manager")
    ).json()
    assert pv["status"] == "compliant", pv["deficiencies"]


def test_a_refusal_names_the_vendor_and_its_status_label(
    client: TestClient, tenant: Tenant
) -> None:
    pv_id = _setup(client, tenant)["pv"]["id"]
    blocked = client.post(
        f"/api/v1/project-vendors/{pv_id}/approve", headers=tenant.headers("project_manager")
    )
    assert blocked.status_code == 409
    error = blocked.json()["error"]
    assert error["message"] == "Acme Roofing, LLC cannot be approved: Waiting for a certificate"
    assert error["details"]["status"] == "pending"


def test_gate_waiver_audit_and_history(client: TestClient, tenant: Tenant) -> None:
    made = _setup(client, tenant)
    pv_id, vendor_id = made["pv"]["id"], made["vendor"]["id"]
    pm, risk = tenant.headers("project_manager"), tenant.headers("risk_manager")

    # A compliant certificate first: the sub is approvable.
    _upload(client, tenant, vendor_id, insured="ACME ROOFING LLC")
    good = client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert good["status"] == "compliant", good["deficiencies"]
    compliant_day = clock.today()

    # Ten days later a replacement of the same policies lowers the GL and umbrella limits: the
    # older certificate's higher figures must not hide it.
    clock.travel(days=10)
    _upload(
        client,
        tenant,
        vendor_id,
        insured="Acme Roofing, LLC",
        gl_each_occurrence=500_000,
        umbrella=1_000_000,
    )
    pv = client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert pv["status"] == "non_compliant"
    gl = next(d for d in pv["deficiencies"] if d["key"] == GL_OCCURRENCE)
    assert gl["required"] == 2_000_000

    blocked = client.post(f"/api/v1/project-vendors/{pv_id}/approve", headers=pm)
    assert blocked.status_code == 409
    details = blocked.json()["error"]["details"]
    assert (
        blocked.json()["error"]["message"] == "Acme Roofing, LLC cannot be approved: Not compliant"
    )
    assert details["status"] == "non_compliant"
    assert GL_OCCURRENCE in {d["key"] for d in details["deficiencies"]}

    waiver = {
        "deficiency_key": GL_OCCURRENCE,
        "reason": "Owner accepted lower limit",
        "ends_on": (clock.today() + timedelta(days=90)).isoformat(),
    }
    forbidden = client.post(f"/api/v1/project-vendors/{pv_id}/waivers", headers=pm, json=waiver)
    assert forbidden.status_code == 403

    open_keys = {d["key"] for d in pv["deficiencies"]}
    for key in sorted(open_keys):
        accepted = client.post(
            f"/api/v1/project-vendors/{pv_id}/waivers",
            headers=risk,
            json={**waiver, "deficiency_key": key},
        )
        assert accepted.status_code == 201, accepted.text
    waivers = client.get(f"/api/v1/project-vendors/{pv_id}/waivers?per_page=1", headers=pm).json()
    assert (len(waivers["items"]), waivers["total"]) == (1, len(open_keys))
    after = client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert after["deficiencies"] == []
    assert after["status"] == "compliant"
    assert client.post(f"/api/v1/project-vendors/{pv_id}/approve", headers=pm).status_code == 200

    events = client.get(
        f"/api/v1/audit-events?entity_type=project_vendor&entity_id={pv_id}", headers=pm
    ).json()["items"]
    actions = [e["action"] for e in events]
    assert "waiver_created" in actions and "vendor_approved" in actions
    assert "status_changed" in actions
    created = next(
        e
        for e in events
        if e["action"] == "waiver_created" and e["after"]["deficiency_key"] == GL_OCCURRENCE
    )
    assert created["actor"] == f"user:risk_manager@{tenant.slug}.example"
    assert created["after"]["reason"] == "Owner accepted lower limit"

    # History: on the first day only the compliant certificate was on file.
    then = client.get(
        f"/api/v1/project-vendors/{pv_id}/compliance",
        params={"as_of": compliant_day.isoformat()},
        headers=pm,
    ).json()
    assert then["status"] == "compliant" and then["recorded"] is False
    # Before anything was on file, the sub had nothing.
    before = client.get(
        f"/api/v1/project-vendors/{pv_id}/compliance",
        params={"as_of": (compliant_day - timedelta(days=5)).isoformat()},
        headers=pm,
    ).json()
    assert before["status"] == "pending"


def test_as_of_its_expiration_date_a_policy_no_longer_covers(
    client: TestClient, tenant: Tenant
) -> None:
    # A policy runs to 12:01 a.m. on its expiration date: the day before is its last covered
    # day, and on the date itself the sub was not covered (for a claim on that day).
    made = _setup(client, tenant)
    _upload(client, tenant, made["vendor"]["id"], expires_in_days=10)
    expiration = clock.today() + timedelta(days=10)
    clock.travel(days=20)
    url = f"/api/v1/project-vendors/{made['pv']['id']}/compliance"
    pm = tenant.headers("project_manager")
    last_day = client.get(
        url, params={"as_of": (expiration - timedelta(days=1)).isoformat()}, headers=pm
    ).json()
    assert (last_day["status"], last_day["recorded"]) == ("expiring", False), last_day
    assert last_day["deficiencies"] == []
    on_the_day = client.get(url, params={"as_of": expiration.isoformat()}, headers=pm).json()
    assert (on_the_day["status"], on_the_day["recorded"]) == ("expired", False)
    assert {d["code"] for d in on_the_day["deficiencies"]} == {"policy_expired"}


def test_a_waiver_needs_an_open_deficiency_a_reason_and_a_future_end(
    client: TestClient, tenant: Tenant
) -> None:
    made = _setup(client, tenant)
    pv_id = made["pv"]["id"]
    _upload(client, tenant, made["vendor"]["id"], gl_each_occurrence=500_000, umbrella=None)
    risk = tenant.headers("risk_manager")
    url = f"/api/v1/project-vendors/{pv_id}/waivers"
    future = (clock.today() + timedelta(days=30)).isoformat()
    unknown = client.post(
        url,
        headers=risk,
        json={"deficiency_key": "missing_coverage:pollution:-", "reason": "n/a", "ends_on": future},
    )
    assert unknown.status_code == 422
    past = client.post(
        url,
        headers=risk,
        json={"deficiency_key": GL_OCCURRENCE, "reason": "ok", "ends_on": "2001-01-01"},
    )
    assert past.status_code == 422


def test_approval_of_a_lapsed_sub_is_withdrawn_by_the_daily_sweep(
    client: TestClient, tenant: Tenant
) -> None:
    from coverwatch.compliance.tasks import sweep

    made = _setup(client, tenant, template="tenant-improvement", ends_in_days=30)
    pv_id = made["pv"]["id"]
    _upload(client, tenant, made["vendor"]["id"], expires_in_days=40)
    pm = tenant.headers("project_manager")
    assert client.post(f"/api/v1/project-vendors/{pv_id}/approve", headers=pm).status_code == 200
    clock.travel(days=41)
    assert sweep() == 1
    pv = client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert pv["status"] == "expired"
    assert pv["approved"] is False
    assert client.post(f"/api/v1/project-vendors/{pv_id}/approve", headers=pm).status_code == 409


def test_project_date_change_reevaluates_at_once(client: TestClient, tenant: Tenant) -> None:
    made = _setup(client, tenant, template="tenant-improvement", ends_in_days=60)
    _upload(client, tenant, made["vendor"]["id"], expires_in_days=100)
    pm = tenant.headers("project_manager")
    pv_id = made["pv"]["id"]
    assert (
        client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()["status"] == "compliant"
    )
    late_end = (clock.today() + timedelta(days=400)).isoformat()
    client.patch(
        f"/api/v1/projects/{made['project']['id']}", headers=pm, json={"end_date": late_end}
    )
    pv = client.get(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert pv["status"] == "non_compliant"
    assert any(d["code"] == "expires_during_project" for d in pv["deficiencies"])


def test_template_edit_reevaluates_through_jobs(client: TestClient, tenant: Tenant) -> None:
    made = _setup(client, tenant)
    _upload(client, tenant, made["vendor"]["id"])
    risk = tenant.headers("risk_manager")
    pv_id = made["pv"]["id"]
    assert (
        client.get(f"/api/v1/project-vendors/{pv_id}", headers=risk).json()["status"] == "compliant"
    )
    spec = client.get("/api/v1/templates/ground-up", headers=risk).json()["spec"]
    for line in spec["lines"]:
        if line["coverage"] == "umbrella":
            line["limits"]["each_occurrence"] = 25_000_000
    assert client.put("/api/v1/templates/ground-up", headers=risk, json=spec).status_code == 200
    pv = client.get(f"/api/v1/project-vendors/{pv_id}", headers=risk).json()
    assert pv["status"] == "non_compliant"
    evaluations = client.get(f"/api/v1/project-vendors/{pv_id}/evaluations", headers=risk).json()
    assert evaluations["items"][0]["trigger"] == "template_changed"


def test_removed_vendor_stops_tracking(client: TestClient, tenant: Tenant) -> None:
    made = _setup(client, tenant)
    pm = tenant.headers("project_manager")
    pv_id = made["pv"]["id"]
    removed = client.delete(f"/api/v1/project-vendors/{pv_id}", headers=pm).json()
    assert removed["tracking"] is False
    listing = client.get(f"/api/v1/projects/{made['project']['id']}/vendors", headers=pm).json()
    assert listing["total"] == 0
    again = client.post(
        f"/api/v1/projects/{made['project']['id']}/vendors",
        headers=pm,
        json={"vendor_id": made["vendor"]["id"]},
    )
    assert again.status_code == 201 and again.json()["id"] == pv_id
