"""Cadences through the real path: API changes, evaluations, the planner, stored emails."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.outreach.tasks import plan_all
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    PM,
    SUB,
    TUESDAY_MORNING,
    Sub,
    add_sub,
    emails_to,
    file_certificate,
    requests_of,
)


def test_collection_request_goes_at_once_then_on_cadence_with_the_manager_copied(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    first = emails_to(SUB)
    assert [e.kind for e in first] == ["collection"]
    assert "needs your certificate of insurance for Harbor View Tower" in first[0].subject
    assert "/r/" in first[0].text_body and first[0].state == "kept"
    for _ in range(12):  # every day for 12 days, planned twice a day
        clock.travel(days=1)
        plan_all()
        plan_all()
    sent = emails_to(SUB)
    days = [(e.created_at.date() - TUESDAY_MORNING.date()).days for e in sent]
    # Day 5 is a Sunday: that reminder waits for Monday's business hours, and the last one
    # keeps its three days of spacing from there.
    assert days == [0, 2, 6, 9]
    assert [e.cc for e in sent] == [[], [], [], [PM]]
    assert all(e.kind == "collection" for e in sent)
    assert [r.kind for r in requests_of(sub.vendor_id)] == ["collection"]


def test_deficiency_notice_goes_to_sub_and_agent_with_the_fix_list_then_stops_when_fixed(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    clock.travel(days=1)
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=500_000, umbrella=None)
    to_agent = emails_to(AGENT, kind="deficiency")
    assert len(to_agent) == 1
    assert "Raise general liability each occurrence to $2,000,000" in to_agent[0].text_body
    assert "(the certificate shows $500,000)" in to_agent[0].text_body
    assert "/r/" in to_agent[0].text_body
    to_sub = emails_to(SUB, kind="deficiency")
    assert len(to_sub) == 1 and "needs changes" in to_sub[0].subject
    kinds = [(r.kind, r.state, r.close_reason) for r in requests_of(sub.vendor_id)]
    assert kinds == [("collection", "closed", "document_received"), ("deficiency", "open", None)]
    for _ in range(6):
        clock.travel(days=1)
        plan_all()
    # The notice went on a Wednesday: +3 days is a Saturday, so the reminder went on Monday,
    # and the next one keeps three days from there.
    sent = emails_to(AGENT, kind="deficiency")
    assert [(e.created_at.date() - sent[0].created_at.date()).days for e in sent] == [0, 5]
    file_certificate(client, tenant, sub.vendor_id, umbrella=10_000_000)
    for _ in range(12):
        clock.travel(days=1)
        plan_all()
    assert len(emails_to(AGENT, kind="deficiency")) == 2
    assert requests_of(sub.vendor_id)[-1].close_reason == "satisfied"


def _sub_whose_agent_heard_of_another_gap_today(client: TestClient, tenant: Tenant) -> Sub:
    """A sub, and another on its project with the same agent, whose gaps that agent hears first."""
    from tests.outreach.factories import add_vendor, assign

    sub = add_sub(client, tenant)
    other = add_vendor(client, tenant, name="Bayside Drywall Inc", office="office@bayside.example")
    assign(client, tenant, project_id=sub.project_id, vendor_id=other)
    file_certificate(client, tenant, other, insured="Bayside Drywall Inc", umbrella=None)
    return sub


def test_the_first_notice_of_a_new_gap_goes_at_once_to_sub_and_agent_whatever_went_earlier(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = _sub_whose_agent_heard_of_another_gap_today(client, tenant)
    assert [e.kind for e in emails_to(AGENT)] == ["deficiency"]
    # The collection request went this morning; a deficiency found at noon is told at once,
    # to the sub and to the agent, though each has had an email about this project today.
    clock.travel(hours=2)
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=500_000, umbrella=None)
    assert [e.kind for e in emails_to(SUB)] == ["collection", "deficiency"]
    assert [e.kind for e in emails_to(AGENT)] == ["deficiency", "deficiency"]
    assert "Acme Roofing, LLC" in emails_to(AGENT)[-1].subject


def test_reminders_are_merged_one_email_per_recipient_per_project_per_day(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = _sub_whose_agent_heard_of_another_gap_today(client, tenant)
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=500_000, umbrella=None)
    assert len(emails_to(AGENT)) == 2
    # Three days on, both fix lists are due again for the agent: one email carries both.
    clock.travel(days=3)
    plan_all()
    plan_all()
    [reminder] = emails_to(AGENT)[2:]
    assert "2 insurance requests" in reminder.subject
    assert "Acme Roofing, LLC" in reminder.text_body and "Bayside Drywall Inc" in reminder.text_body


def test_twenty_reminders_due_at_once_for_one_recipient_give_one_email(
    client: TestClient, tenant: Tenant
) -> None:
    from tests.outreach.factories import add_project, add_vendor, assign

    clock.travel(at=TUESDAY_MORNING)
    vendor_id = add_vendor(client, tenant)
    for n in range(20):
        project_id = add_project(client, tenant, name=f"Tower {n + 1}")
        assign(client, tenant, project_id=project_id, vendor_id=vendor_id)
    assert len(emails_to(SUB)) == 20  # each project's first request, as each was added
    clock.travel(days=2)
    plan_all()
    plan_all()
    reminders = emails_to(SUB)[20:]
    assert len(reminders) == 1
    assert reminders[0].kind == "collection" and "20 insurance requests" in reminders[0].subject
    assert reminders[0].text_body.count("/r/") == 20


def test_removing_the_vendor_stops_every_email(client: TestClient, tenant: Tenant) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    response = client.delete(
        f"/api/v1/project-vendors/{sub.project_vendor_id}", headers=tenant.headers("admin")
    )
    assert response.status_code in (200, 204), response.text
    for _ in range(10):
        clock.travel(days=1)
        plan_all()
    assert len(emails_to(SUB)) == 1
    assert requests_of(sub.vendor_id)[0].close_reason == "vendor_removed"


def test_renewal_requests_at_60_30_14_7_days_and_the_last_covered_day_then_expired_and_blocked(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    # Expiring on a Wednesday: the last covered day, the day before, is a business day.
    file_certificate(client, tenant, sub.vendor_id, expires_in_days=71)
    expiry = clock.today() + timedelta(days=71)
    for _ in range(80):
        clock.travel(days=1)
        plan_all()
        plan_all()
    renewals = emails_to(SUB, kind="renewal")
    before = [(expiry - e.created_at.date()).days for e in renewals]
    # Business days only: a step that falls on a weekend goes on the Monday after.
    assert len(before) == 5, before
    for wanted, got in zip([60, 30, 14, 7], before, strict=False):
        assert wanted - 2 <= got <= wanted
    # Step 0 goes on the last covered day: on the expiration date the policy has lapsed.
    assert before[-1] == 1
    assert "(tomorrow)" in renewals[-1].text_body
    assert len(emails_to(AGENT, kind="renewal")) == 5
    # After expiry (the daily sweep runs), the status is expired, the GC is told once,
    # and approval is refused.
    from coverwatch.compliance.tasks import sweep

    sweep()
    plan_all()
    plan_all()
    pv = client.get(
        f"/api/v1/project-vendors/{sub.project_vendor_id}", headers=tenant.headers("admin")
    ).json()
    assert pv["status"] == "expired"
    alerts = emails_to("risk_manager@summit-builders-inc.example", kind="lapse")
    assert len(alerts) == 1 and "Coverage lapsed" in alerts[0].subject
    assert PM in [a.to_address for a in emails_to(PM, kind="lapse")]
    refused = client.post(
        f"/api/v1/project-vendors/{sub.project_vendor_id}/approve",
        headers=tenant.headers("project_manager"),
    )
    assert refused.status_code == 409
