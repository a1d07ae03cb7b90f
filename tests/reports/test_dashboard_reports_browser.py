"""The report page in Chromium: the chart is drawn, the assumptions change the hours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from coverwatch.app import create_app
from coverwatch.db import session_scope
from coverwatch.orgs import service as orgs
from coverwatch.orgs.passwords import hash_password
from coverwatch.server import ServerThread
from tests.orgs.factories import Tenant
from tests.reports.test_time_saved import _a_sub_asked_reminded_fixed
from tests.web.browser import chromium

PASSWORD = "correct horse battery staple"


def test_report_page_in_chromium(client: TestClient, tenant: Tenant, tmp_path: Path) -> None:
    _a_sub_asked_reminded_fixed(client, tenant)
    email = f"risk_manager@{tenant.slug}.example"
    with session_scope() as session:
        orgs.get_user(session, org_id=tenant.org_id, email=email).password_hash = hash_password(
            PASSWORD
        )
    server: Any = ServerThread(create_app()).start()
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"{server.url}/signin?next=/dashboard/reports")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORD)
            page.locator("button[type=submit]").first.click()
            page.wait_for_url("**/dashboard/reports")
            assert page.locator("#hours-saved").inner_text() == "1.1"
            bars = page.locator("#chart svg rect")
            heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
            assert bars.count() >= 5 and max(heights) > 50  # the tallest week fills the chart
            assert page.locator("#chart svg").bounding_box()["width"] > 600
            page.screenshot(path=str(tmp_path / "reports.png"), full_page=True)
            page.fill("input[name=minutes_per_review]", "30")
            page.fill("input[name=minutes_per_email]", "6")
            page.fill("input[name=minutes_per_follow_up]", "12")
            page.click("#save-assumptions")
            page.wait_for_selector("#saved")
            assert page.locator("#hours-saved").inner_text() == "1.5"
            feed = page.locator("#feed-url").inner_text()
            assert "/calendar/" in feed and feed.endswith(".ics")
    finally:
        server.stop()
