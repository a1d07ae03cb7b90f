"""Requirement templates through the API: copies, versions, validation, ratings."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from tests.orgs.factories import Tenant


def test_an_organization_starts_with_the_four_builtin_packs(
    client: TestClient, tenant: Tenant
) -> None:
    listing = client.get("/api/v1/templates", headers=tenant.headers()).json()
    keys = [t["key"] for t in listing["items"]]
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
    assert [v["version"] for v in versions["items"]] == [2, 1]
    assert versions["items"][1]["spec"]["renewal_window_days"] == 30
    newest = client.get("/api/v1/templates/ground-up/versions?per_page=1", headers=headers).json()
    oldest = client.get(
        "/api/v1/templates/ground-up/versions?per_page=1&page=2", headers=headers
    ).json()
    assert [v["version"] for v in newest["items"] + oldest["items"]] == [2, 1]
    assert newest["total"] == oldest["total"] == 2


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
    listing = client.get("/api/v1/insurer-ratings", headers=headers).json()
    assert listing == {"items": [rating], "page": 1, "per_page": 50, "total": 1}


def test_template_lists_are_paged(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("risk_manager")
    first = client.get("/api/v1/templates?per_page=1", headers=headers).json()
    assert (len(first["items"]), first["page"], first["per_page"], first["total"]) == (1, 1, 1, 4)
    last = client.get("/api/v1/templates?per_page=3&page=2", headers=headers).json()
    assert [t["key"] for t in first["items"] + last["items"]] == [
        "federal-far-28-307-2",
        "tenant-improvement",
    ]
    past_the_end = client.get("/api/v1/templates?per_page=3&page=3", headers=headers).json()
    assert (past_the_end["items"], past_the_end["total"]) == ([], 4)
    packs = client.get("/api/v1/templates/builtin?per_page=1", headers=headers).json()
    assert len(packs["items"]) == 1 and packs["total"] == len(BUILTIN_TEMPLATES)
    assert client.get("/api/v1/templates?per_page=501", headers=headers).status_code == 422


def test_insurer_ratings_are_paged_by_name(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("risk_manager")
    for name in ("Zenith Mutual", "Acorn Casualty", "Granite State Casualty Co"):
        rating = {"name": name, "best_rating": "A"}
        assert (
            client.put("/api/v1/insurer-ratings", headers=headers, json=rating).status_code == 200
        )
    second = client.get("/api/v1/insurer-ratings?per_page=1&page=2", headers=headers).json()
    assert [r["name"] for r in second["items"]] == ["Granite State Casualty Co"]
    assert second["total"] == 3
