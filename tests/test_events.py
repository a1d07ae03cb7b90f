"""Domain events reach their listeners inside the emitting transaction."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coverwatch import events
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant

seen: list[Any] = []


def _remember(_session: Session, event: Any) -> None:
    seen.append(event)


def test_status_changes_and_approvals_are_announced(client: TestClient, tenant: Tenant) -> None:
    events.subscribe(events.StatusChanged, _remember)
    events.subscribe(events.VendorApproved, _remember)
    events.subscribe(events.StatusChanged, _remember)  # twice is still once
    seen.clear()
    headers = tenant.headers("admin")
    project = client.post(
        "/api/v1/projects",
        headers=headers,
        json={"name": "Harbor View Tower", "template": "ground-up"},
    ).json()
    vendor = client.post(
        "/api/v1/vendors", headers=headers, json={"legal_name": "Acme Roofing, LLC"}
    ).json()
    pv = client.post(
        f"/api/v1/projects/{project['id']}/vendors",
        headers=headers,
        json={"vendor_id": vendor["id"]},
    ).json()
    client.post(
        f"/api/v1/vendors/{vendor['id']}/certificates",
        headers=headers,
        json=current_certificate().model_dump(mode="json", by_alias=True),
    )
    client.post(f"/api/v1/project-vendors/{pv['id']}/approve", headers=headers)
    changes = [e for e in seen if isinstance(e, events.StatusChanged)]
    assert [(e.before, e.after) for e in changes] == [("pending", "compliant")]
    assert changes[0].project_vendor_id == pv["id"]
    assert [type(e) for e in seen][-1] is events.VendorApproved
