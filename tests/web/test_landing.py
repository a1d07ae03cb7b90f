"""The landing page at `/` and the API docs, which must work with no internet (no CDN)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coverwatch.app import create_app
from tests.web.browser import chromium

SANDBOX = "http://127.0.0.1:8100/_admin"
# Where a page loads things from: stylesheets, scripts, icons.
ASSET = re.compile(r"""<(?:link|script|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""")
ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _links(html: str) -> set[str]:
    return set(re.findall(r"""<a\b[^>]*?\bhref=["']([^"']+)["']""", html))


def test_the_landing_page_links_every_part(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Certificate-of-insurance compliance" in response.text
    links = _links(response.text)
    assert {"/dashboard", "/mailbox", "/api/v1/docs", "/api/v1/redoc"} <= links
    # Outside the demo there is no sandbox to link to.
    assert 'id="sandbox"' not in response.text
    assert not {link for link in links if urlsplit(link).netloc}


def test_in_the_demo_the_landing_page_links_the_sandbox(engine: Engine) -> None:
    with TestClient(create_app(sandbox_admin_url=SANDBOX)) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert SANDBOX in _links(response.text)


def test_the_api_docs_load_only_assets_the_app_serves(client: TestClient) -> None:
    for page in ("/api/v1/docs", "/api/v1/redoc"):
        response = client.get(page)
        assert response.status_code == 200, page
        # The browser is told so too (ReDoc's script would fetch its maker's logo).
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assets = ASSET.findall(response.text)
        assert any(asset.endswith(".js") for asset in assets), page
        # No other host, not even through a protocol-relative URL.
        assert not re.search(r"""["'](?:https?:)?//""", response.text), page
        for asset in assets:
            assert asset.startswith("/"), (page, asset)
            served = client.get(asset)
            assert served.status_code == 200, asset
            wanted = ASSET_TYPES[asset[asset.rindex(".") :]]
            assert served.headers["content-type"].startswith(wanted), asset
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_the_api_docs_render_in_chromium_with_the_internet_blocked(engine: Engine) -> None:
    from playwright import sync_api

    from coverwatch.server import ServerThread

    app = ServerThread(create_app()).start()
    blocked: list[str] = []

    def loopback_only(route: sync_api.Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        with chromium() as browser:
            page = browser.new_page()
            page.route("**/*", loopback_only)
            page.goto(f"{app.url}/")
            page.click("#api-docs > a")
            # Swagger UI drew the operations from the spec: its script ran, from this app.
            operations = page.locator(".opblock-summary-path")
            sync_api.expect(operations.first).to_be_visible(timeout=30_000)
            assert operations.count() > 20
            page.goto(f"{app.url}/api/v1/redoc")
            sync_api.expect(page.get_by_text("Liveness").first).to_be_attached(timeout=30_000)
    finally:
        app.stop()
    assert blocked == []
