"""Coverage on file: a vendor compliant on one project is decided at once on the next one."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    SUB,
    TUESDAY_MORNING,
    add_project,
    add_vendor,
    emails_to,
    file_certificate,
    requests_of,
)


def _second_project(client: TestClient, tenant: Tenant, **fields: object) -> int:
    body = {
        "name": "Bayside Clinic",
        "template": "ground-up",
        "certificate_holder": "Summit Builders, Inc.",
        "additional_insureds": ["Summit Builders, Inc."],
        **fields,
    }
    response = client.post("/api/v1/projects", headers=tenant.headers("admin"), json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _assign(client: TestClient, tenant: Tenant, project_id: int, vendor_id: int, trade: str) -> int:
    response = client.post(
        f"/api/v1/projects/{project_id}/vendors",
        headers=tenant.headers("admin"),
        json={"vendor_id": vendor_id, "trade": trade},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _project_vendor(client: TestClient, tenant: Tenant, project_vendor_id: int) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/project-vendors/{project_vendor_id}", headers=tenant.headers("admin")
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _compliant_on_a_first_project(client: TestClient, tenant: Tenant) -> int:
    """A vendor on a ground-up project as drywall (a $5M umbrella), compliant; its id."""
    clock.travel(at=TUESDAY_MORNING)
    first = add_project(client, tenant)
    vendor_id = add_vendor(client, tenant)
    pv = _assign(client, tenant, first, vendor_id, "drywall")
    file_certificate(client, tenant, vendor_id)
    assert _project_vendor(client, tenant, pv)["status"] == "compliant"
    return vendor_id


def test_compliant_vendor_added_to_a_second_project_is_compliant_without_a_request(
    client: TestClient, tenant: Tenant
) -> None:
    vendor_id = _compliant_on_a_first_project(client, tenant)
    before = len(emails_to(SUB)) + len(emails_to(AGENT))

    second = _second_project(client, tenant)
    pv = _assign(client, tenant, second, vendor_id, "drywall")

    shown = _project_vendor(client, tenant, pv)
    assert shown["status"] == "compliant", [d["message"] for d in shown["deficiencies"]]
    assert [r.kind for r in requests_of(vendor_id) if r.state == "open"] == []
    assert len(emails_to(SUB)) + len(emails_to(AGENT)) == before


def test_only_what_the_new_project_adds_is_asked_for(client: TestClient, tenant: Tenant) -> None:
    vendor_id = _compliant_on_a_first_project(client, tenant)
    collections = len(emails_to(SUB, kind="collection"))

    # The second project names another holder, and roofing there wants a $10M umbrella.
    second = _second_project(client, tenant, certificate_holder="Bayside Health District")
    pv = _assign(client, tenant, second, vendor_id, "roofing")

    shown = _project_vendor(client, tenant, pv)
    assert shown["status"] == "non_compliant"
    codes = sorted(d["code"] for d in shown["deficiencies"])
    assert codes == ["certificate_holder_mismatch", "limit_below_minimum", "limit_below_minimum"]
    holder = next(d for d in shown["deficiencies"] if d["code"] == "certificate_holder_mismatch")
    assert "naming “Bayside Health District” as certificate holder" in holder["message"]
    open_requests = [(r.kind, r.project_id) for r in requests_of(vendor_id) if r.state == "open"]
    assert open_requests == [("deficiency", second)]
    [notice] = emails_to(AGENT, kind="deficiency")
    assert "Bayside Health District" in notice.text_body
    assert "$10,000,000" in notice.text_body
    # Nothing the certificate on file already shows is asked for again, and no upload request.
    assert "additional insured" not in notice.text_body.lower()
    assert len(emails_to(SUB, kind="collection")) == collections
