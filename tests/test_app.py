"""Health, OpenAPI, authentication, errors and paging of the REST API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coverwatch.db import session_scope
from coverwatch.orgs import service as orgs
from coverwatch.orgs.models import ApiKey
from tests.orgs.factories import Tenant


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "queue": "ok"}


def test_openapi_document_lists_routes_with_examples(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "coverwatch"
    for path in (
        "/api/v1/projects",
        "/api/v1/project-vendors/{project_vendor_id}/approve",
        "/api/v1/project-vendors/{project_vendor_id}/compliance",
        "/api/v1/vendors/{vendor_id}/certificates",
        "/api/v1/audit-events",
    ):
        assert path in spec["paths"], path
    approve = spec["paths"]["/api/v1/project-vendors/{project_vendor_id}/approve"]["post"]
    assert "409" in approve["responses"]
    text = client.get("/api/v1/openapi.json").text
    assert "limit_below_minimum" in text and "Harbor View Tower" in text


def test_requests_without_a_valid_key_answer_401(client: TestClient, tenant: Tenant) -> None:
    assert client.get("/api/v1/projects").status_code == 401
    body = client.get("/api/v1/projects", headers={"Authorization": "Bearer nope"}).json()
    assert body["error"]["code"] == "unauthorized"
    wrong_secret = tenant.tokens["admin"][:-3] + "xyz"
    response = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {wrong_secret}"})
    assert response.status_code == 401
    assert client.get("/api/v1/me", headers=tenant.headers("viewer")).json()["role"] == "viewer"


def test_a_revoked_key_stops_working(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    prefix = tenant.tokens["admin"].split("_")[1]
    with session_scope() as session:
        key = session.query(ApiKey).filter_by(prefix=prefix).one()
        orgs.revoke_api_key(session, org_id=tenant.org_id, key_id=key.id)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_errors_are_json_with_a_code(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    missing = client.get("/api/v1/projects/999999", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    invalid = client.post("/api/v1/projects", headers=headers, json={"name": ""})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/nowhere", headers=headers).json()["error"]["code"] == "not_found"
    bad_dates = client.post(
        "/api/v1/projects",
        headers=headers,
        json={
            "name": "X",
            "template": "ground-up",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert bad_dates.status_code == 422


def test_oversized_bodies_are_refused_before_reading(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/vendors",
        headers={**tenant.headers("admin"), "Content-Type": "application/json"},
        content=b"{" + b" " * (26 * 1024 * 1024) + b"}",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_lists_are_paged(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    for index in range(7):
        client.post("/api/v1/vendors", headers=headers, json={"legal_name": f"Vendor {index}"})
    first = client.get("/api/v1/vendors?per_page=3", headers=headers).json()
    third = client.get("/api/v1/vendors?per_page=3&page=3", headers=headers).json()
    assert (first["total"], len(first["items"]), len(third["items"])) == (7, 3, 1)
    assert client.get("/api/v1/vendors?per_page=0", headers=headers).status_code == 422
    found = client.get("/api/v1/vendors?search=vendor 4", headers=headers).json()
    assert [v["legal_name"] for v in found["items"]] == ["Vendor 4"]


def test_a_viewer_cannot_write(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/vendors", headers=tenant.headers("viewer"), json={"legal_name": "Nope LLC"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
