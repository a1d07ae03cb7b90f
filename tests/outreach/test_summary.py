"""The one line the dashboard and the panel show on what coverwatch asked of a sub: as it is."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.certificates.schemas import Producer
from coverwatch.db import session_scope
from coverwatch.outreach.summary import outreach_summary
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    SUB,
    TUESDAY_MORNING,
    add_project,
    add_sub,
    assign,
    emails_to,
    file_certificate,
)


def _summary(project_vendor_id: int) -> str | None:
    with session_scope() as session:
        return outreach_summary(session, project_vendor_id=project_vendor_id)


def _vendor(client: TestClient, tenant: Tenant, contacts: list[dict[str, str]]) -> int:
    response = client.post(
        "/api/v1/vendors",
        headers=tenant.headers("admin"),
        json={"legal_name": "Acme Roofing, LLC", "contacts": contacts},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_fix_list_told_only_to_the_agent_says_no_sub_address_only_while_there_is_none(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    agent = {"role": "insurance_agent", "name": "Dana Agent", "email": AGENT}
    vendor_id = _vendor(client, tenant, [agent])
    pv = assign(client, tenant, project_id=add_project(client, tenant), vendor_id=vendor_id)
    file_certificate(client, tenant, vendor_id, gl_each_occurrence=500_000, umbrella=None)
    line = _summary(pv)
    assert line is not None
    assert line.startswith("Fix list sent to the sub's agent (no address on file for the sub)")
    office = {"role": "office", "name": "Pat Office", "email": SUB}
    patched = client.patch(
        f"/api/v1/vendors/{vendor_id}",
        headers=tenant.headers("admin"),
        json={"contacts": [agent, office]},
    )
    assert patched.status_code == 200, patched.text
    line = _summary(pv)
    assert line is not None and "no address" not in line
    assert line.startswith("Fix list sent to the sub")


def test_both_told_at_once_is_what_the_line_says(client: TestClient, tenant: Tenant) -> None:
    clock.travel(at=TUESDAY_MORNING)
    office = {"role": "office", "name": "Pat Office", "email": SUB}
    agent = {"role": "insurance_agent", "name": "Dana Agent", "email": AGENT}
    vendor_id = _vendor(client, tenant, [office, agent])
    pv = assign(client, tenant, project_id=add_project(client, tenant), vendor_id=vendor_id)
    clock.travel(hours=1)
    file_certificate(client, tenant, vendor_id, gl_each_occurrence=500_000, umbrella=None)
    line = _summary(pv)
    assert line is not None and line.startswith("Fix list sent to the sub and its agent")


def test_nothing_sent_yet_says_why(client: TestClient, tenant: Tenant) -> None:
    clock.travel(at=TUESDAY_MORNING)
    vendor_id = _vendor(client, tenant, [])
    pv = assign(client, tenant, project_id=add_project(client, tenant), vendor_id=vendor_id)
    assert _summary(pv) == "Certificate requested: no email address on file for this sub"


def test_an_agent_address_read_from_a_certificate_is_written_to_only_if_it_is_one(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant, agent=None)
    vendor_id, pv = sub.vendor_id, sub.project_vendor_id
    clock.travel(hours=1)
    # The producer's address as a scan might give it: its ".example" lost.
    producer = Producer(name="Harbor Insurance Agency", email="certs@harbor-agency")
    file_certificate(
        client, tenant, vendor_id, gl_each_occurrence=500_000, umbrella=None, producer=producer
    )
    assert not emails_to("certs@harbor-agency")
    assert [e.kind for e in emails_to(SUB)] == ["collection", "deficiency"]
    line = _summary(pv)
    assert line is not None and line.startswith("Fix list sent to the sub;")
    refusal = "its agent not written to: certs@harbor-agency is not a valid email address"
    assert refusal in line, line
    # Read right on a newer certificate, it is used, and the line says no more about it.
    clock.travel(hours=1)
    producer = Producer(name="Harbor Insurance Agency", email="Certs@Harbor-Agency.example")
    file_certificate(
        client, tenant, vendor_id, gl_each_occurrence=400_000, umbrella=None, producer=producer
    )
    assert [e.kind for e in emails_to("certs@harbor-agency.example")] == ["deficiency"]
    line = _summary(pv)
    assert line is not None and "not written to" not in line, line
