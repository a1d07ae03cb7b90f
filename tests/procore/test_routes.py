"""POST /webhooks/procore: authenticated, stored once, acknowledged fast, processed by a job.

Zulip style: each stored fixture is a real-shaped Procore delivery, named after its event.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from coverwatch.db import session_scope
from coverwatch.procore import service
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from coverwatch.vendors.models import ProjectVendor
from tests.orgs.factories import Tenant
from tests.procore.factories import SandboxAdmin, make_connection

FIXTURES = Path(__file__).with_name("fixtures")
COMPANY, PROJECT, VENDOR = 8089, 5123, 31001


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / f"{name}.json").read_text()))


@pytest.fixture
def secret(tenant: Tenant, sandbox: SandboxAdmin) -> str:
    """A connection to sandbox company 8089, whose project 5123 has vendor 31001."""
    sandbox._call("POST", "/companies", json={"name": "Summit Builders", "id": COMPANY})
    sandbox.project(COMPANY, "Harbor View Tower", id=PROJECT)
    sandbox.vendor(COMPANY, "Acme Roofing, LLC", id=VENDOR)
    sandbox._call("POST", f"/projects/{PROJECT}/vendors/{VENDOR}", params={"quiet": True})
    connection = make_connection(
        org_id=tenant.org_id,
        sandbox_url=sandbox.url,
        company_id=COMPANY,
        work_order_contracts=True,
    )
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        return service.ensure_webhook_secret(row)


def post(client: TestClient, body: dict[str, Any], authorization: str | None) -> Any:
    headers = {"Authorization": authorization} if authorization else {}
    return client.post("/webhooks/procore", json=body, headers=headers)


def deliveries() -> list[ProcoreDelivery]:
    with session_scope() as session:
        return list(session.scalars(select(ProcoreDelivery).order_by(ProcoreDelivery.id)))


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("project_vendors_create", "tracked"),
        # Procore still lists the vendor on the project: the current state wins over the event.
        ("project_vendors_delete__v3", "tracked"),
        ("company_vendors_update__v4", "ignored"),  # not a vendor of ours yet
        ("work_order_contracts_create", "gone"),  # no such contract in the sandbox
        ("project_insurances_create__our_write", "echo"),
        ("projects_create", "ignored"),  # no hooks installed for this connection
    ],
)
def test_each_event_type_is_acknowledged_and_handled(
    client: TestClient, secret: str, name: str, outcome: str
) -> None:
    response = post(client, fixture(name), secret)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    [delivery] = deliveries()
    assert delivery.outcome == outcome and delivery.processed_at is not None


def test_wrong_or_missing_authorization_is_401_stores_nothing_and_is_counted(
    client: TestClient, secret: str
) -> None:
    body = fixture("project_vendors_create")
    assert post(client, body, None).status_code == 401
    assert post(client, body, secret + "x").status_code == 401
    assert post(client, body, "Bearer " + "a" * 40).status_code == 401
    other_company = {**body, "company_id": 1}
    assert post(client, other_company, secret).status_code == 401  # nobody's: not counted
    assert deliveries() == []
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ProjectVendor)) == 0
        connection = session.scalars(select(ProcoreConnection)).one()
        assert connection.refused_deliveries == 3 and connection.last_refused_at is not None


def test_a_replayed_delivery_changes_nothing(client: TestClient, secret: str) -> None:
    body = fixture("project_vendors_create")
    assert post(client, body, secret).json()["status"] == "accepted"
    for _ in range(2):
        assert post(client, body, secret).json()["status"] == "duplicate"
    assert len(deliveries()) == 1
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ProjectVendor)) == 1


def test_a_late_create_after_removal_does_not_track(
    client: TestClient, secret: str, sandbox: SandboxAdmin
) -> None:
    sandbox._call("DELETE", f"/projects/{PROJECT}/vendors/{VENDOR}")
    response = post(client, fixture("project_vendors_create"), secret)
    assert response.status_code == 200
    [delivery] = deliveries()
    assert delivery.outcome == "not_on_project"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"company_id": COMPANY, "hello": "world"}, "not a Procore webhook"),
        (b'{"company_id": 8089, "resource_name": "Project Vend', "body is a JSON object"),
        (fixture("rfis_update__unsupported"), "RFIs is not a resource"),
        # Readable, but our columns cannot hold it (text SQLite and PostgreSQL both refuse).
        ({**fixture("project_vendors_create"), "event_type": "create\ud800"}, "not storable"),
    ],
    ids=["fields missing", "truncated", "unknown resource", "not storable"],
)
def test_an_unusable_delivery_of_our_hook_is_acknowledged_and_kept_once(
    client: TestClient, secret: str, body: dict[str, Any] | bytes, reason: str
) -> None:
    # Any non-2xx would pause the hook in Procore, holding every later delivery behind it.
    for _ in range(2):
        headers = {"Authorization": secret, "Content-Type": "application/json"}
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = client.post("/webhooks/procore", content=content, headers=headers)
        assert response.status_code == 200, response.text
    [delivery] = deliveries()
    assert delivery.outcome == "anomalous" and delivery.processed_at is not None
    assert delivery.anomaly is not None and reason in delivery.anomaly
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ProjectVendor)) == 0


def test_an_older_secret_is_found_again_once_a_readable_delivery_carried_it(
    client: TestClient, secret: str
) -> None:
    # A secret made before its digest was kept: an unreadable body cannot be matched to it ...
    with session_scope() as session:
        for row in session.scalars(select(ProcoreConnection)):
            row.webhook_secret_digest = None
    headers = {"Authorization": secret, "Content-Type": "application/json"}
    assert client.post("/webhooks/procore", content=b"{", headers=headers).status_code == 401
    # ... until a readable delivery proved it, which keeps the digest for next time.
    assert post(client, fixture("projects_create"), secret).status_code == 200
    assert client.post("/webhooks/procore", content=b"{", headers=headers).status_code == 200
    assert [d.outcome for d in deliveries()][-1] == "anomalous"


def test_deliveries_are_listed_for_their_organization_only(
    client: TestClient, secret: str, tenant: Tenant, other_tenant: Tenant
) -> None:
    post(client, fixture("project_vendors_create"), secret)
    mine = client.get("/api/v1/procore/deliveries", headers=tenant.headers("admin")).json()
    theirs = client.get("/api/v1/procore/deliveries", headers=other_tenant.headers("admin"))
    assert [d["outcome"] for d in mine["items"]] == ["tracked"]
    assert (theirs.json()["items"], theirs.json()["total"]) == ([], 0)
    connections = client.get("/api/v1/procore/connections", headers=tenant.headers("admin"))
    assert "secret" not in connections.text and connections.json()["items"][0]["company_id"]
    assert connections.json()["total"] == 1
    viewer = client.get("/api/v1/procore/connections", headers=tenant.headers("viewer"))
    assert viewer.status_code == 403


def test_deliveries_are_paged_newest_first(client: TestClient, secret: str, tenant: Tenant) -> None:
    for name in ("project_vendors_create", "rfis_update__unsupported", "projects_create"):
        assert post(client, fixture(name), secret).status_code == 200
    admin = tenant.headers("admin")
    newest = client.get("/api/v1/procore/deliveries?per_page=1", headers=admin).json()
    oldest = client.get("/api/v1/procore/deliveries?per_page=2&page=2", headers=admin).json()
    assert (len(newest["items"]), newest["total"]) == (1, 3)
    assert [d["outcome"] for d in newest["items"] + oldest["items"]] == ["ignored", "tracked"]
    assert [d["outcome"] for d in oldest["items"]] == ["tracked"]
    waiting = client.get("/api/v1/procore/deliveries?unprocessed=true", headers=admin).json()
    assert (waiting["items"], waiting["total"]) == ([], 0)
