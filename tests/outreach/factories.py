"""A project with a sub (office contact and agent) added through the API, at a known moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.outreach.models import OutboundEmail, OutreachRequest
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant

# A Tuesday, 10:00 in New York (the default time zone): inside business hours.
TUESDAY_MORNING = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
SUB = "office@acme-roofing.example"
AGENT = "agent@bayside.example"
PM = "pm@summit.example"


@dataclass
class Sub:
    """The ids of a project, its vendor and their assignment."""

    project_id: int
    vendor_id: int
    project_vendor_id: int


def add_project(
    client: TestClient, tenant: Tenant, *, name: str = "Harbor View Tower", ends_in_days: int = 400
) -> int:
    """A ground-up project with a project manager, running from a month ago."""
    today = clock.today()
    response = client.post(
        "/api/v1/projects",
        headers=tenant.headers("admin"),
        json={
            "name": name,
            "template": "ground-up",
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=ends_in_days)).isoformat(),
            "certificate_holder": "Summit Builders, Inc.",
            "additional_insureds": ["Summit Builders, Inc."],
            "manager_email": PM,
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def add_vendor(
    client: TestClient,
    tenant: Tenant,
    *,
    name: str = "Acme Roofing, LLC",
    office: str = SUB,
    agent: str | None = AGENT,
) -> int:
    """A vendor with an office contact and (by default) an insurance agent."""
    contacts = [{"role": "office", "name": "Pat Office", "email": office}]
    if agent:
        contacts.append({"role": "insurance_agent", "name": "Dana Agent", "email": agent})
    response = client.post(
        "/api/v1/vendors",
        headers=tenant.headers("admin"),
        json={"legal_name": name, "contacts": contacts},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def assign(client: TestClient, tenant: Tenant, *, project_id: int, vendor_id: int) -> int:
    """Put the vendor on the project (this starts tracking and outreach)."""
    response = client.post(
        f"/api/v1/projects/{project_id}/vendors",
        headers=tenant.headers("admin"),
        json={"vendor_id": vendor_id, "trade": "roofing"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def add_sub(client: TestClient, tenant: Tenant, **vendor: Any) -> Sub:
    """A project, a vendor and the assignment of one to the other."""
    project_id = add_project(client, tenant)
    vendor_id = add_vendor(client, tenant, **vendor)
    return Sub(
        project_id, vendor_id, assign(client, tenant, project_id=project_id, vendor_id=vendor_id)
    )


def file_certificate(client: TestClient, tenant: Tenant, vendor_id: int, **overrides: Any) -> None:
    """Put a certificate on file through the API (JSON, as an integration would)."""
    body = current_certificate(**overrides).model_dump(mode="json", by_alias=True)
    response = client.post(
        f"/api/v1/vendors/{vendor_id}/certificates", headers=tenant.headers("admin"), json=body
    )
    assert response.status_code == 201, response.text


def emails_to(address: str, *, kind: str | None = None) -> list[OutboundEmail]:
    """Every email stored for an address (cc included), oldest first."""
    with session_scope() as session:
        rows = session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
        found = [
            e
            for e in rows
            if (e.to_address == address or address in e.cc) and (kind is None or e.kind == kind)
        ]
        session.expunge_all()
        return found


def requests_of(vendor_id: int) -> list[OutreachRequest]:
    """The outreach requests about a vendor, oldest first."""
    with session_scope() as session:
        rows = list(
            session.scalars(
                select(OutreachRequest)
                .where(OutreachRequest.vendor_id == vendor_id)
                .order_by(OutreachRequest.id)
            )
        )
        session.expunge_all()
        return rows
