"""Two GCs and one roofer: Summit (A) holds Acme's certificate, Other Contracting (B) asks."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, Sub, add_sub, emails_to, file_certificate

B_HOLDER = "Other Contracting Co"
B_OFFICE = "estimating@acme-roofing.example"
B_PROJECT = "Bayfront Clinic"
# What only Summit (A) knows: its project, contacts, emails, and what its certificate prints
# beyond coverage (holder, producer, addresses, description of operations).
A_PRIVATE = (
    "Summit",
    "summit",
    "Harbor View Tower",
    SUB,
    "agent@bayside.example",
    "Pat Office",
    "Dana",
    "pm@summit.example",
    "Harbor Insurance Agency",
    "harbor-agency",
    "500 Main Street",
    "88 Industrial Ave",
    "Riverside Tower",
    "2417",
)
LINK = re.compile(r"https?://[^/\s]+(/r/[A-Za-z0-9_.\-]+)")


def a_holds_acme(
    client: TestClient, a: Tenant, *, name: str = "Acme Roofing, LLC", office: str = SUB
) -> tuple[Sub, str]:
    """Summit asks its sub (the email's link), then the sub's compliant certificate is on file."""
    sub = add_sub(client, a, name=name, office=office)
    [email] = emails_to(office)
    found = LINK.search(email.text_body)
    assert found, email.text_body
    file_certificate(client, a, sub.vendor_id, insured=name)
    return sub, found.group(1)


def b_project(client: TestClient, b: Tenant) -> int:
    """Other Contracting's ground-up project, with itself as holder and additional insured."""
    today = clock.today()
    response = client.post(
        "/api/v1/projects",
        headers=b.headers("admin"),
        json={
            "name": B_PROJECT,
            "template": "ground-up",
            "start_date": (today - timedelta(days=10)).isoformat(),
            "end_date": (today + timedelta(days=150)).isoformat(),
            "certificate_holder": B_HOLDER,
            "additional_insureds": [B_HOLDER],
            "manager_email": "pm@other.example",
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def b_vendor(
    client: TestClient,
    b: Tenant,
    *,
    name: str = "ACME ROOFING LLC",
    office: str = B_OFFICE,
    agent: str | None = None,
    tax_id: str | None = None,
) -> int:
    """Other Contracting's own record of the roofer (its own contacts)."""
    contacts: list[dict[str, Any]] = [{"role": "office", "name": "Lee Front", "email": office}]
    if agent:
        contacts.append({"role": "insurance_agent", "email": agent})
    body: dict[str, Any] = {"legal_name": name, "contacts": contacts}
    if tax_id:
        body["external_ids"] = {"tax_id": tax_id}
    response = client.post("/api/v1/vendors", headers=b.headers("admin"), json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def b_assign(
    client: TestClient, b: Tenant, *, project_id: int, vendor_id: int, trade: str | None = None
) -> dict[str, Any]:
    """B puts its vendor on its project: the evaluation and the outreach decision follow."""
    response = client.post(
        f"/api/v1/projects/{project_id}/vendors",
        headers=b.headers("admin"),
        json={"vendor_id": vendor_id, "trade": trade},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def consent(client: TestClient, link: str, *, allow: bool = True) -> str:
    """The sub ticks (or unticks) the box on its portal page."""
    response = client.post(link + "/network", data={"allow": "yes" if allow else "no"})
    assert response.status_code == 200, response.text
    return response.text


def everything_b_sees(
    client: TestClient, b: Tenant, *, vendor_id: int, project_id: int, project_vendor_id: int
) -> dict[str, Any]:
    """Every answer of the API that Other Contracting can ask about the roofer."""
    paths = [
        "/vendors",
        f"/vendors/{vendor_id}",
        f"/vendors/{vendor_id}/network",
        f"/vendors/{vendor_id}/certificates",
        f"/projects/{project_id}/vendors",
        "/project-vendors",
        f"/project-vendors/{project_vendor_id}",
        f"/project-vendors/{project_vendor_id}/compliance",
        f"/project-vendors/{project_vendor_id}/evaluations",
        "/review-queue",
        "/audit-events?per_page=200",
        "/outreach/requests",
        "/outreach/emails",
    ]
    seen = {path: api(client, b, path) for path in paths}
    for email in seen["/outreach/emails"]["items"]:
        path = f"/outreach/emails/{email['id']}"
        seen[path] = api(client, b, path)
    return seen


def api(client: TestClient, tenant: Tenant, path: str) -> Any:
    """One organization's GET under /api/v1, which must answer 200."""
    response = client.get("/api/v1" + path, headers=tenant.headers("admin"))
    assert response.status_code == 200, (path, response.text)
    return response.json()


def assert_kept_private(text: str) -> None:
    """Nothing only Summit (A) knows is in the text."""
    leaked = [private for private in A_PRIVATE if private in text]
    assert leaked == []
