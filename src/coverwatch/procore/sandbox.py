"""A local fake Procore: OAuth, the REST endpoints coverwatch uses, webhooks, rate limits.

Run it alone with `coverwatch procore-sandbox --port 8900`, or in a thread (`SandboxServer`) as
the tests do. Shapes follow Procore's documentation (see docs/procore.md for what is assumed):
v1.0 lists are paged with `page`/`per_page` and answer `Link`, `Total` and `Per-Page`; every
/rest call needs a bearer token and the `Procore-Company-Id` header and answers the
`X-Rate-Limit-*` headers. The admin API under /_admin changes things as a GC would.
"""

from __future__ import annotations

import asyncio
import math
import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.middleware.base import RequestResponseEndpoint

from coverwatch.procore.sandbox_admin import admin_router
from coverwatch.procore.sandbox_delivery import SandboxDelivery
from coverwatch.procore.sandbox_state import SandboxConfig, SandboxState

OOB = "urn:ietf:wg:oauth:2.0:oob"
rest = APIRouter(prefix="/rest/v1.0")
oauth = APIRouter(prefix="/oauth")


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"errors": message}, status_code=status, headers=headers)


def _page(request: Request, items: list[dict[str, Any]]) -> JSONResponse:
    """One page of a v1 list, with Procore's paging headers."""
    page = max(int(request.query_params.get("page", 1)), 1)
    per_page = min(max(int(request.query_params.get("per_page", 100)), 1), 1000)
    last = max(math.ceil(len(items) / per_page), 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    base = str(request.url.remove_query_params(["page", "per_page"]))
    sep = "&" if "?" in base else "?"
    links = [f'<{base}{sep}page=1&per_page={per_page}>; rel="first"']
    if page > 1:
        links.append(f'<{base}{sep}page={page - 1}&per_page={per_page}>; rel="prev"')
    if page < last:
        links.append(f'<{base}{sep}page={page + 1}&per_page={per_page}>; rel="next"')
    links.append(f'<{base}{sep}page={last}&per_page={per_page}>; rel="last"')
    headers = {"Link": ", ".join(links), "Total": str(len(items)), "Per-Page": str(per_page)}
    return JSONResponse(chunk, headers=headers)


async def _rest_guard(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Token, company header, rate limit and injected faults for every /rest call."""
    if not request.url.path.startswith("/rest/"):
        return await call_next(request)
    state = _state(request)
    config = state.config
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    client = state.token_client(token) if scheme.lower() == "bearer" else None
    if client is None:
        return _error(401, "invalid or expired access token")
    company = request.headers.get("procore-company-id")
    exempt = request.url.path in ("/rest/v1.0/me", "/rest/v1.0/companies")
    if not company and not exempt:
        return _error(400, "Missing Procore-Company-Id header!")
    limit, remaining, reset, over = state.count_request(f"{client['client_id']}|{company}")
    rate = {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": str(reset),
    }
    if over:
        retry_after = str(max(math.ceil(reset - time.time()), 0))
        return _error(
            429,
            "You have surpassed the max number of requests for an hour. "
            "Please wait until your limit resets.",
            **rate,
            **{"Retry-After": retry_after},
        )
    if state.rng.random() < config.fail_429_rate:
        state.stats.injected_429 += 1
        return _error(
            429, "rate limited (injected)", **rate, **{"Retry-After": str(config.fault_retry_after)}
        )
    if state.rng.random() < config.fail_500_rate:
        state.stats.injected_500 += 1
        return _error(500, "internal server error (injected)", **rate)
    if config.slow_seconds and state.rng.random() < config.slow_rate:
        state.stats.slow += 1
        await asyncio.sleep(config.slow_seconds)
    request.state.client = client
    request.state.company_id = int(company) if company and company.isdigit() else None
    response = await call_next(request)
    response.headers.update(rate)
    if _answers_late(request, config):
        config.late_answers -= 1
        state.stats.late += 1
        await asyncio.sleep(config.late_seconds)  # the change is made; only the answer waits
    return response


def _answers_late(request: Request, config: SandboxConfig) -> bool:
    return (
        config.late_answers > 0 and request.method != "GET" and config.late_path in request.url.path
    )


# -- OAuth --------------------------------------------------------------------------------


@oauth.get("/authorize", response_model=None)
def authorize(
    request: Request,
    client_id: str,
    redirect_uri: str,
    response_type: str = "code",
    state: str = "",
) -> Response:
    """Auto-approves, as if the admin clicked "Allow"."""
    sandbox = _state(request)
    if client_id not in sandbox.data.clients or response_type != "code":
        return HTMLResponse("<h1>Unknown client</h1>", status_code=400)
    code = sandbox.issue_code(client_id)
    if redirect_uri == OOB:
        return HTMLResponse(f"<h1>Authorization code</h1><p><code id='code'>{code}</code></p>")
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state})}")


@oauth.post("/token")
def token(
    request: Request,
    grant_type: str = Form(),
    client_id: str = Form(),
    client_secret: str = Form(),
    code: str | None = Form(default=None),
    refresh_token: str | None = Form(default=None),
    redirect_uri: str | None = Form(default=None),
) -> JSONResponse:
    """Procore's token endpoint: the three grants, refresh tokens rotating on every use."""
    sandbox = _state(request)
    if not sandbox.client_ok(client_id, client_secret):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    if grant_type == "client_credentials":
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=False))
    if grant_type == "authorization_code":
        if not code or sandbox.take_code(code) != client_id:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=True))
    if grant_type == "refresh_token":
        if not refresh_token or sandbox.rotate_refresh(refresh_token) != client_id:
            return JSONResponse(
                {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant is invalid, "
                    "expired, revoked, does not match the redirection URI used in the "
                    "authorization request, or was issued to another client.",
                },
                status_code=400,
            )
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=True))
    return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)


