"""The mailbox page: kept emails for the organization's signed-in users, and no one else's."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coverwatch import clock
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, emails_to
from tests.web.test_dashboard import _web


def test_signed_in_users_read_their_organizations_emails_only(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    assert client.get("/mailbox", follow_redirects=False).status_code == 303
    add_sub(client, tenant)
    [email] = emails_to(SUB)
    web = _web(client, tenant, "risk_manager")
    listing = web.get(f"/mailbox?to={SUB}")
    assert listing.status_code == 200 and email.subject in listing.text
    assert "emails are kept here instead of being sent" in listing.text
    page = web.get(f"/mailbox/{email.id}")
    assert page.status_code == 200 and "/r/" in page.text and "srcdoc=" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    outsider = _web(client, other_tenant, "risk_manager")
    assert outsider.get(f"/mailbox/{email.id}").status_code == 404
    assert email.subject not in outsider.get("/mailbox").text
