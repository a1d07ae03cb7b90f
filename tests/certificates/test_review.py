"""A person confirms or corrects a certificate the reader was unsure of."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant

PATH = "/policies/0/limits/each_occurrence"


def _unsure_sub(client: TestClient, tenant: Tenant, *, read_as: int) -> dict[str, Any]:
    admin = tenant.headers("admin")
    project = client.post(
        "/api/v1/projects",
        headers=admin,
        json={"name": "Harbor View Tower", "template": "tenant-improvement"},
    ).json()
    vendor = client.post("/api/v1/vendors", headers=admin, json={"legal_name": "Acme Roofing, LLC"})
    vendor_id = vendor.json()["id"]
    pv = client.post(
        f"/api/v1/projects/{project['id']}/vendors", headers=admin, json={"vendor_id": vendor_id}
    ).json()
    certificate = current_certificate(gl_each_occurrence=read_as).model_dump(
        mode="json", by_alias=True
    )
    certificate["needs_review"] = [PATH]
    certificate["warnings"] = [f"{PATH}: the digits were hard to read (confidence 0.41)"]
    certificate["confidence"] = 0.6
    stored = client.post(
        f"/api/v1/vendors/{vendor_id}/certificates", headers=admin, json=certificate
    ).json()
    return {"pv": pv, "certificate": stored}


def test_the_review_queue_shows_what_to_check_and_a_correction_decides_the_status(
    client: TestClient, tenant: Tenant
) -> None:
    made = _unsure_sub(client, tenant, read_as=100_000)
    pv_url = f"/api/v1/project-vendors/{made['pv']['id']}"
    assert client.get(pv_url, headers=tenant.headers("admin")).json()["status"] == "needs_review"
    [item] = client.get("/api/v1/review-queue", headers=tenant.headers("viewer")).json()["items"]
    assert item["certificate"]["needs_review"] == [PATH]
    assert item["reasons"] and "hard to read" in item["reasons"][0]
    assert item["project_vendor_ids"] == [made["pv"]["id"]]
    review_url = f"/api/v1/certificates/{made['certificate']['id']}/review"
    forbidden = client.post(review_url, headers=tenant.headers("project_manager"), json={})
    assert forbidden.status_code == 403
    bad = client.post(
        review_url, headers=tenant.headers("risk_manager"), json={"corrections": {PATH: "lots"}}
    )
    assert bad.status_code == 422
    nowhere = client.post(
        review_url,
        headers=tenant.headers("risk_manager"),
        json={"corrections": {"/policies/9/limits/each_occurrence": 1}},
    )
    assert nowhere.status_code == 422
    done = client.post(
        review_url,
        headers=tenant.headers("risk_manager"),
        json={"corrections": {PATH: 1_000_000}, "note": "read from the PDF"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["needs_review"] == []
    assert done.json()["data"]["policies"][0]["limits"]["each_occurrence"] == 1_000_000
    assert client.get(pv_url, headers=tenant.headers("admin")).json()["status"] == "compliant"
    empty = client.get("/api/v1/review-queue", headers=tenant.headers("admin")).json()
    assert (empty["items"], empty["total"]) == ([], 0)
    audit = client.get(
        "/api/v1/audit-events?action=certificate_reviewed", headers=tenant.headers("admin")
    ).json()
    [event] = [e for e in audit["items"] if e["action"] == "certificate_reviewed"]
    assert event["after"]["corrections"][PATH] == {"before": 100_000, "after": 1_000_000}


def test_confirming_as_read_keeps_the_values(client: TestClient, tenant: Tenant) -> None:
    made = _unsure_sub(client, tenant, read_as=500_000)
    done = client.post(
        f"/api/v1/certificates/{made['certificate']['id']}/review",
        headers=tenant.headers("admin"),
        json={},
    )
    assert done.status_code == 200
    assert done.json()["needs_review"] == []
    assert done.json()["data"]["policies"][0]["limits"]["each_occurrence"] == 500_000
    pv = client.get(
        f"/api/v1/project-vendors/{made['pv']['id']}", headers=tenant.headers("admin")
    ).json()
    # $500,000 with the $5,000,000 umbrella meets this template's $1,000,000.
    assert pv["status"] == "compliant"


def test_the_review_queue_is_paged_oldest_first(client: TestClient, tenant: Tenant) -> None:
    first = _unsure_sub(client, tenant, read_as=100_000)
    second = _unsure_sub(client, tenant, read_as=200_000)
    viewer = tenant.headers("viewer")
    pages = [
        client.get(f"/api/v1/review-queue?per_page=1&page={page}", headers=viewer).json()
        for page in (1, 2, 3)
    ]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [[i["certificate"]["id"] for i in p["items"]] for p in pages] == [
        [first["certificate"]["id"]],
        [second["certificate"]["id"]],
        [],
    ]
