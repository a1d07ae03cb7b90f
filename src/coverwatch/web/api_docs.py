"""The API docs pages (Swagger UI and ReDoc) from files the app serves itself, never a CDN.

FastAPI's own docs pages load their scripts from a CDN, out of reach for the machines behind
firewalls that coverwatch runs on; the fastapi-offline package ships the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

# The pages load nothing from elsewhere: ReDoc's script would fetch its maker's logo.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'"
)


def add_api_docs(app: FastAPI, *, prefix: str) -> None:
    """Serve Swagger UI at `prefix`/docs and ReDoc at `prefix`/redoc, with their assets."""
    assets = f"{prefix}/docs-assets"
    spec = app.openapi_url or f"{prefix}/openapi.json"
    app.mount(assets, StaticFiles(directory=str(files("fastapi_offline") / "static")))
    swagger = get_swagger_ui_html(
        openapi_url=spec,
        title=f"{app.title} API",
        swagger_js_url=f"{assets}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets}/swagger-ui.css",
        swagger_favicon_url=f"{assets}/favicon.png",
        # Swagger UI would otherwise send the spec to an online validator for a badge.
        swagger_ui_parameters={"validatorUrl": None},
    )
    redoc = get_redoc_html(
        openapi_url=spec,
        title=f"{app.title} API",
        redoc_js_url=f"{assets}/redoc.standalone.js",
        redoc_favicon_url=f"{assets}/favicon.png",
        with_google_fonts=False,
    )
    for path, page in ((f"{prefix}/docs", swagger), (f"{prefix}/redoc", redoc)):
        app.add_api_route(path, _serving(bytes(page.body)), include_in_schema=False)


def _serving(body: bytes) -> Callable[[], HTMLResponse]:
    """An endpoint answering with the page, which never changes, and the policy."""

    def page() -> HTMLResponse:
        return HTMLResponse(body, headers={"Content-Security-Policy": POLICY})

    return page
