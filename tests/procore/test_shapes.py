"""The sandbox and the client against Procore's own shapes (fixtures from Procore's OpenAPI).

The files in fixtures/resources/ take their keys from the SDK generated from Procore's OpenAPI
(fixtures/resources/SOURCES.md), not from our sandbox: the sandbox may answer fewer fields than
Procore, never one Procore does not have, and the client reads the fixtures as Procore's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from coverwatch.procore import hooks
from coverwatch.procore.vendor_record import vendor_fields
from coverwatch.procore.webhooks import parse_event
from tests.procore.conftest import Linked

FIXTURES = Path(__file__).parent / "fixtures"
RESOURCES = FIXTURES / "resources"


def _fixture(name: str) -> Any:
    return json.loads((RESOURCES / name).read_text())


def _keys(name: str) -> set[str]:
    data = _fixture(name)
    return set(data[0] if isinstance(data, list) else data)


def test_there_is_an_event_fixture_for_every_trigger_we_install() -> None:
    seen = set()
    for path in FIXTURES.glob("*.json"):
        event = parse_event(json.loads(path.read_text()))
        seen.add((event.resource_name, event.event_type))
    wanted = set(hooks.COMPANY_TRIGGERS + hooks.PROJECT_TRIGGERS + hooks.CONTRACT_TRIGGERS)
    assert wanted - seen == set()


def test_a_vendors_name_is_its_own_in_every_view() -> None:
    # In the extended view `legal_name` is the parent's name; the normal view has none.
    extended = _fixture("project_vendor__extended.json")
    normal = _fixture("project_vendor__normal.json")
    company = _fixture("company_vendor.json")
    assert extended["legal_name"] == extended["parent"]["name"] != extended["name"]
    assert "legal_name" not in normal
    names = {vendor_fields(data)[0] for data in (extended, normal, company)}
    assert names == {"Bayside Drywall Inc"}
    assert "Bayside Holdings LLC" not in vendor_fields(extended)[1]


def _sandbox_get(linked: Linked, path: str, **params: Any) -> Any:
    token = httpx.post(
        f"{linked.sandbox_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
        },
    ).json()["access_token"]
    response = httpx.get(
        f"{linked.sandbox_url}{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}", "Procore-Company-Id": str(linked.company_id)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return body[0] if isinstance(body, list) else body


@pytest.fixture
def directory(linked: Linked) -> dict[str, int]:
    parent = linked.admin.vendor(linked.company_id, "Bayside Holdings LLC")
    vendor = linked.admin.vendor(linked.company_id, "Bayside Drywall Inc", parent_id=parent["id"])
    project = linked.admin.project(linked.company_id)
    linked.admin.add_to_project(project["id"], vendor["id"])
    contract = linked.admin.contract("work_order_contracts", project["id"], vendor["id"])
    order = linked.admin.contract("purchase_order_contracts", project["id"], vendor["id"])
    return {
        "project": project["id"],
        "vendor": vendor["id"],
        "contract": contract["id"],
        "order": order["id"],
    }


def test_the_sandbox_answers_no_field_procore_lacks(
    linked: Linked, directory: dict[str, int]
) -> None:
    project, vendor = directory["project"], directory["vendor"]
    answers = {
        "company.json": ("/rest/v1.0/companies", {}),
        "project.json": (f"/rest/v1.0/projects/{project}", {"company_id": linked.company_id}),
        "company_vendor.json": (f"/rest/v1.0/vendors/{vendor}", {"company_id": linked.company_id}),
        "project_vendor__normal.json": (f"/rest/v1.0/projects/{project}/vendors/{vendor}", {}),
        "project_vendor__extended.json": (
            f"/rest/v1.0/projects/{project}/vendors/{vendor}",
            {"view": "extended"},
        ),
        "work_order_contract.json": (
            f"/rest/v1.0/work_order_contracts/{directory['contract']}",
            {"project_id": project},
        ),
        "purchase_order_contract.json": (
            f"/rest/v1.0/purchase_order_contracts/{directory['order']}",
            {"project_id": project},
        ),
        "webhook_resources__project.json": (
            "/rest/v1.0/webhooks/resources",
            {"project_id": project},
        ),
        "webhook_resources__company.json": (
            "/rest/v1.0/webhooks/resources",
            {"company_id": linked.company_id},
        ),
    }
    for fixture, (path, params) in answers.items():
        answered = set(_sandbox_get(linked, path, **params))
        assert answered - _keys(fixture) == set(), fixture
    # The views differ as Procore documents them.
    normal = _sandbox_get(linked, f"/rest/v1.0/projects/{project}/vendors/{vendor}")
    extended = _sandbox_get(
        linked, f"/rest/v1.0/projects/{project}/vendors/{vendor}", view="extended"
    )
    assert "legal_name" not in normal
    assert extended["legal_name"] == "Bayside Holdings LLC" != extended["name"]
