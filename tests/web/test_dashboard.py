"""The GC's dashboard: signed-in only, what needs attention, and the review queue's form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from coverwatch.db import session_scope
from coverwatch.orgs import service as orgs
from coverwatch.orgs.passwords import hash_password
from tests.certificates.test_review import PATH, _unsure_sub
from tests.orgs.factories import Tenant

PASSWORD = "correct horse battery staple"


def _web(client: TestClient, tenant: Tenant, role: str) -> TestClient:
    with session_scope() as session:
        user = orgs.get_user(session, org_id=tenant.org_id, email=f"{role}@{tenant.slug}.example")
        user.password_hash = hash_password(PASSWORD)
    web = TestClient(client.app, base_url="https://testserver")
    signed = web.post(
        "/signin", data={"email": f"{role}@{tenant.slug}.example", "password": PASSWORD}
    )
    assert signed.status_code == 200
    return web


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_the_dashboard_shows_what_needs_attention_and_a_reviewer_answers_the_queue(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    made = _unsure_sub(client, tenant, read_as=100_000)
    _unsure_sub(client, other_tenant, read_as=100_000)
    web = _web(client, tenant, "risk_manager")
    page = web.get("/dashboard")
    assert page.status_code == 200
    assert f'id="pv-{made["pv"]["id"]}"' in page.text
    assert "Certificate under review" in page.text
    assert page.text.count('class="review"') == 1  # the other organization's stays its own
    assert "hard to read" in page.text and f'name="value:{PATH}"' in page.text
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token is not None
    forged = web.post(
        f"/dashboard/review/{made['certificate']['id']}",
        data={"form_token": "forged", f"value:{PATH}": "1,000,000"},
    )
    assert forged.status_code == 403
    saved = web.post(
        f"/dashboard/review/{made['certificate']['id']}",
        data={"form_token": token.group(1), f"value:{PATH}": "$1,000,000", "note": "PDF"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = web.get(saved.headers["location"])
    assert 'id="reviewed"' in after.text and 'class="review"' not in after.text
    status = client.get(
        f"/api/v1/project-vendors/{made['pv']['id']}", headers=tenant.headers("admin")
    ).json()["status"]
    assert status == "compliant"


def test_a_project_manager_sees_the_queue_but_cannot_answer_it(
    client: TestClient, tenant: Tenant
) -> None:
    _unsure_sub(client, tenant, read_as=100_000)
    web = _web(client, tenant, "project_manager")
    page = web.get("/dashboard")
    assert "A risk manager or admin confirms" in page.text
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token is None
