"""A local fake Procore: OAuth, the REST endpoints coverwatch uses, webhooks, rate limits.

Run it alone with `coverwatch procore-sandbox --port 8900`, or in a thread (`SandboxServer`) as
the tests do. Shapes follow Procore's documentation (see docs/procore.md for what is assumed):
v1.0 lists are paged with `page`/`per_page` and answer `Link`, `Total` and `Per-Page`; every
/rest call needs a bearer token and the `Procore-Company-Id` header and answers the
`X-Rate-Limit-*` headers. The admin API under /_admin changes things as a GC would.

This module assembles the app: the routes live one module a resource (`oauth`, `directory`,
`commitments`, `insurances`, `hooks`, `admin`), the data in `state`, the webhook sender in
`delivery`.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.middleware.base import RequestResponseEndpoint

from coverwatch.sandbox import (
    admin_records,
    commitments,
    compliance,
    directory,
    hooks,
    insurances,
    oauth,
)
from coverwatch.sandbox.admin import admin_router
from coverwatch.sandbox.common import error, state_of
from coverwatch.sandbox.delivery import SandboxDelivery
from coverwatch.sandbox.state import SandboxState
from coverwatch.sandbox.state_records import SandboxConfig
from coverwatch.server import ServerThread


async def _rest_guard(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Token, company header, rate limit and injected faults for every /rest call."""
    if not request.url.path.startswith("/rest/"):
        return await call_next(request)
    state = state_of(request)
    config = state.config
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    client = state.token_client(token) if scheme.lower() == "bearer" else None
    if client is None:
        return error(401, "invalid or expired access token")
    company = request.headers.get("procore-company-id")
    exempt = request.url.path in ("/rest/v1.0/me", "/rest/v1.0/companies")
    if not company and not exempt:
        return error(400, "Missing Procore-Company-Id header!")
    limit, remaining, reset, over = state.count_request(f"{client['client_id']}|{company}")
    rate = {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": str(reset),
    }
    if over:
        retry_after = str(max(math.ceil(reset - time.time()), 0))
        return error(
            429,
            "You have surpassed the max number of requests for an hour. "
            "Please wait until your limit resets.",
            **rate,
            **{"Retry-After": retry_after},
        )
    if state.rng.random() < config.fail_429_rate:
        state.stats.injected_429 += 1
        return error(
            429, "rate limited (injected)", **rate, **{"Retry-After": str(config.fault_retry_after)}
        )
    if state.rng.random() < config.fail_500_rate:
        state.stats.injected_500 += 1
        return error(500, "internal server error (injected)", **rate)
    if config.slow_seconds and state.rng.random() < config.slow_rate:
        state.stats.slow += 1
        await asyncio.sleep(config.slow_seconds)
    request.state.client = client
    request.state.company_id = int(company) if company and company.isdigit() else None
    refused = _refused(request, state, client["client_id"], request.state.company_id)
    if refused is not None:
        refused.headers.update(rate)
        return refused
    response = await call_next(request)
    response.headers.update(rate)
    if _answers_late(request, config):
        config.late_answers -= 1
        state.stats.late += 1
        await asyncio.sleep(config.late_seconds)  # the change is made; only the answer waits
    return response


def _refused(
    request: Request, state: SandboxState, client_id: str, company_id: int | None
) -> Response | None:
    """403 once the app is uninstalled; 404 for a project the client may not see."""
    if company_id is None:
        return None
    if not state.installed(client_id, company_id):
        return error(403, "App is not connected to this company")
    parts = request.url.path.split("/")
    in_path = parts[4] if len(parts) > 4 and parts[3] == "projects" else ""
    for value in (in_path, request.query_params.get("project_id", "")):
        if value.isdigit() and not state.permitted(client_id, company_id, int(value)):
            # Procore answers "no access" as it answers "no such record".
            return error(404, "404 Not Found")
    return None


def _answers_late(request: Request, config: SandboxConfig) -> bool:
    return (
        config.late_answers > 0 and request.method != "GET" and config.late_path in request.url.path
    )


def create_sandbox_app(
    *, state: SandboxState | None = None, state_file: Path | None = None, deliver: bool = True
) -> FastAPI:
    """The fake Procore as an ASGI app; its delivery thread runs while the app is served."""
    sandbox = state or SandboxState(state_file=state_file)
    delivery = SandboxDelivery(sandbox)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if deliver:
            delivery.start()
        try:
            yield
        finally:
            if deliver:
                delivery.stop()
            sandbox.save()

    app = FastAPI(
        title="Procore sandbox (coverwatch)",
        docs_url="/_docs",
        openapi_url="/_openapi.json",
        lifespan=lifespan,
    )
    app.state.sandbox = sandbox
    app.state.delivery = delivery
    app.middleware("http")(_rest_guard)
    app.include_router(oauth.router)
    for resource in (directory, commitments, insurances, compliance, hooks):
        app.include_router(resource.router)
    app.include_router(admin_router)
    app.include_router(admin_records.router)
    return app


class SandboxServer(ServerThread):
    """The sandbox served in a thread: `.state` to inspect, `.delivery` to wait for webhooks."""

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.app = create_sandbox_app()
        super().__init__(self.app, host=host, port=port)
        self.state: SandboxState = self.app.state.sandbox
        self.delivery: SandboxDelivery = self.app.state.delivery


def serve_sandbox(*, host: str, port: int, state_file: Path | None = None) -> None:
    """Run the sandbox in the foreground (the `coverwatch procore-sandbox` command)."""
    uvicorn.run(create_sandbox_app(state_file=state_file), host=host, port=port, log_level="info")
