"""The dashboard's report page: totals, the SVG chart, assumptions and the calendar address."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from tests.orgs.factories import Tenant
from tests.reports.test_time_saved import _a_sub_asked_reminded_fixed
from tests.web.test_dashboard import _web


def _form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_report_page_shows_totals_a_chart_and_saves_assumptions(
    client: TestClient, tenant: Tenant
) -> None:
    _a_sub_asked_reminded_fixed(client, tenant)
    assert client.get("/dashboard/reports", follow_redirects=False).status_code == 303
    web = _web(client, tenant, "risk_manager")
    page = web.get("/dashboard/reports")
    assert page.status_code == 200, page.text
    assert 'id="requests-sent">3<' in page.text and 'id="reminders-sent">1<' in page.text
    assert 'id="hours-saved">1.1<' in page.text and "3.0 days" in page.text
    times = "\N{MULTIPLICATION SIGN}"
    formula = f"2 reviews {times} 20 min + 3 emails {times} 5 min + 1 follow-up {times} 10 min"
    assert formula in page.text
    assert "<svg" in page.text and page.text.count("<rect") >= 1
    assert "<script" not in page.text.split('id="chart"')[1].split("</section>")[0]
    forged = web.post(
        "/dashboard/reports/assumptions",
        data={"form_token": "x", "minutes_per_review": "30"},
    )
    assert forged.status_code == 403
    token = _form_token(page.text)
    wrong = web.post(
        "/dashboard/reports/assumptions",
        data={"form_token": token, "minutes_per_review": "lots"},
    )
    assert wrong.status_code == 422 and "whole number of minutes" in wrong.text
    saved = web.post(
        "/dashboard/reports/assumptions",
        data={
            "form_token": token,
            "minutes_per_review": "30",
            "minutes_per_email": "6",
            "minutes_per_follow_up": "12",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = web.get(saved.headers["location"])
    assert 'id="hours-saved">1.5<' in after.text and 'id="saved"' in after.text
    api = client.get("/api/v1/reports/assumptions", headers=tenant.headers("viewer")).json()
    assert api["minutes_per_review"] == 30
    bad_period = web.get("/dashboard/reports", params={"from": "2027-03-09", "to": "2027-03-01"})
    assert bad_period.status_code == 422 and "showing the last 30 days" in bad_period.text


def test_the_calendar_address_is_shown_to_editors_and_revoked_from_the_page(
    client: TestClient, tenant: Tenant
) -> None:
    _a_sub_asked_reminded_fixed(client, tenant)
    viewer = _web(client, tenant, "viewer").get("/dashboard/reports")
    assert viewer.status_code == 200 and 'id="feed-url"' not in viewer.text
    assert 'name="minutes_per_review"' not in viewer.text
    web = _web(client, tenant, "admin")
    page = web.get("/dashboard/reports")
    found = re.search(r'id="feed-url">([^<]+)<', page.text)
    assert found is not None
    old = urlsplit(found.group(1)).path
    assert client.get(old).status_code == 200
    rotated = web.post(
        "/dashboard/reports/calendar/rotate",
        data={"form_token": _form_token(page.text)},
        follow_redirects=False,
    )
    assert rotated.status_code == 303
    assert client.get(old).status_code == 404
    new = re.search(r'id="feed-url">([^<]+)<', web.get(rotated.headers["location"]).text)
    assert new is not None and client.get(urlsplit(new.group(1)).path).status_code == 200
