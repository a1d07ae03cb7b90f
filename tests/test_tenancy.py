"""Every API route, called with a second organization's key and the first one's ids, refuses."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from fastapi.testclient import TestClient

from coverwatch.db import session_scope
from coverwatch.outreach import inbound
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant

SECRET_NAME = "Zebra Secret Roofing"


def _seed_first_tenant(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    admin = tenant.headers("admin")
    template = client.post(
        "/api/v1/templates", headers=admin, json={"key": "a-only-template", "based_on": "ground-up"}
    ).json()
    project = client.post(
        "/api/v1/projects",
        headers=admin,
        json={
            "name": "Zebra Secret Tower",
            "template": "a-only-template",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
        },
    ).json()
    # A webhook endpoint (on a closed loopback port): the status change below makes a delivery.
    endpoint = client.post(
        "/api/v1/webhook-endpoints",
        headers=admin,
        json={"url": "http://127.0.0.1:9/hook", "events": ["status.changed"]},
    ).json()
    vendor = client.post(
        "/api/v1/vendors",
        headers=admin,
        json={
            "legal_name": SECRET_NAME,
            "contacts": [{"role": "office", "email": "office@zebra.example"}],
        },
    ).json()
    pv = client.post(
        f"/api/v1/projects/{project['id']}/vendors", headers=admin, json={"vendor_id": vendor["id"]}
    ).json()
    certificate = current_certificate(
        insured=SECRET_NAME, gl_each_occurrence=500_000, umbrella=None
    )
    cert = client.post(
        f"/api/v1/vendors/{vendor['id']}/certificates",
        headers=admin,
        json=certificate.model_dump(mode="json", by_alias=True),
    ).json()
    pv = client.get(f"/api/v1/project-vendors/{pv['id']}", headers=admin).json()
    key = pv["deficiencies"][0]["key"]
    waiver = client.post(
        f"/api/v1/project-vendors/{pv['id']}/waivers",
        headers=tenant.headers("risk_manager"),
        json={"deficiency_key": key, "reason": "accepted by owner", "ends_on": "2099-01-01"},
    ).json()
    deliveries = client.get(
        f"/api/v1/webhook-endpoints/{endpoint['id']}/deliveries", headers=admin
    ).json()["items"]
    requests = client.get("/api/v1/outreach/requests", headers=admin).json()["items"]
    emails = client.get("/api/v1/outreach/emails", headers=admin).json()["items"]
    with session_scope() as session:
        message = inbound.receive(
            session,
            raw=b"From: someone@else.example\r\nSubject: Zebra papers\r\n\r\nhello\r\n",
            envelope_to=[f"{tenant.slug}@inbound.example"],
            envelope_from="someone@else.example",
        )
        message_id = message.id
    # A bulk import of the same vendor, with one certificate file in its ZIP.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("zebra.json", certificate.model_dump_json(by_alias=True))
    bulk = client.post(
        "/api/v1/imports",
        headers=admin,
        files={
            "vendors": ("vendors.csv", f"Vendor Name,Email\n{SECRET_NAME},office@zebra.example\n"),
            "certificates": ("certs.zip", archive.getvalue()),
        },
    ).json()
    files = client.get(f"/api/v1/imports/{bulk['id']}/files", headers=admin).json()["items"]
    return {
        "import_id": bulk["id"],
        "file_id": files[0]["id"],
        "request_id": requests[0]["id"],
        "email_id": emails[0]["id"],
        "message_id": message_id,
        "endpoint_id": endpoint["id"],
        "delivery_id": deliveries[0]["id"],
        "project_id": project["id"],
        "vendor_id": vendor["id"],
        "project_vendor_id": pv["id"],
        "certificate_id": cert["id"],
        "document_id": cert["document_id"],
        "waiver_id": waiver["id"],
        "key": template["key"],
        "deficiency_key": key,
    }


def _body_for(path: str, method: str, ids: dict[str, Any]) -> Any:
    if method in ("GET", "DELETE"):
        return None
    if path.endswith("/waivers"):
        return {
            "deficiency_key": ids["deficiency_key"],
            "reason": "because",
            "ends_on": "2099-01-01",
        }
    if path.endswith("/certificates"):
        return current_certificate(insured=SECRET_NAME).model_dump(mode="json", by_alias=True)
    if path.endswith("/projects/{project_id}/vendors") or path.endswith("/file"):
        return {"vendor_id": ids["vendor_id"]}
    if path.endswith("/mapping"):
        return {"mapping": {"vendor_name": 0}}
    if path.endswith("/files/{file_id}"):
        return {"import_vendor_id": None}
    if path.startswith("/api/v1/templates/{key}"):
        return {"key": "x", "name": "x", "lines": []}
    return {"name": "x", "legal_name": "x"}


def test_every_route_hides_another_tenants_rows(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    ids = _seed_first_tenant(client, tenant)
    intruder = other_tenant.headers("admin")
    checked = 0
    spec = client.get("/api/v1/openapi.json").json()
    for route_path, operations in spec["paths"].items():
        names = re.findall(r"{(\w+)}", route_path)
        for method in sorted(m.upper() for m in operations):
            path = route_path
            for name in names:
                path = path.replace("{" + name + "}", str(ids[name]))
            body = _body_for(route_path, method, ids)
            response = client.request(method, path, headers=intruder, json=body)
            text = response.text
            if names:
                assert response.status_code in (403, 404), (method, route_path, text)
            else:
                assert response.status_code < 500, (method, route_path, text)
            assert SECRET_NAME not in text and "Zebra" not in text, (method, route_path)
            checked += 1
    assert checked >= 25


def test_first_tenant_still_sees_its_own_rows(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    ids = _seed_first_tenant(client, tenant)
    response = client.get(
        f"/api/v1/project-vendors/{ids['project_vendor_id']}", headers=tenant.headers("viewer")
    )
    assert response.status_code == 200
    assert response.json()["vendor_name"] == SECRET_NAME
    listing = client.get("/api/v1/vendors", headers=other_tenant.headers("viewer")).json()
    assert listing["total"] == 0
