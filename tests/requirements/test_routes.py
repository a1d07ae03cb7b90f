"""Requirement templates through the API: copies, versions, validation, ratings."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.orgs.factories import Tenant


def test_an_organization_starts_with_the_four_builtin_packs(
    client: TestClient, tenant: Tenant
) -> None:
    keys = [t["key"] for t in client.get("/api/v1/templates", headers=tenant.headers()).json()]
    assert sorted(keys) == [
        "federal-far-28-307-2",
        "ground-up",
        "public-works",
        "tenant-improvement",
    ]


def test_an_edit_is_a_new_version_and_the_old_one_is_kept(
    client: TestClient, tenant: Tenant
) -> None:
    headers = tenant.headers("risk_manager")
    spec = client.get("/api/v1/templates/ground-up", headers=headers).json()["spec"]
    spec["renewal_window_days"] = 45
    updated = client.put("/api/v1/templates/ground-up", headers=headers, json=spec)
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2
    versions = client.get("/api/v1/templates/ground-up/versions", headers=headers).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[1]["spec"]["renewal_window_days"] == 30


def test_a_copy_and_a_bad_spec(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    copy = client.post(
        "/api/v1/templates",
        headers=headers,
        json={"key": "hospital", "name": "Hospital work", "based_on": "ground-up"},
    )
    assert copy.status_code == 201
    assert copy.json()["spec"]["key"] == "hospital"
    bad = client.put(
        "/api/v1/templates/hospital",
        headers=headers,
        json={**copy.json()["spec"], "min_rating": "Z"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"
    pm = client.put(
        "/api/v1/templates/hospital",
        headers=tenant.headers("project_manager"),
        json=copy.json()["spec"],
    )
    assert pm.status_code == 403


def test_insurer_ratings_are_editable(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("risk_manager")
    rating = {
        "name": "Granite State Casualty Co",
        "naic": "23841",
        "best_rating": "A+",
        "financial_size": "XV",
    }
    assert client.put("/api/v1/insurer-ratings", headers=headers, json=rating).status_code == 200
    rating["best_rating"] = "A"
    client.put("/api/v1/insurer-ratings", headers=headers, json=rating)
    assert client.get("/api/v1/insurer-ratings", headers=headers).json() == [rating]
