"""The sub's walk through the portal in Chromium on a 390x844 phone screen, from the email on."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coverwatch import clock
from coverwatch.app import create_app
from coverwatch.demo.certificates import demo_pairs
from coverwatch.settings import get_settings
from tests.orgs.factories import Tenant
from tests.outreach.factories import AGENT, SUB, TUESDAY_MORNING, add_sub, emails_to
from tests.web.test_panel import CHROMIUM_ARGS

LINK = re.compile(r"https?://[^\s]+/r/[\w.\-]+")


def test_a_sub_uploads_on_a_phone_sees_the_gap_fixes_it_and_is_compliant(
    engine: Engine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright import sync_api

    from coverwatch.server import ServerThread

    clock.travel(at=TUESDAY_MORNING)
    app = ServerThread(create_app()).start()
    monkeypatch.setattr(get_settings(), "base_url", app.url)
    with TestClient(create_app()) as client:
        sub = add_sub(client, tenant)
    [request_email] = emails_to(SUB)
    link = LINK.search(request_email.text_body)
    assert link is not None and link.group(0).startswith(app.url)
    files = demo_pairs(
        insured="Acme Roofing, LLC", holder="Summit Builders, Inc.", today=clock.today()
    )
    short = next(v for k, v in files.items() if k.endswith("gl-500k.pdf"))
    fixed = next(v for k, v in files.items() if k.endswith("corrected.pdf"))
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
                page.goto(link.group(0))
                sync_api.expect(page.locator("#vendor-name")).to_have_text("Acme Roofing, LLC")
                sync_api.expect(page.locator("#what-we-need")).to_contain_text("CG 20 10")
                page.set_input_files(
                    "input[name=file]",
                    {"name": "coi.pdf", "mimeType": "application/pdf", "buffer": short},
                )
                page.click("#upload-button")
                # The answer on the same page, within 10 s, in plain words.
                deficiencies = page.locator("#deficiencies")
                sync_api.expect(deficiencies).to_contain_text("$500,000", timeout=10_000)
                sync_api.expect(deficiencies).to_contain_text("$2,000,000")
                sync_api.expect(page.locator("#what-we-read")).to_contain_text("Acme Roofing")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0
                # The agent was told at once, with the exact fix.
                [notice] = emails_to(AGENT, kind="deficiency")
                assert "Raise general liability each occurrence to $2,000,000" in notice.text_body
                # The sub can also send the list from the page, to the producer's address that
                # the certificate prints (prefilled).
                producer = page.locator("#send-to-agent input[name=email]").input_value()
                assert "@" in producer
                page.click("#send-to-agent button[type=submit]")
                sync_api.expect(page.locator("#agent-sent")).to_contain_text(producer)
                assert len(emails_to(producer, kind="deficiency")) == 1
                page.set_input_files(
                    "input[name=file]",
                    {"name": "coi-corrected.pdf", "mimeType": "application/pdf", "buffer": fixed},
                )
                page.click("#upload-button")
                sync_api.expect(page.locator("#all-set")).to_be_visible(timeout=10_000)
            finally:
                browser.close()
    finally:
        app.stop()
    with TestClient(create_app()) as client:
        status = client.get(
            f"/api/v1/project-vendors/{sub.project_vendor_id}", headers=tenant.headers("admin")
        ).json()["status"]
    assert status == "compliant"
