"""The network over time: the dashboard before any email, the agent's link, new certificates."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.network.models import NetworkConsent
from tests.network.factories import (
    B_HOLDER,
    B_OFFICE,
    LINK,
    a_holds_acme,
    api,
    assert_kept_private,
    b_assign,
    b_project,
    b_vendor,
    consent,
)
from tests.orgs.factories import Tenant
from tests.outreach.factories import AGENT, TUESDAY_MORNING, emails_to, file_certificate
from tests.web.test_dashboard import _web


def test_b_s_dashboard_shows_the_coverage_on_file_in_the_network_only_with_consent(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    project_id = b_project(client, other_tenant)
    vendor_id = b_vendor(client, other_tenant)
    web = _web(client, other_tenant, "risk_manager")
    b_assign(client, other_tenant, project_id=project_id, vendor_id=vendor_id)
    page = web.get("/dashboard")
    assert page.status_code == 200 and "ACME ROOFING LLC" in page.text
    assert "On file in the network" not in page.text
    consent(client, link)
    page = web.get("/dashboard")
    assert "On file in the network" in page.text
    assert "General liability, each occurrence $2,000,000" in page.text
    assert_kept_private(page.text)


def test_the_network_is_shown_through_the_api_before_any_email_is_sent(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    vendor_id = b_vendor(client, other_tenant)
    shown = api(client, other_tenant, f"/vendors/{vendor_id}/network")
    assert shown["on_file_in_network"] is True and emails_to(B_OFFICE) == []


def test_the_agent_s_link_can_allow_the_sharing_too(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    # Summit's project needs more than the certificate shows, so its agent gets a link.
    sub, _link = a_holds_acme(client, tenant)
    assert (
        api(client, tenant, f"/project-vendors/{sub.project_vendor_id}")["status"]
        == "non_compliant"
    )
    agent_emails = [e for e in emails_to(AGENT) if e.kind == "deficiency"]
    assert agent_emails, [e.kind for e in emails_to(AGENT)]
    found = LINK.search(agent_emails[0].text_body or "")
    assert found
    consent(client, found.group(1))
    with session_scope() as session:
        [row] = session.scalars(select(NetworkConsent)).all()
        assert (row.granted_role, row.granted_by) == ("agent", AGENT)
    vendor_id = b_vendor(client, other_tenant)
    shown = api(client, other_tenant, f"/vendors/{vendor_id}/network")
    assert shown["on_file_in_network"] is True


def test_b_s_own_certificate_then_decides_and_a_s_new_one_reaches_b(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    project_id = b_project(client, other_tenant)
    vendor_id = b_vendor(client, other_tenant)
    b_pv = b_assign(client, other_tenant, project_id=project_id, vendor_id=vendor_id)["id"]
    # Summit gets a certificate with a higher limit: B is evaluated again from it at once.
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=3_000_000)
    evaluations = api(client, other_tenant, f"/project-vendors/{b_pv}/evaluations")["items"]
    latest = max(evaluations, key=lambda e: e["id"])
    assert latest["trigger"] == "network" and latest["certificate_ids"] == []
    used = {u["coverage"]: u for u in latest["result"]["policies_used"]}
    assert "general_liability" in used, used
    shown = api(client, other_tenant, f"/vendors/{vendor_id}/network")
    gl = next(p for p in shown["coverage"] if p["coverage"] == "general_liability")
    assert gl["limits"]["each_occurrence"] == 3_000_000
    # The agent's certificate for B arrives: B's own decides, and it names B as holder.
    file_certificate(
        client,
        other_tenant,
        vendor_id,
        insured="ACME ROOFING LLC",
        holder_name=B_HOLDER,
        description=f"{B_HOLDER} is additional insured per CG 20 10 04 13 and CG 20 37 04 13.",
    )
    response = api(client, other_tenant, f"/project-vendors/{b_pv}")
    codes = {d["code"] for d in response["deficiencies"]}
    assert "certificate_holder_mismatch" not in codes and "additional_insured_missing" not in codes
    assert re.search("Summit", str(response)) is None
