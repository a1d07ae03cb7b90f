"""A template edit shows its effect first, and the emails it causes wait a grace period."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.outreach.tasks import plan_all
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    SUB,
    TUESDAY_MORNING,
    Sub,
    add_sub,
    emails_to,
    file_certificate,
)

TEMPLATE = "/api/v1/templates/ground-up"


def _compliant_sub(client: TestClient, tenant: Tenant) -> Sub:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    file_certificate(client, tenant, sub.vendor_id, umbrella=10_000_000)
    assert _status(client, tenant, sub) == "compliant"
    return sub


def _status(client: TestClient, tenant: Tenant, sub: Sub) -> str:
    url = f"/api/v1/project-vendors/{sub.project_vendor_id}"
    return str(client.get(url, headers=tenant.headers("admin")).json()["status"])


def _raised(spec: dict[str, Any], amount: int) -> dict[str, Any]:
    lines = [
        {**line, "limits": {**line["limits"], "each_occurrence": amount}}
        if line["coverage"] == "general_liability"
        else line
        for line in spec["lines"]
    ]
    return {**spec, "lines": lines}


def _spec(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    return dict(client.get(TEMPLATE, headers=tenant.headers("admin")).json()["spec"])


def _deficiency_emails() -> int:
    return len(emails_to(SUB, kind="deficiency")) + len(emails_to(AGENT, kind="deficiency"))


def test_a_dry_run_says_who_would_change_and_saves_and_sends_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    sub = _compliant_sub(client, tenant)
    before = _spec(client, tenant)
    headers = tenant.headers("risk_manager")
    response = client.put(
        f"{TEMPLATE}?dry_run=true", headers=headers, json=_raised(before, 20_000_000)
    )
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["dry_run"] is True and preview["complete"] is True
    [change] = preview["changes"]
    assert change["project_vendor_id"] == sub.project_vendor_id
    assert change["vendor_name"] == "Acme Roofing, LLC"
    assert (change["status"], change["would_be"]) == ("compliant", "non_compliant")
    assert change["would_be_label"] == "Not compliant"
    assert any("$20,000,000" in gap for gap in change["new_gaps"])
    # Nothing was saved, re-evaluated or sent.
    assert client.get(TEMPLATE, headers=headers).json()["version"] == preview["version"]
    assert _spec(client, tenant) == before
    assert _status(client, tenant, sub) == "compliant"
    assert _deficiency_emails() == 0
    # A spec that is not valid is refused in a dry run as in a save.
    bad = client.put(f"{TEMPLATE}?dry_run=true", headers=headers, json={"lines": "no"})
    assert bad.status_code == 422


def test_an_edit_put_right_within_the_grace_period_tells_no_one(
    client: TestClient, tenant: Tenant
) -> None:
    sub = _compliant_sub(client, tenant)
    before = _spec(client, tenant)
    headers = tenant.headers("risk_manager")
    assert client.put(TEMPLATE, headers=headers, json=_raised(before, 20_000_000)).is_success
    assert _status(client, tenant, sub) == "non_compliant"  # the status is real at once
    plan_all()
    assert _deficiency_emails() == 0
    clock.travel(hours=10 / 60)
    assert client.put(TEMPLATE, headers=headers, json=before).is_success
    assert _status(client, tenant, sub) == "compliant"
    for _ in range(4):
        clock.travel(hours=0.25)
        plan_all()
    assert _deficiency_emails() == 0


def test_an_edit_kept_past_the_grace_period_tells_the_sub_and_its_agent(
    client: TestClient, tenant: Tenant
) -> None:
    sub = _compliant_sub(client, tenant)
    headers = tenant.headers("risk_manager")
    raised = _raised(_spec(client, tenant), 20_000_000)
    assert client.put(TEMPLATE, headers=headers, json=raised).is_success
    clock.travel(hours=20 / 60)
    plan_all()
    assert _deficiency_emails() == 0
    clock.travel(hours=0.25)
    plan_all()
    assert len(emails_to(SUB, kind="deficiency")) == 1
    [to_agent] = emails_to(AGENT, kind="deficiency")
    assert "$20,000,000" in to_agent.text_body
    assert _status(client, tenant, sub) == "non_compliant"
