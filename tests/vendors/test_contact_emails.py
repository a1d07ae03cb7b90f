"""Addresses given through the API: one rule (email-validator's), a clear 422, stored normalised."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.projects.models import Project
from coverwatch.vendors.models import VendorContact
from tests.orgs.factories import Tenant

BAD = [
    ("pat@@acme.example", "not a valid email address"),
    ("pat@example", "should have a period"),
    ("Pat Lee <pat@acme.example>", "without a name or angle brackets"),
    ("pat@acme.test", "special-use or reserved name"),
    ("pat acme.example", "must have an @-sign"),
]


def _vendor(client: TestClient, tenant: Tenant, email: str) -> Any:
    return client.post(
        "/api/v1/vendors",
        headers=tenant.headers("admin"),
        json={
            "legal_name": "Acme Roofing, LLC",
            "contacts": [{"role": "office", "name": "Pat Lee", "email": email}],
        },
    )


@pytest.mark.parametrize(("email", "reason"), BAD)
def test_a_contact_with_an_address_that_is_not_one_is_refused_with_the_reason(
    client: TestClient, tenant: Tenant, email: str, reason: str
) -> None:
    response = _vendor(client, tenant, email)
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert detail["loc"] == ["body", "contacts", 0, "email"]
    assert "not a valid email address" in detail["msg"] and reason in detail["msg"]
    with session_scope() as session:
        assert session.scalars(select(VendorContact)).all() == []


def test_an_internationalised_address_is_accepted_and_stored_normalised(
    client: TestClient, tenant: Tenant
) -> None:
    response = _vendor(client, tenant, "  Zoë.Ruiz@BÜCHER.Example ")
    assert response.status_code == 201, response.text
    assert response.json()["contacts"][0]["email"] == "zoë.ruiz@bücher.example"
    # The same domain written in its ASCII (punycode) form is the same address.
    punycode = _vendor(client, tenant, "dana@xn--bcher-kva.example")
    assert punycode.status_code == 201, punycode.text
    with session_scope() as session:
        stored = set(session.scalars(select(VendorContact.email)))
    assert stored == {"zoë.ruiz@bücher.example", "dana@bücher.example"}


def test_replacing_contacts_checks_their_addresses_too(client: TestClient, tenant: Tenant) -> None:
    vendor_id = _vendor(client, tenant, "pat@acme.example").json()["id"]
    patched = client.patch(
        f"/api/v1/vendors/{vendor_id}",
        headers=tenant.headers("admin"),
        json={"contacts": [{"role": "insurance_agent", "email": "certs@bayside"}]},
    )
    assert patched.status_code == 422, patched.text
    assert "should have a period" in patched.json()["error"]["details"][0]["msg"]


def test_a_project_managers_address_follows_the_same_rule(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"name": "Harbor View Tower", "template": "ground-up"}
    refused = client.post(
        "/api/v1/projects",
        headers=tenant.headers("admin"),
        json={**body, "manager_email": "pm@@summit.example"},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"][0]["loc"] == ["body", "manager_email"]
    created = client.post(
        "/api/v1/projects",
        headers=tenant.headers("admin"),
        json={**body, "manager_email": "PM@Summit.Example"},
    )
    assert created.status_code == 201, created.text
    with session_scope() as session:
        assert session.scalars(select(Project.manager_email)).all() == ["pm@summit.example"]