# -- directory ----------------------------------------------------------------------------


@rest.get("/me")
def me(request: Request) -> dict[str, Any]:
    return {"id": 9001, "login": "sandbox@example.com", "name": "Sandbox User"}


@rest.get("/companies")
def companies(request: Request) -> JSONResponse:
    return _page(request, list(_state(request).data.companies.values()))


@rest.get("/projects")
def projects(request: Request, company_id: int) -> JSONResponse:
    items = [p for p in _state(request).data.projects.values() if p["company"]["id"] == company_id]
    return _page(request, items)


@rest.get("/projects/{project_id}")
def project(request: Request, project_id: int) -> JSONResponse:
    found = _state(request).data.projects.get(str(project_id))
    return JSONResponse(found) if found else _error(404, "project not found")


@rest.get("/vendors")
def vendors(request: Request, company_id: int) -> JSONResponse:
    items = [v for v in _state(request).data.vendors.values() if v["company_id"] == company_id]
    return _page(request, items)


@rest.get("/vendors/{vendor_id}")
def vendor(request: Request, vendor_id: int) -> JSONResponse:
    found = _state(request).data.vendors.get(str(vendor_id))
    return JSONResponse(found) if found else _error(404, "vendor not found")


@rest.patch("/vendors/{vendor_id}")
async def update_vendor(request: Request, vendor_id: int) -> JSONResponse:
    sandbox = _state(request)
    if str(vendor_id) not in sandbox.data.vendors:
        return _error(404, "vendor not found")
    body = await request.json()
    updated = sandbox.update_vendor(
        vendor_id,
        body.get("vendor", {}),
        source_application_id=request.state.client.get("application_id"),
    )
    return JSONResponse(updated)


@rest.get("/projects/{project_id}/vendors")
def project_vendors(request: Request, project_id: int) -> JSONResponse:
    sandbox = _state(request)
    if str(project_id) not in sandbox.data.projects:
        return _error(404, "project not found")
    ids = sandbox.project_vendor_ids(project_id)
    return _page(request, [sandbox.data.vendors[str(i)] for i in ids])


@rest.get("/projects/{project_id}/vendors/{vendor_id}")
def project_vendor(request: Request, project_id: int, vendor_id: int) -> JSONResponse:
    sandbox = _state(request)
    if vendor_id not in sandbox.project_vendor_ids(project_id):
        return _error(404, "vendor not found in the project directory")
    return JSONResponse(sandbox.data.vendors[str(vendor_id)])


