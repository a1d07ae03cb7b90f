"""The dashboard's import in Chromium: upload, map, live progress, queue, start; then again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from coverwatch.app import create_app
from coverwatch.db import session_scope
from coverwatch.orgs import service as orgs
from coverwatch.orgs.passwords import hash_password
from tests.imports.drawn import serve
from tests.imports.generator import make_import
from tests.imports.helpers import on_file
from tests.orgs.factories import Tenant
from tests.web.browser import chromium

PASSWORD = "correct horse battery staple"


def _number(page: Any, cell: str) -> int:
    return int(page.locator(cell).inner_text())


def test_dashboard_walk_through_on_200_vendors(
    client: TestClient, tenant: Tenant, project_id: int, tmp_path: Path
) -> None:
    generated = make_import(200, kinds={"text_deficient": 30, "fillable": 8, "scan": 2, "none": 20})
    sheet, archive = tmp_path / generated.sheet_name, tmp_path / "certificates.zip"
    sheet.write_bytes(generated.sheet)
    archive.write_bytes(generated.archive)
    email = f"risk_manager@{tenant.slug}.example"
    with session_scope() as session:
        orgs.get_user(session, org_id=tenant.org_id, email=email).password_hash = hash_password(
            PASSWORD
        )
    server: Any = serve(create_app())
    before = on_file()
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"{server.url}/signin?next=/dashboard/imports")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORD)
            page.locator("button[type=submit]").first.click()
            page.wait_for_url("**/dashboard/imports")

            def walk() -> None:
                page.goto(f"{server.url}/dashboard/imports")
                page.set_input_files("#vendors", str(sheet))
                page.set_input_files("#certificates", str(archive))
                page.select_option("#project_id", str(project_id))
                page.click("#upload-button")
                page.wait_for_selector("#mapping")
                # The guess from the headers, shown for the user to confirm.
                assert page.locator("#map-vendor_name option:checked").inner_text() == (
                    "Subcontractor"
                )
                assert page.locator("#map-agent_email option:checked").inner_text() == (
                    "Agent Email"
                )
                assert page.locator("#preview tbody tr").count() == 10
                page.click("#run-button")
                page.wait_for_selector("#summary", timeout=120_000)

            walk()
            assert on_file() == before  # nothing on file, nobody emailed, before Start
            expected = generated.expected
            assert _number(page, "#s-create") == 200
            assert _number(page, "#s-update") == 0
            assert _number(page, "#s-compliant") == expected["compliant"]
            assert _number(page, "#s-missing") == expected["missing"]
            assert _number(page, "#s-failed") == generated.corrupt
            # The queue: the certificate of a company not on the list goes to a vendor by hand.
            row = page.locator("#queue tr", has_text="unknown-co.pdf")
            target = next(v for v in generated.vendors if v.kind == "none")
            row.locator("select").select_option(label=target.listed_as)
            row.locator("button").click()
            page.wait_for_selector("#summary")
            assert _number(page, "#s-missing") == expected["missing"] - 1
            page.click("#start-button")
            page.wait_for_selector("#tracking", timeout=120_000)
            assert "200 vendors created" in page.locator("#tracking").inner_text()
            after = on_file()
            assert after["vendors"] == before["vendors"] + 200
            assert after["outbound_emails"] > before["outbound_emails"]

            walk()  # the same files again
            assert _number(page, "#s-unchanged") == 200
            assert _number(page, "#s-create") == 0
            page.click("#start-button")
            page.wait_for_selector("#tracking", timeout=120_000)
            assert on_file() == after
    finally:
        server.stop()
