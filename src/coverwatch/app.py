"""The web application: the REST API under /api/v1, its docs, health endpoints, error mapping."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from coverwatch import __version__
from coverwatch.audit.routes import router as audit_router
from coverwatch.certificates.routes import router as certificates_router
from coverwatch.compliance.routes import router as compliance_router
from coverwatch.db import get_engine
from coverwatch.errors import CoverwatchError, PayloadTooLarge
from coverwatch.imports.routes import router as imports_router
from coverwatch.jobs import huey, load_tasks
from coverwatch.network.routes import router as network_router
from coverwatch.orgs.routes import router as orgs_router
from coverwatch.outreach.routes import router as outreach_router
from coverwatch.procore.routes import api_router as procore_api_router
from coverwatch.procore.routes import router as procore_webhook_router
from coverwatch.projects.routes import router as projects_router
from coverwatch.reports.routes import feed_router as calendar_feed_router
from coverwatch.reports.routes import router as reports_router
from coverwatch.requirements.routes import router as templates_router
from coverwatch.settings import get_settings
from coverwatch.vendors.routes import router as vendors_router
from coverwatch.web.api_docs import add_api_docs
from coverwatch.web.dashboard import router as dashboard_router
from coverwatch.web.dashboard_imports import router as dashboard_imports_router
from coverwatch.web.dashboard_procore import router as dashboard_procore_router
from coverwatch.web.dashboard_reports import router as dashboard_reports_router
from coverwatch.web.dashboard_templates import router as dashboard_templates_router
from coverwatch.web.landing import router as landing_router
from coverwatch.web.mailbox import router as mailbox_router
from coverwatch.web.panel import router as web_router
from coverwatch.web.panel import static_files
from coverwatch.web.portal import router as portal_router
from coverwatch.web.portal_network import router as portal_network_router
from coverwatch.web.signin_pages import router as signin_router
from coverwatch.webhooks.routes import router as webhooks_router

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"

DESCRIPTION = """
The coverwatch REST API. Every request carries an API key of one organization:
`Authorization: Bearer cw_<prefix>_<secret>` (create one with `coverwatch api-key create`).
Ids of another organization answer 404. Lists are paged with `page` and `per_page` and answer
`{items, page, per_page, total}`. Errors answer `{"error": {"code", "message", "details"}}`.
"""


class BodySizeLimit:
    """Refuse request bodies beyond the configured limit before reading them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                error = PayloadTooLarge(
                    f"the request body is {int(length):,} bytes; the limit is {self.max_bytes:,}"
                )
                response: Response = JSONResponse(error.to_json(), status_code=error.status_code)
                if str(scope.get("path", "")).startswith("/r/"):
                    # A sub on the portal gets a page it can act on, not JSON.
                    response = HTMLResponse(
                        "<!doctype html><meta charset=utf-8><meta name=viewport "
                        "content='width=device-width, initial-scale=1'><title>Too large</title>"
                        "<p>These files are too large to send together "
                        f"(the limit is {self.max_bytes // (1024 * 1024)} MB). Go back and "
                        "upload them one at a time, or as a smaller PDF.</p>",
                        status_code=error.status_code,
                    )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _error_response(status_code: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status_code)


def create_app(*, sandbox_admin_url: str | None = None) -> FastAPI:
    """Build the application with every router and the error mapping."""
    settings = get_settings()
    # Every domain's jobs and listeners: a web process enqueues the work its requests cause.
    load_tasks()
    app = FastAPI(
        title="coverwatch",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # add_api_docs serves them from local files, not a CDN
        redoc_url=None,
    )
    # The demo's local Procore sandbox, which the landing page links to; None outside the demo.
    app.state.sandbox_admin_url = sandbox_admin_url

    @app.exception_handler(CoverwatchError)
    async def _coverwatch_error(_request: Request, exc: CoverwatchError) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _error_response(422, "invalid_input", "the request is not valid", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error_response(500, "internal_error", "an unexpected error occurred")

    api = APIRouter(prefix=API_PREFIX)
    for router in (
        orgs_router,
        projects_router,
        vendors_router,
        certificates_router,
        compliance_router,
        templates_router,
        audit_router,
        procore_api_router,
        webhooks_router,
        outreach_router,
        imports_router,
        reports_router,
        network_router,
    ):
        api.include_router(router)
    app.include_router(api)
    app.include_router(procore_webhook_router)
    app.include_router(web_router)
    app.include_router(signin_router)
    app.include_router(portal_router)
    app.include_router(portal_network_router)
    app.include_router(mailbox_router)
    app.include_router(dashboard_router)
    app.include_router(dashboard_templates_router)
    app.include_router(dashboard_imports_router)
    app.include_router(dashboard_reports_router)
    app.include_router(dashboard_procore_router)
    app.include_router(calendar_feed_router)
    app.include_router(landing_router)
    app.mount("/static", static_files(), name="static")
    add_api_docs(app, prefix=API_PREFIX)

    @app.get("/health", tags=["operations"], summary="Liveness")
    def health() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok", "version": __version__}

    @app.get("/ready", tags=["operations"], summary="Readiness")
    def ready() -> JSONResponse:
        """The database and the job queue answer."""
        checks: dict[str, str] = {}
        try:
            with get_engine().connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {exc.__class__.__name__}"
        try:
            huey.pending_count()
            checks["queue"] = "ok"
        except Exception as exc:
            checks["queue"] = f"error: {exc.__class__.__name__}"
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if healthy else "error", "checks": checks},
            status_code=200 if healthy else 503,
        )

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    return app