@rest.post("/projects/{project_id}/vendors/{vendor_id}/actions/add")
def add_project_vendor(request: Request, project_id: int, vendor_id: int) -> JSONResponse:
    sandbox = _state(request)
    if str(project_id) not in sandbox.data.projects or str(vendor_id) not in sandbox.data.vendors:
        return _error(404, "not found")
    vendor = sandbox.add_vendor_to_project(
        project_id, vendor_id, source_application_id=request.state.client.get("application_id")
    )
    return JSONResponse(vendor, status_code=201)


@rest.delete("/projects/{project_id}/vendors/{vendor_id}/actions/remove")
def remove_project_vendor(request: Request, project_id: int, vendor_id: int) -> Response:
    sandbox = _state(request)
    if not sandbox.remove_vendor_from_project(project_id, vendor_id):
        return _error(404, "vendor not found in the project directory")
    return Response(status_code=204)


@rest.get("/work_order_contracts/{contract_id}")
def work_order_contract(request: Request, contract_id: int, project_id: int) -> JSONResponse:
    found = _state(request).data.work_order_contracts.get(str(contract_id))
    if found is None or found["project"]["id"] != project_id:
        return _error(404, "work order contract not found")
    return JSONResponse(found)


# -- insurances ---------------------------------------------------------------------------


@rest.get("/projects/{project_id}/vendors/{vendor_id}/insurances")
def project_insurances(request: Request, project_id: int, vendor_id: int) -> JSONResponse:
    items = _state(request).insurances_of(vendor_id=vendor_id, project_id=project_id)
    return _page(request, items)


@rest.get("/companies/{company_id}/vendors/{vendor_id}/insurances")
def company_insurances(request: Request, company_id: int, vendor_id: int) -> JSONResponse:
    return _page(request, _state(request).insurances_of(vendor_id=vendor_id, project_id=None))


@rest.patch("/projects/{project_id}/vendors/{vendor_id}/insurances/sync")
async def sync_project_insurances(request: Request, project_id: int, vendor_id: int) -> Any:
    sandbox = _state(request)
    project = sandbox.data.projects.get(str(project_id))
    if project is None or vendor_id not in sandbox.project_vendor_ids(project_id):
        return _error(404, "vendor not found in the project directory")
    return await _sync(request, company_id=project["company"]["id"], project_id=project_id)


@rest.patch("/companies/{company_id}/vendors/{vendor_id}/insurances/sync")
async def sync_company_insurances(request: Request, company_id: int, vendor_id: int) -> Any:
    if str(vendor_id) not in _state(request).data.vendors:
        return _error(404, "vendor not found")
    return await _sync(request, company_id=company_id, project_id=None)


async def _sync(request: Request, *, company_id: int, project_id: int | None) -> JSONResponse:
    body = await request.json()
    updates = body.get("updates")
    if not isinstance(updates, list):
        return _error(400, "updates must be a list")
    result = _state(request).sync_insurances(
        company_id=company_id,
        vendor_id=int(request.path_params["vendor_id"]),
        project_id=project_id,
        updates=updates,
        source_application_id=request.state.client.get("application_id"),
    )
    return JSONResponse(result)  # sync actions always answer 200


# -- webhooks API -------------------------------------------------------------------------


def _scope(params: dict[str, Any]) -> dict[str, int]:
    if params.get("project_id"):
        return {"owned_by_project_id": int(params["project_id"])}
    return {"owned_by_company_id": int(params.get("company_id") or 0)}


@rest.get("/webhooks/hooks")
def list_hooks(request: Request) -> list[dict[str, Any]]:
    scope = _scope(dict(request.query_params))
    namespace = request.query_params.get("namespace")
    return [
        h
        for h in _state(request).data.hooks.values()
        if all(h.get(k) == v for k, v in scope.items())
        and (namespace is None or h["namespace"] == namespace)
    ]


