"""The sandbox's webhooks API: hooks, their triggers and deliveries, the resources on offer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from coverwatch.sandbox.common import error, state_of
from coverwatch.sandbox.state_hooks import COMPANY_RESOURCES, PROJECT_RESOURCES, resources_of

router = APIRouter(prefix="/rest/v1.0")


def _scope(params: dict[str, Any]) -> dict[str, int]:
    if params.get("project_id"):
        return {"owned_by_project_id": int(params["project_id"])}
    return {"owned_by_company_id": int(params.get("company_id") or 0)}


@router.get("/webhooks/hooks")
def list_hooks(request: Request) -> list[dict[str, Any]]:
    scope = _scope(dict(request.query_params))
    namespace = request.query_params.get("namespace")
    return [
        h
        for h in state_of(request).data.hooks.values()
        if all(h.get(k) == v for k, v in scope.items())
        and (namespace is None or h["namespace"] == namespace)
    ]


@router.post("/webhooks/hooks")
async def create_hook(request: Request) -> JSONResponse:
    body = await request.json()
    hook_in = body.get("hook") or {}
    if not hook_in.get("namespace") or not hook_in.get("destination_url"):
        return error(422, "namespace and destination_url are required")
    sandbox = state_of(request)
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


@router.patch("/webhooks/hooks/{hook_id}")
async def update_hook(request: Request, hook_id: int) -> JSONResponse:
    sandbox = state_of(request)
    hook = sandbox.data.hooks.get(str(hook_id))
    if hook is None:
        return error(404, "hook not found")
    body = (await request.json()).get("hook") or {}
    for key in ("api_version", "destination_url", "destination_headers"):
        if key in body:
            hook[key] = body[key]
    sandbox.save()
    return JSONResponse(hook)


@router.delete("/webhooks/hooks/{hook_id}")
def delete_hook(request: Request, hook_id: int) -> Response:
    sandbox = state_of(request)
    with sandbox.lock:
        sandbox.data.hooks.pop(str(hook_id), None)
        for key in [k for k, t in sandbox.data.triggers.items() if t["webhook_hook_id"] == hook_id]:
            sandbox.data.triggers.pop(key)
    return Response(status_code=204)


@router.get("/webhooks/hooks/{hook_id}/triggers")
def list_triggers(request: Request, hook_id: int) -> list[dict[str, Any]]:
    triggers = state_of(request).data.triggers.values()
    return [t for t in triggers if t["webhook_hook_id"] == hook_id]


@router.post("/webhooks/hooks/{hook_id}/triggers")
async def create_trigger(request: Request, hook_id: int) -> JSONResponse:
    sandbox = state_of(request)
    if str(hook_id) not in sandbox.data.hooks:
        return error(404, "hook not found")
    body = await request.json()
    trigger_in = body.get("trigger") or {}
    hook = sandbox.data.hooks[str(hook_id)]
    offered = resources_of(hook).get(str(trigger_in.get("resource_name")), ())
    if trigger_in.get("event_type") not in offered:
        scope = "project" if hook.get("owned_by_project_id") else "company"
        return JSONResponse(
            {
                "errors": {
                    "resource_name": [
                        f"{trigger_in.get('resource_name')} {trigger_in.get('event_type')} "
                        f"is not available for a {scope} level hook"
                    ]
                }
            },
            status_code=422,
        )
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


@router.delete("/webhooks/hooks/{hook_id}/triggers/{trigger_id}")
def delete_trigger(request: Request, hook_id: int, trigger_id: int) -> Response:
    state_of(request).data.triggers.pop(str(trigger_id), None)
    return Response(status_code=204)


@router.get("/webhooks/hooks/{hook_id}/deliveries")
def list_deliveries(request: Request, hook_id: int) -> list[dict[str, Any]]:
    wanted = request.query_params.get("filter[status]", "any")
    outcomes = {"successful": ("ok",), "failing": ("retried",), "discarded": ("discarded",)}
    return [
        d
        for d in state_of(request).data.deliveries
        if d["webhook_hook_id"] == hook_id
        and (wanted == "any" or d["outcome"] in outcomes.get(wanted, ()))
    ]


@router.get("/webhooks/resources")
def webhook_resources(request: Request) -> Any:
    """What the scope offers, in the documented shape: one item a resource, the event types as
    strings, and `except` naming those that cannot be subscribed to."""
    params = request.query_params
    if not params.get("project_id") and not params.get("company_id"):
        return error(400, "You must supply either a company_id or project_id")
    offered = PROJECT_RESOURCES if params.get("project_id") else COMPANY_RESOURCES
    return [
        {
            "api_version": "v2",
            "product_category": "Project" if offered is PROJECT_RESOURCES else "Company",
            "tools": name,
            "create": "create",
            "update": "update",
            "delete": "delete",
            "except": [e for e in ("create", "update", "delete") if e not in events],
        }
        for name, events in offered.items()
    ]
