"""The dashboard's Procore page: install report, refusals, odd deliveries, disconnection."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from coverwatch.db import session_scope, utcnow
from coverwatch.procore import service
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from tests.orgs.factories import Tenant
from tests.procore.factories import make_connection
from tests.web.test_dashboard import _web

COMPANY = 8089


def _connection(tenant: Tenant) -> tuple[int, str]:
    connection = make_connection(
        org_id=tenant.org_id,
        sandbox_url="http://127.0.0.1:9",
        company_id=COMPANY,
        company_name="Summit Builders",
    )
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        row.install_report = {
            f"company:{COMPANY}": {"Projects create": {"state": "installed", "message": None}},
            "project:5123": {
                "Project Vendors create": {
                    "state": "refused",
                    "message": "Project Vendors create is not available for this hook",
                }
            },
        }
        session.add(
            ProcoreDelivery(
                org_id=tenant.org_id,
                connection_id=row.id,
                event_key="01JQNOACCESS",
                resource_name="Project Vendors",
                event_type="delete",
                resource_id="31001",
                project_id="5123",
                payload={},
                processed_at=utcnow(),
                outcome="no_access",
            )
        )
        return row.id, service.ensure_webhook_secret(row)


def test_an_admin_sees_refusals_odd_deliveries_and_hidden_projects(
    client: TestClient, tenant: Tenant
) -> None:
    connection_id, secret = _connection(tenant)
    garbled = b'{"company_id": 8089, "resource_na'
    assert client.post("/webhooks/procore", content=garbled, headers={"Authorization": secret})
    wrong = client.post(
        "/webhooks/procore", json={"company_id": COMPANY}, headers={"Authorization": "Bearer no"}
    )
    assert wrong.status_code == 401
    page = _web(client, tenant, "admin").get("/dashboard/procore")
    assert page.status_code == 200
    text = page.text
    assert "Summit Builders" in text and f'id="state-{connection_id}">Active' in text
    assert 'href="/dashboard/procore"' in text  # in the shared nav
    tracked = re.search(rf'id="tracked-{connection_id}">(.*?)</p>', text, re.S)
    assert tracked is not None and "directory: every trade, not the GC" in tracked.group(1)
    assert "expiry emails on the records coverwatch writes: off" in tracked.group(1)
    refused_row = re.search(r'<tr class="trigger refused">(.*?)</tr>', text, re.S)
    assert refused_row is not None and "not available for this hook" in refused_row.group(1)
    refused = re.search(rf'id="refused-{connection_id}">(.*?)</p>', text, re.S)
    assert refused is not None and "1 delivery refused" in refused.group(1)
    assert "A rotated secret?" in refused.group(1)
    anomalous = re.search(rf'id="anomalous-{connection_id}">(.*?)</table>', text, re.S)
    assert anomalous is not None and "JSON object" in anomalous.group(1)
    hidden = re.search(rf'id="not-permitted-{connection_id}">(.*?)</p>', text, re.S)
    assert hidden is not None and "5123" in hidden.group(1)
    api = client.get("/api/v1/procore/connections", headers=tenant.headers("admin")).json()
    [shown] = api["items"]
    assert shown["refused_deliveries"] == 1 and shown["last_refused_at"]
    assert shown["install_report"]["project:5123"]["Project Vendors create"]["state"] == "refused"
    assert shown["disconnected_reason"] is None


def test_a_disconnected_connection_says_why_and_a_viewer_sees_none(
    client: TestClient, tenant: Tenant
) -> None:
    connection_id, _secret = _connection(tenant)
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection_id)
        assert row is not None
        row.active = False
        row.disconnected_reason = "Procore answered 403: App is not connected to this company"
    page = _web(client, tenant, "risk_manager").get("/dashboard/procore")
    state = re.search(rf'id="state-{connection_id}">(.*?)</p>', page.text, re.S)
    assert state is not None and "Disconnected: Procore answered 403" in state.group(1)
    viewer = _web(client, tenant, "viewer").get("/dashboard/procore")
    assert viewer.status_code == 403 and f"connection-{connection_id}" not in viewer.text
