"""The Procore embedded panel: frame headers, tenancy, sign-in, approval gate, a real browser."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coverwatch import clock
from coverwatch.app import create_app
from coverwatch.db import session_scope
from coverwatch.orgs import passwords
from coverwatch.orgs import service as orgs
from coverwatch.projects import service as projects
from coverwatch.settings import get_settings
from tests.certificates.factories import current_certificate
from tests.orgs.factories import Tenant
from tests.procore.factories import make_connection

PASSWORD = "correct horse battery staple"
COMPANY = 4_200_001
OTHER_COMPANY = 4_200_002


@dataclass
class PanelProject:
    tenant: Tenant
    company_id: int
    procore_project_id: int
    project_id: int
    vendors: dict[str, dict[str, Any]]

    @property
    def url(self) -> str:
        return f"/procore/panel?companyId={self.company_id}&projectId={self.procore_project_id}"


def _seed(
    client: TestClient, tenant: Tenant, *, company_id: int, procore_project_id: int
) -> PanelProject:
    """A connected org with a Procore-linked project: one compliant and one deficient vendor."""
    headers = tenant.headers("risk_manager")
    today = clock.today()
    project = client.post(
        "/api/v1/projects",
        headers=headers,
        json={
            "name": "Harbor View Tower",
            "template": "ground-up",
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=200)).isoformat(),
            "certificate_holder": "Summit Builders, Inc.",
            "additional_insureds": ["Summit Builders, Inc."],
        },
    )
    assert project.status_code == 201, project.text
    project_id = project.json()["id"]
    made: dict[str, dict[str, Any]] = {}
    for name, insured, occurrence, umbrella in (
        ("Acme Roofing, LLC", "ACME ROOFING LLC", 2_000_000, 5_000_000),
        ("Bayside Drywall Inc", "Bayside Drywall Inc", 500_000, None),
    ):
        vendor = client.post("/api/v1/vendors", headers=headers, json={"legal_name": name}).json()
        pv = client.post(
            f"/api/v1/projects/{project_id}/vendors",
            headers=headers,
            json={"vendor_id": vendor["id"], "trade": "drywall"},
        )
        assert pv.status_code == 201, pv.text
        certificate = current_certificate(
            insured=insured, gl_each_occurrence=occurrence, umbrella=umbrella
        )
        uploaded = client.post(
            f"/api/v1/vendors/{vendor['id']}/certificates",
            headers=headers,
            json=certificate.model_dump(mode="json", by_alias=True),
        )
        assert uploaded.status_code == 201, uploaded.text
        made[name] = client.get(
            f"/api/v1/project-vendors/{pv.json()['id']}", headers=headers
        ).json()
    assert made["Acme Roofing, LLC"]["status"] == "compliant"
    assert made["Bayside Drywall Inc"]["status"] == "non_compliant"
    make_connection(org_id=tenant.org_id, sandbox_url="http://127.0.0.1:9", company_id=company_id)
    with session_scope() as session:
        projects.set_external_id(
            session,
            org_id=tenant.org_id,
            entity_type="project",
            entity_id=project_id,
            system="procore",
            external_id=str(procore_project_id),
        )
        for role in ("project_manager", "viewer"):
            user = orgs.get_user(
                session, org_id=tenant.org_id, email=f"{role}@{tenant.slug}.example"
            )
            user.password_hash = passwords.hash_password(PASSWORD)
    return PanelProject(tenant, company_id, procore_project_id, project_id, made)


@pytest.fixture
def panel_project(web: TestClient, tenant: Tenant) -> PanelProject:
    return _seed(web, tenant, company_id=COMPANY, procore_project_id=901)


def _sign_in(web: TestClient, tenant: Tenant, role: str = "project_manager") -> None:
    response = web.post(
        "/signin",
        data={"email": f"{role}@{tenant.slug}.example", "password": PASSWORD, "popup": "1"},
    )
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert "coverwatch_session=" in cookie
    assert "samesite=none" in cookie.lower() and "secure" in cookie.lower()
    assert "httponly" in cookie.lower()


def _form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "no approve form on the page"
    return match.group(1)


def test_frame_headers_and_signed_out_panel(web: TestClient, panel_project: PanelProject) -> None:
    response = web.get(panel_project.url)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://*.procore.com https://*.procoretech.com" in csp
    assert "x-frame-options" not in response.headers
    # Signed out: a Sign in button that opens the popup, and nothing of the project.
    assert 'id="signin-button"' in response.text
    assert "/signin?popup=1" in response.text
    assert "Acme Roofing" not in response.text
    # The sign-in page itself is never framed.
    signin_page = web.get("/signin?popup=1")
    assert signin_page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in signin_page.headers["content-security-policy"]
    assert web.get("/static/panel.css").status_code == 200


def test_extra_frame_ancestors_from_settings(
    web: TestClient, panel_project: PanelProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "frame_ancestors", "https://intranet.example.com")
    csp = web.get(panel_project.url).headers["content-security-policy"]
    assert "https://intranet.example.com" in csp.split(";")[0]


def test_sign_in_shows_vendors_status_and_deficiencies(
    web: TestClient, panel_project: PanelProject
) -> None:
    wrong = web.post(
        "/signin",
        data={"email": f"project_manager@{panel_project.tenant.slug}.example", "password": "no"},
    )
    assert wrong.status_code == 401
    assert "coverwatch_session" not in wrong.headers.get("set-cookie", "")
    _sign_in(web, panel_project.tenant)
    page = web.get(panel_project.url)
    assert page.status_code == 200, page.text
    assert "x-frame-options" not in page.headers
    assert "Acme Roofing, LLC" in page.text and "Bayside Drywall Inc" in page.text
    assert "Not compliant" in page.text and "Compliant" in page.text
    assert "$500,000" in page.text  # the deficiency, in plain words
    # What coverwatch is doing about it (this sub has no address on file; its agent does).
    assert "Fix list sent to the sub&#39;s agent (no address on file for the sub)" in page.text


def test_another_organizations_project_is_404(
    web: TestClient, panel_project: PanelProject, other_tenant: Tenant
) -> None:
    other = _seed(web, other_tenant, company_id=OTHER_COMPANY, procore_project_id=902)
    _sign_in(web, panel_project.tenant)
    assert web.get(other.url).status_code == 404
    # Our company id with the other org's project id, and an unknown project, are 404 too.
    mixed = f"/procore/panel?companyId={COMPANY}&projectId=902"
    assert web.get(mixed).status_code == 404
    unknown = f"/procore/panel?companyId={COMPANY}&projectId=999"
    assert web.get(unknown).status_code == 404
    # Approving the other org's project vendor through our own project is 404 as well.
    token = _form_token(web.get(panel_project.url).text)
    response = web.post(
        "/procore/panel/approve",
        data={
            "companyId": str(COMPANY),
            "projectId": "901",
            "project_vendor_id": str(other.vendors["Acme Roofing, LLC"]["id"]),
            "form_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 404


def test_approve_is_blocked_then_allowed(web: TestClient, panel_project: PanelProject) -> None:
    _sign_in(web, panel_project.tenant)
    token = _form_token(web.get(panel_project.url).text)
    form = {"companyId": str(COMPANY), "projectId": "901", "form_token": token}
    bad = panel_project.vendors["Bayside Drywall Inc"]["id"]
    blocked = web.post("/procore/panel/approve", data={**form, "project_vendor_id": str(bad)})
    assert blocked.status_code == 409
    assert 'id="approval-blocked"' in blocked.text
    assert "Bayside Drywall Inc cannot be approved: Not compliant." in blocked.text
    assert "$500,000" in blocked.text
    good = panel_project.vendors["Acme Roofing, LLC"]["id"]
    allowed = web.post(
        "/procore/panel/approve",
        data={**form, "project_vendor_id": str(good)},
        follow_redirects=False,
    )
    assert allowed.status_code == 303
    page = web.get(allowed.headers["location"])
    assert "Approved just now" in page.text
    api = web.get(
        f"/api/v1/project-vendors/{good}", headers=panel_project.tenant.headers("viewer")
    ).json()
    assert api["approved"] is True
    # A forged form (no anti-forgery token) does nothing.
    forged = web.post(
        "/procore/panel/approve", data={**form, "form_token": "x", "project_vendor_id": str(bad)}
    )
    assert forged.status_code == 403


def test_viewer_sees_why_it_cannot_approve(web: TestClient, panel_project: PanelProject) -> None:
    _sign_in(web, panel_project.tenant, role="viewer")
    page = web.get(panel_project.url)
    assert 'id="cannot-approve"' in page.text and "disabled" in page.text
    response = web.post(
        "/procore/panel/approve",
        data={
            "companyId": str(COMPANY),
            "projectId": "901",
            "project_vendor_id": str(panel_project.vendors["Acme Roofing, LLC"]["id"]),
            "form_token": _form_token(page.text),
        },
    )
    assert response.status_code == 403
    assert "your role is viewer" in response.text.lower()


def test_repeated_wrong_passwords_lock_sign_in_for_a_while(
    web: TestClient, panel_project: PanelProject
) -> None:
    email = f"project_manager@{panel_project.tenant.slug}.example"
    for _ in range(5):
        wrong = web.post("/signin", data={"email": email, "password": "guess"})
        assert wrong.status_code == 401 and "not right" in wrong.text
    # Now even the right password waits.
    locked = web.post("/signin", data={"email": email, "password": PASSWORD})
    assert locked.status_code == 429 and "try again in 15 minutes" in locked.text
    clock.travel(hours=0.26)
    _sign_in(web, panel_project.tenant)


def test_signout_forgets_the_session(web: TestClient, panel_project: PanelProject) -> None:
    _sign_in(web, panel_project.tenant)
    web.post("/signout", data={"next": panel_project.url})
    assert 'id="signin-button"' in web.get(panel_project.url).text


# ---- a real browser: the panel inside an iframe of another origin ---------------------------


class _ParentPage(BaseHTTPRequestHandler):
    html = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, *args: Any) -> None:
        pass


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def sign_in_through_popup(page: Any, frame: Any, tenant: Tenant) -> None:
    """Sign in as the project manager from the framed panel's popup, as a user would."""
    from playwright import sync_api

    # Click only once the panel's script is in charge of the button (on a loaded machine the
    # button can show before the script has run).
    sync_api.expect(frame.locator("html[data-panel-ready='1']")).to_have_count(1, timeout=30_000)
    with page.expect_popup() as popup_info:
        frame.locator("#signin-button").click()
    popup = popup_info.value
    popup.fill("input[name=email]", f"project_manager@{tenant.slug}.example")
    popup.fill("input[name=password]", PASSWORD)
    popup.click("button[type=submit]")
    try:
        popup.wait_for_event("close", timeout=30_000)
    except sync_api.Error:
        # A browser may refuse to let the window close itself; the page then says so, and
        # what matters is that it told the panel (the caller checks the panel).
        text = "" if popup.is_closed() else popup.inner_text("body")
        assert popup.is_closed() or "You are signed in" in text, (popup.url, text)