@rest.post("/webhooks/hooks")
async def create_hook(request: Request) -> JSONResponse:
    body = await request.json()
    hook_in = body.get("hook") or {}
    if not hook_in.get("namespace") or not hook_in.get("destination_url"):
        return _error(422, "namespace and destination_url are required")
    sandbox = _state(request)
    hook = {
        "id": sandbox.new_id(),
        "api_version": hook_in.get("api_version", "v2"),
        "namespace": hook_in["namespace"],
        "destination_url": hook_in["destination_url"],
        "destination_headers": hook_in.get("destination_headers") or {},
        "owned_by_company_id": None,
        "owned_by_project_id": None,
        "owned_by_user_id": 9001,
        **_scope(body),
    }
    with sandbox.lock:
        sandbox.data.hooks[str(hook["id"])] = hook
    sandbox.save()
    return JSONResponse(hook, status_code=201)


@rest.patch("/webhooks/hooks/{hook_id}")
async def update_hook(request: Request, hook_id: int) -> JSONResponse:
    sandbox = _state(request)
    hook = sandbox.data.hooks.get(str(hook_id))
    if hook is None:
        return _error(404, "hook not found")
    body = (await request.json()).get("hook") or {}
    for key in ("api_version", "destination_url", "destination_headers"):
        if key in body:
            hook[key] = body[key]
    sandbox.save()
    return JSONResponse(hook)


@rest.delete("/webhooks/hooks/{hook_id}")
def delete_hook(request: Request, hook_id: int) -> Response:
    sandbox = _state(request)
    with sandbox.lock:
        sandbox.data.hooks.pop(str(hook_id), None)
        for key in [k for k, t in sandbox.data.triggers.items() if t["webhook_hook_id"] == hook_id]:
            sandbox.data.triggers.pop(key)
    return Response(status_code=204)


@rest.get("/webhooks/hooks/{hook_id}/triggers")
def list_triggers(request: Request, hook_id: int) -> list[dict[str, Any]]:
    triggers = _state(request).data.triggers.values()
    return [t for t in triggers if t["webhook_hook_id"] == hook_id]


@rest.post("/webhooks/hooks/{hook_id}/triggers")
async def create_trigger(request: Request, hook_id: int) -> JSONResponse:
    sandbox = _state(request)
    if str(hook_id) not in sandbox.data.hooks:
        return _error(404, "hook not found")
    body = await request.json()
    trigger_in = body.get("trigger") or {}
    trigger = {
        "id": sandbox.new_id(),
        "webhook_hook_id": hook_id,
        "resource_name": trigger_in.get("resource_name"),
        "resource_id": None,
        "event_type": trigger_in.get("event_type"),
        "company_id": body.get("company_id"),
        "project_id": body.get("project_id"),
        "user_id": 9001,
    }
    with sandbox.lock:
        sandbox.data.triggers[str(trigger["id"])] = trigger
    sandbox.save()
    return JSONResponse(trigger, status_code=201)


@rest.delete("/webhooks/hooks/{hook_id}/triggers/{trigger_id}")
def delete_trigger(request: Request, hook_id: int, trigger_id: int) -> Response:
    _state(request).data.triggers.pop(str(trigger_id), None)
    return Response(status_code=204)


@rest.get("/webhooks/hooks/{hook_id}/deliveries")
def list_deliveries(request: Request, hook_id: int) -> list[dict[str, Any]]:
    wanted = request.query_params.get("filter[status]", "any")
    outcomes = {"successful": ("ok",), "failing": ("retried",), "discarded": ("discarded",)}
    return [
        d
        for d in _state(request).data.deliveries
        if d["webhook_hook_id"] == hook_id
        and (wanted == "any" or d["outcome"] in outcomes.get(wanted, ()))
    ]


@rest.get("/webhooks/resources")
def webhook_resources(request: Request) -> list[dict[str, Any]]:
    names = {
        "Company Vendors": ("create", "update"),
        "Projects": ("create", "update"),
        "Project Vendors": ("create", "delete"),
        "Work Order Contracts": ("create", "update", "delete"),
        "Project Insurances": ("create", "update", "delete"),
        "Company Insurances": ("create", "update", "delete"),
    }
    return [
        {
            "api_version": "v2",
            "resource_name": n,
            **{e: e in events for e in ("create", "update", "delete")},
        }
        for n, events in names.items()
    ]


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
    app.include_router(oauth)
    app.include_router(rest)
    app.include_router(admin_router)
    return app


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """Any ASGI app served by uvicorn in a thread, over real HTTP on loopback."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(
            target=self.server.run, name=f"uvicorn-{self.port}", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


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
