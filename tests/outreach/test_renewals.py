"""Renewal emails: one per recipient and vendor, one link, every policy, dates as of sending."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.outreach.tasks import plan_all
from coverwatch.requirements.messages import day
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    SUB,
    TUESDAY_MORNING,
    add_sub,
    emails_to,
    file_certificate,
)

LINK = re.compile(r"https?://[^\s\"<]+/r/[\w.\-]+")


def test_a_renewal_email_has_one_link_and_lists_every_policy(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    file_certificate(client, tenant, sub.vendor_id, expires_in_days=61)
    clock.travel(days=1)
    plan_all()
    [to_sub] = emails_to(SUB, kind="renewal")
    [to_agent] = emails_to(AGENT, kind="renewal")
    for email in (to_sub, to_agent):
        assert len(set(LINK.findall(email.text_body))) == 1, email.text_body
        assert "insurance requests" not in email.subject
        for line in ("General liability", "Automobile liability", "Umbrella", "Workers"):
            assert line in email.text_body and line in email.html_body
        assert "(in 60 days)" in email.text_body
    assert to_sub.subject.endswith("Acme Roofing, LLC's 4 policies expire in 60 days")
    # The one link opens a page that lists every policy awaiting its renewal.
    link = LINK.search(to_sub.text_body)
    assert link is not None
    page = client.get(link.group(0).split("testserver", 1)[-1])
    assert page.status_code == 200
    renewals = re.search(r'id="renewals">(.*?)</div>', page.text, re.S)
    assert renewals is not None
    assert renewals.group(1).count("<li>") == 4 and "(in 60 days)" in renewals.group(1)


def test_a_renewal_sent_after_the_policy_ended_says_it_ended_not_today(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    # The certificate on file shows policies that ended 12 days ago (a sub added late).
    file_certificate(client, tenant, sub.vendor_id, expires_in_days=-12)
    ended = clock.today() - timedelta(days=12)
    plan_all()
    [email] = emails_to(SUB, kind="renewal")
    assert "today" not in email.text_body and "today" not in email.html_body
    assert "today" not in email.subject
    assert f"ended on {day(ended)} (12 days ago)" in email.text_body
    assert f"expired on {day(ended)}" in email.html_body
