"""Outbound webhooks end to end: registration, signed deliveries, retries, replay, tenancy."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.settings import get_settings
from coverwatch.webhooks import service, signing, tasks
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant
from tests.webhooks.conftest import Receiver

EVENTS = ["status.changed", "deficiency.found", "certificate.expiring", "vendor.approved"]


def _register(client: TestClient, tenant: Tenant, url: str, events: list[str]) -> dict[str, Any]:
    response = client.post(
        "/api/v1/webhook-endpoints",
        headers=tenant.headers("risk_manager"),
        json={"url": url, "events": events, "description": "ERP"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _status_change(client: TestClient, tenant: Tenant, **certificate: Any) -> dict[str, Any]:
    """A project vendor whose certificate upload moves its status (deficient by default)."""
    headers = tenant.headers("admin")
    project = client.post(
        "/api/v1/projects",
        headers=headers,
        json={
            "name": "Harbor View Tower",
            "template": "ground-up",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
        },
    ).json()
    vendor = client.post("/api/v1/vendors", headers=headers, json={"legal_name": "Acme"}).json()
    pv = client.post(
        f"/api/v1/projects/{project['id']}/vendors",
        headers=headers,
        json={"vendor_id": vendor["id"]},
    ).json()
    overrides = {"insured": "Acme", "gl_each_occurrence": 500_000, "umbrella": None}
    overrides.update(certificate)
    cert = current_certificate(**overrides)
    response = client.post(
        f"/api/v1/vendors/{vendor['id']}/certificates",
        headers=headers,
        json=cert.model_dump(mode="json", by_alias=True),
    )
    assert response.status_code == 201, response.text
    return client.get(f"/api/v1/project-vendors/{pv['id']}", headers=headers).json()


def _deliveries(client: TestClient, tenant: Tenant, endpoint_id: int) -> list[dict[str, Any]]:
    response = client.get(
        f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries", headers=tenant.headers("viewer")
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _verify_as_integrator(secret: str, header: str, body: bytes) -> bool:
    # What docs/webhooks.md tells an integrator to do, written without coverwatch's code.
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = fields["t"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(expected, fields["v1"])


def test_a_status_change_delivers_a_signed_payload(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed", "deficiency.found"])
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    pv = _status_change(client, tenant)
    assert pv["status"] == "non_compliant"

    types = [r.headers["Coverwatch-Event-Type"] for r in receiver.requests]
    assert sorted(types) == ["deficiency.found", "status.changed"]
    for request in receiver.requests:
        assert request.path == "/hooks/coverwatch"
        assert _verify_as_integrator(secret, request.headers["Coverwatch-Signature"], request.body)
        assert not _verify_as_integrator(
            "whsec_wrong", request.headers["Coverwatch-Signature"], request.body
        )
        payload = json.loads(request.body)
        assert payload["id"] == request.headers["Coverwatch-Event-Id"]
        assert payload["type"] == request.headers["Coverwatch-Event-Type"]
        assert payload["organization_id"] == tenant.org_id
        assert payload["data"]["id"] == pv["id"]
        assert payload["data"]["status"] == "non_compliant"
        assert payload["data"]["vendor_name"] == "Acme"
    found = next(
        json.loads(r.body)
        for r in receiver.requests
        if r.headers["Coverwatch-Event-Type"] == "deficiency.found"
    )
    assert found["data"]["deficiencies"], "deficiency.found carries the open deficiencies"

    deliveries = _deliveries(client, tenant, endpoint["id"])
    assert {d["state"] for d in deliveries} == {"delivered"}
    assert all(d["attempt_count"] == 1 for d in deliveries)
    assert deliveries[0]["attempts"][0]["status_code"] == 200
    # The secret is shown once: never in reads.
    again = client.get(f"/api/v1/webhook-endpoints/{endpoint['id']}", headers=tenant.headers())
    assert again.json()["secret"] is None


def test_only_subscribed_events_are_sent(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    _register(client, tenant, receiver.url, ["vendor.approved"])
    _status_change(client, tenant)
    assert receiver.requests == []


def test_a_failing_receiver_is_retried_until_delivered(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed"])
    receiver.answers = [500]
    _status_change(client, tenant)
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    assert delivery["state"] == "pending"
    assert delivery["attempts"][0]["status_code"] == 500
    assert "HTTP 500" in delivery["last_error"]
    assert delivery["next_attempt_at"] is not None

    # The scheduled retry, played now instead of after the backoff delay.
    assert tasks.deliver(delivery["id"]) == "delivered"
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    assert delivery["state"] == "delivered"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 200]
    assert all(a["duration_ms"] >= 0 for a in delivery["attempts"])
    assert len(receiver.requests) == 2
    # Safe to run twice: a delivered delivery is not sent again.
    assert tasks.deliver(delivery["id"]) == "delivered"
    assert len(receiver.requests) == 2


def test_backoff_gives_up_after_the_last_attempt(client: TestClient, tenant: Tenant) -> None:
    assert [service.retry_delay(n) for n in range(1, 7)] == [10, 60, 600, 3600, 21600, None]
    endpoint = _register(client, tenant, "http://127.0.0.1:9/closed", ["status.changed"])
    _status_change(client, tenant)
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    assert delivery["state"] == "pending"
    assert "ConnectError" in delivery["last_error"]
    outcomes = [tasks.deliver(delivery["id"]) for _ in range(service.MAX_ATTEMPTS - 1)]
    assert outcomes[-1] == "failed"
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    assert delivery["state"] == "failed"
    assert delivery["attempt_count"] == service.MAX_ATTEMPTS
    assert delivery["next_attempt_at"] is None


def test_replay_sends_again(client: TestClient, tenant: Tenant, receiver: Receiver) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed"])
    _status_change(client, tenant)
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    response = client.post(
        f"/api/v1/webhook-deliveries/{delivery['id']}/replay", headers=tenant.headers()
    )
    assert response.status_code == 202, response.text
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert (
        receiver.requests[0].headers["Coverwatch-Event-Id"]
        == receiver.requests[1].headers["Coverwatch-Event-Id"]
    )
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    assert delivery["state"] == "delivered"
    assert [a["replay"] for a in delivery["attempts"]] == [False, True]


def test_rotating_the_secret_signs_with_the_new_one(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed"])
    rotated = client.patch(
        f"/api/v1/webhook-endpoints/{endpoint['id']}",
        headers=tenant.headers(),
        json={"rotate_secret": True},
    ).json()
    assert rotated["secret"] and rotated["secret"] != endpoint["secret"]
    _status_change(client, tenant)
    [request] = receiver.requests
    header = request.headers["Coverwatch-Signature"]
    assert signing.verify(rotated["secret"], header=header, body=request.body)
    assert not signing.verify(endpoint["secret"], header=header, body=request.body)


def test_endpoint_crud_and_validation(client: TestClient, tenant: Tenant) -> None:
    admin = tenant.headers("admin")
    bad = client.post(
        "/api/v1/webhook-endpoints",
        headers=admin,
        json={"url": "ftp://example.com/x", "events": ["status.changed"]},
    )
    assert bad.status_code == 422
    unknown = client.post(
        "/api/v1/webhook-endpoints",
        headers=admin,
        json={"url": "https://example.com/x", "events": ["vendor.deleted"]},
    )
    assert unknown.status_code == 422
    endpoint = _register(client, tenant, "https://erp.example.com/hooks", EVENTS)
    listing = client.get("/api/v1/webhook-endpoints", headers=tenant.headers("viewer")).json()
    assert listing["total"] == 1 and listing["items"][0]["secret"] is None
    patched = client.patch(
        f"/api/v1/webhook-endpoints/{endpoint['id']}",
        headers=admin,
        json={"events": ["vendor.approved"], "active": False},
    ).json()
    assert patched["events"] == ["vendor.approved"] and patched["active"] is False
    assert patched["secret"] is None
    gone = client.delete(f"/api/v1/webhook-endpoints/{endpoint['id']}", headers=admin)
    assert gone.status_code == 204
    assert (
        client.get(f"/api/v1/webhook-endpoints/{endpoint['id']}", headers=admin).status_code == 404
    )


def test_a_viewer_cannot_register(client: TestClient, tenant: Tenant) -> None:
    for role in ("viewer", "project_manager"):
        response = client.post(
            "/api/v1/webhook-endpoints",
            headers=tenant.headers(role),
            json={"url": "https://example.com/x", "events": ["status.changed"]},
        )
        assert response.status_code == 403, (role, response.text)


def test_another_orgs_endpoints_answer_404(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, receiver: Receiver
) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed"])
    _status_change(client, tenant)
    [delivery] = _deliveries(client, tenant, endpoint["id"])
    intruder = other_tenant.headers("admin")
    base = f"/api/v1/webhook-endpoints/{endpoint['id']}"
    assert client.get(base, headers=intruder).status_code == 404
    assert client.patch(base, headers=intruder, json={"active": False}).status_code == 404
    assert client.delete(base, headers=intruder).status_code == 404
    assert client.get(f"{base}/deliveries", headers=intruder).status_code == 404
    replay = client.post(f"/api/v1/webhook-deliveries/{delivery['id']}/replay", headers=intruder)
    assert replay.status_code == 404
    assert client.get("/api/v1/webhook-endpoints", headers=intruder).json()["total"] == 0
    assert len(receiver.requests) == 1


def test_private_destinations_are_refused_unless_the_deployment_allows_them(
    client: TestClient, tenant: Tenant, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    allowed = _register(client, tenant, receiver.url, ["status.changed"])
    monkeypatch.setattr(get_settings(), "webhook_allow_private", False)
    for url in (
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.8/hook",
        "http://[::1]/hook",
        "http://localhost/hook",
    ):
        refused = client.post(
            "/api/v1/webhook-endpoints",
            headers=tenant.headers("admin"),
            json={"url": url, "events": ["status.changed"]},
        )
        assert refused.status_code == 422, url
        assert refused.json()["error"]["code"] == "destination_not_allowed"
    # An endpoint saved while allowed is not called once the setting forbids it.
    _status_change(client, tenant, gl_each_occurrence=500_000, umbrella=None)
    [delivery] = _deliveries(client, tenant, allowed["id"])
    assert delivery["state"] == "pending" and "not a public address" in delivery["last_error"]
    assert receiver.requests == []


def test_finished_deliveries_are_pruned_after_the_retention_period(
    client: TestClient, tenant: Tenant, receiver: Receiver
) -> None:
    endpoint = _register(client, tenant, receiver.url, ["status.changed"])
    _status_change(client, tenant, gl_each_occurrence=500_000, umbrella=None)
    [delivered] = _deliveries(client, tenant, endpoint["id"])
    assert delivered["state"] == "delivered"
    assert service.prune_deliveries(older_than=timedelta(days=90)) == 0
    clock.travel(days=91)
    assert service.prune_deliveries(older_than=timedelta(days=90)) == 1
    assert _deliveries(client, tenant, endpoint["id"]) == []