def test_panel_renders_in_a_cross_origin_iframe(
    engine: Engine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright import sync_api

    from coverwatch.server import ServerThread

    with TestClient(create_app(), base_url="https://testserver") as client:
        made = _seed(client, tenant, company_id=COMPANY, procore_project_id=901)
    parent = ThreadingHTTPServer(("127.0.0.1", 0), _ParentPage)
    parent_origin = f"http://localhost:{parent.server_address[1]}"
    monkeypatch.setattr(get_settings(), "frame_ancestors", parent_origin)
    app = ServerThread(create_app()).start()
    panel_url = f"{app.url}{made.url}"
    _ParentPage.html = (
        f"<!doctype html><title>Procore (fake)</title><h1>Project home</h1>"
        f'<iframe id="app" src="{panel_url}" style="width:400px;height:700px"></iframe>'
    ).encode()
    threading.Thread(target=parent.serve_forever, daemon=True).start()
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{parent_origin}/")
                frame = page.frame_locator("#app")
                # Signed out, the framed panel offers the popup sign-in.
                sync_api.expect(frame.locator("#signin-button")).to_be_visible(timeout=30_000)
                sign_in_through_popup(page, frame, tenant)
                # The popup told the panel; the panel now shows the project's vendors.
                sync_api.expect(frame.locator(".vendor .name").first).to_be_visible(timeout=30_000)
                names = frame.locator(".vendor .name").all_inner_texts()
                assert names == ["Acme Roofing, LLC", "Bayside Drywall Inc"]
                sync_api.expect(
                    frame.locator("#pv-{}".format(made.vendors["Bayside Drywall Inc"]["id"]))
                ).to_contain_text("$500,000")
                # At side-panel width nothing overflows sideways.
                panel_frame = page.frame(url=re.compile(r".*/procore/panel.*"))
                assert panel_frame is not None
                overflow = panel_frame.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0
                # A corrected certificate arrives: the panel shows it without a reload.
                bayside = made.vendors["Bayside Drywall Inc"]
                fixed = current_certificate(
                    insured="Bayside Drywall Inc", gl_each_occurrence=2_000_000, umbrella=5_000_000
                )
                with TestClient(create_app()) as client:
                    uploaded = client.post(
                        f"/api/v1/vendors/{bayside['vendor_id']}/certificates",
                        headers=tenant.headers("risk_manager"),
                        json=fixed.model_dump(mode="json", by_alias=True),
                    )
                    assert uploaded.status_code == 201, uploaded.text
                sync_api.expect(frame.locator(f"#pv-{bayside['id']} .badge")).to_have_text(
                    "Compliant", timeout=20_000
                )
            finally:
                browser.close()
    finally:
        app.stop()
        parent.shutdown()
        parent.server_close()
