"""The agent's link, revoking links, editable cadences, and the weekly digest."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.outreach import digest
from coverwatch.outreach.tasks import plan_all
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    PM,
    SUB,
    TUESDAY_MORNING,
    add_sub,
    emails_to,
    file_certificate,
    requests_of,
)

LINK = re.compile(r"https?://[^/\s]+(/r/[\w.\-]+)")


def test_the_agent_reports_a_cancellation_and_the_sub_lapses_on_that_day(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    # Short of GL: the agent gets its own link with the fix list.
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=500_000, umbrella=None)
    [notice] = emails_to(AGENT, kind="deficiency")
    link = LINK.search(notice.text_body)
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200 and 'id="report-cancellation"' in page.text
    ends = clock.today() + timedelta(days=10)
    reported = client.post(
        link.group(1) + "/cancellation",
        data={"policy": "general_liability:GL-4410-22", "effective": ends.isoformat()},
    )
    assert reported.status_code == 200, reported.text
    assert 'id="cancellation-recorded"' in reported.text
    alerts = emails_to(f"risk_manager@{tenant.slug}.example", kind="cancellation")
    assert len(alerts) == 1 and "GL-4410-22" in alerts[0].text_body
    assert PM in [e.to_address for e in emails_to(PM, kind="cancellation")]
    # The sub's own link cannot report one.
    [collection] = emails_to(SUB, kind="collection")
    sub_link = LINK.search(collection.text_body)
    assert sub_link is not None
    refused = client.post(
        sub_link.group(1) + "/cancellation",
        data={"policy": "general_liability:GL-4410-22", "effective": ends.isoformat()},
    )
    assert refused.status_code == 422
    # A cancellation takes effect at 12:01 a.m. on its date, as a policy expires: on that very
    # day the sub is no longer covered.
    clock.travel(days=10)
    from coverwatch.compliance.tasks import sweep

    sweep()
    pv = client.get(
        f"/api/v1/project-vendors/{sub.project_vendor_id}", headers=tenant.headers("admin")
    ).json()
    assert pv["status"] in ("expired", "non_compliant")
    assert "policy_expired" in {d["code"] for d in pv["deficiencies"]}


def test_revoked_links_stop_working_and_the_next_email_carries_a_new_one(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    [first] = emails_to(SUB)
    old = LINK.search(first.text_body)
    assert old is not None
    [request] = requests_of(sub.vendor_id)
    revoked = client.post(
        f"/api/v1/outreach/requests/{request.id}/revoke-links", headers=tenant.headers("admin")
    )
    assert revoked.status_code == 200
    assert client.get(old.group(1)).status_code == 404
    clock.travel(days=2)
    plan_all()
    reminder = emails_to(SUB)[-1]
    fresh = LINK.search(reminder.text_body)
    assert fresh is not None and fresh.group(1) != old.group(1)
    assert client.get(fresh.group(1)).status_code == 200


def test_cadences_are_editable_per_organization_and_checked(
    client: TestClient, tenant: Tenant
) -> None:
    admin = tenant.headers("admin")
    current = client.get("/api/v1/outreach/settings", headers=admin).json()
    assert current["collection"] == [0, 2, 5, 8] and current["renewal"] == [60, 30, 14, 7, 0]
    bad = client.put(
        "/api/v1/outreach/settings", headers=admin, json={**current, "collection": [3, 1]}
    )
    assert bad.status_code == 422
    pm = client.put(
        "/api/v1/outreach/settings",
        headers=tenant.headers("project_manager"),
        json={**current, "collection": [0, 1]},
    )
    assert pm.status_code == 403
    saved = client.put(
        "/api/v1/outreach/settings",
        headers=admin,
        json={**current, "collection": [0, 1], "timezone": "America/Los_Angeles"},
    )
    assert saved.status_code == 200
    clock.travel(at=TUESDAY_MORNING + timedelta(hours=3))  # 10:00 in Los Angeles
    add_sub(client, tenant)
    clock.travel(days=1)
    plan_all()
    assert len(emails_to(SUB)) == 2  # day 0 and day +1, as this organization asked


def test_no_reminder_goes_on_a_public_holiday_of_the_organization_s_country(
    client: TestClient, tenant: Tenant
) -> None:
    from datetime import UTC, date, datetime

    admin = tenant.headers("admin")
    current = client.get("/api/v1/outreach/settings", headers=admin).json()
    assert current["holidays"] is None  # none unless the organization says where it works
    unknown = client.put(
        "/api/v1/outreach/settings", headers=admin, json={**current, "holidays": "XX"}
    )
    assert unknown.status_code == 422 and "XX" in unknown.text
    saved = client.put(
        "/api/v1/outreach/settings", headers=admin, json={**current, "holidays": "us"}
    )
    assert saved.status_code == 200 and saved.json()["holidays"] == "US"
    # Requested on Wednesday, December 23, 2026: the +2 reminder falls on Christmas Day.
    clock.travel(at=datetime(2026, 12, 23, 15, 0, tzinfo=UTC))
    add_sub(client, tenant)
    for _ in range(6):
        clock.travel(days=1)
        plan_all()
    days = [e.created_at.date() for e in emails_to(SUB)]
    assert days[:2] == [date(2026, 12, 23), date(2026, 12, 28)], days


def test_the_weekly_digest_goes_once_to_risk_managers_on_the_digest_day(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    with session_scope() as session:
        assert digest.send_weekly_digest(session, org_id=tenant.org_id) == []  # a Tuesday
    clock.travel(days=6)  # Monday, 10:00 in New York
    with session_scope() as session:
        first = digest.send_weekly_digest(session, org_id=tenant.org_id)
        again = digest.send_weekly_digest(session, org_id=tenant.org_id)
    assert len(first) == 1 and again == []
    [email] = emails_to(f"risk_manager@{tenant.slug}.example", kind="digest")
    assert "Waiting for a certificate" in email.text_body and "| 1" in email.text_body


def test_the_weekly_digest_does_not_count_a_policy_expiring_today_as_expiring(
    client: TestClient, tenant: Tenant
) -> None:
    # On its expiration date a policy has lapsed already: it is not one "expiring in 30 days".
    clock.travel(at=TUESDAY_MORNING + timedelta(days=6))  # Monday, the digest day
    sub = add_sub(client, tenant)
    file_certificate(client, tenant, sub.vendor_id, expires_in_days=0)
    with session_scope() as session:
        assert len(digest.send_weekly_digest(session, org_id=tenant.org_id)) == 1
    [email] = emails_to(f"risk_manager@{tenant.slug}.example", kind="digest")
    assert "0 vendors have a policy expiring in the next 30 days" in email.text_body
