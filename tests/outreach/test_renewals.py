"""Renewal emails: one per recipient and vendor, one link, every policy, dates as of sending."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.outreach.models import OutboundEmail
from coverwatch.outreach.tasks import plan_all
from coverwatch.outreach.wording import when_it_ends
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


def _renewal_email_of_a_new_sub(
    client: TestClient, tenant: Tenant, *, expires_in_days: int
) -> OutboundEmail:
    """The one renewal email to a sub added on a Tuesday morning with its certificate on file."""
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    file_certificate(client, tenant, sub.vendor_id, expires_in_days=expires_in_days)
    plan_all()
    [email] = emails_to(SUB, kind="renewal")
    return email


def test_a_renewal_sent_after_the_policy_ended_says_it_ended_not_today(
    client: TestClient, tenant: Tenant
) -> None:
    # The certificate on file shows policies that ended 12 days ago (a sub added late).
    email = _renewal_email_of_a_new_sub(client, tenant, expires_in_days=-12)
    ended = clock.today() - timedelta(days=12)
    assert "today" not in email.text_body and "today" not in email.html_body
    assert "today" not in email.subject
    assert f"ended on {day(ended)} (12 days ago)" in email.text_body
    assert f"expired on {day(ended)}" in email.html_body


def test_a_renewal_sent_on_the_expiration_date_says_the_policy_ended_today(
    client: TestClient, tenant: Tenant
) -> None:
    # The expiration date is the first day without coverage, so the email of that day says the
    # policy has ended, not that it ends.
    email = _renewal_email_of_a_new_sub(client, tenant, expires_in_days=0)
    assert f"ended on {day(clock.today())} (today)" in email.text_body
    assert f"expired on {day(clock.today())}" in email.subject


def test_a_policy_end_reads_as_of_the_day() -> None:
    # The expiration date is the first day without coverage: the day before, the policy
    # "expires tomorrow"; on the date itself it has expired.
    ends = date(2026, 11, 19)
    assert when_it_ends(ends, today=date(2026, 11, 5)) == ("expires in 14 days", "in 14 days")
    assert when_it_ends(ends, today=date(2026, 11, 17)) == ("expires in 2 days", "in 2 days")
    assert when_it_ends(ends, today=date(2026, 11, 18)) == ("expires tomorrow", "tomorrow")
    expired = "expired on November 19, 2026"
    assert when_it_ends(ends, today=ends) == (expired, "today")
    assert when_it_ends(ends, today=date(2026, 11, 20)) == (expired, "yesterday")
    assert when_it_ends(ends, today=date(2026, 12, 1)) == (expired, "12 days ago")
