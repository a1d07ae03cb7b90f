"""The sandbox's commitments: work order and purchase order contracts, and their admin API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coverwatch.sandbox.common import error, paged, state_of
from coverwatch.sandbox.state_commitments import RESOURCES, RangeError

router = APIRouter()


def _routes(kind: str) -> None:
    """The REST and admin routes of one kind of contract (its own paths, like Procore's)."""
    single = kind.removesuffix("s")

    @router.get(f"/rest/v1.0/{kind}", name=f"list_{kind}")
    def list_contracts(request: Request, project_id: int) -> JSONResponse:
        sandbox = state_of(request)
        if sandbox.config.commitments_forbidden:
            return error(403, "You do not have permission to access this resource.")
        if str(project_id) not in sandbox.data.projects:
            return error(404, "project not found")
        query = request.query_params
        try:
            items = sandbox.list_commitments(
                kind,
                project_id=project_id,
                updated_at=query.get("filters[updated_at]"),
                include_deleted=query.get("filters[include_deleted]"),
            )
        except RangeError as exc:
            return error(400, f"filters[updated_at]: {exc}")
        return paged(request, items)

    @router.get(f"/rest/v1.0/{kind}/{{contract_id}}", name=f"show_{single}")
    def show_contract(request: Request, contract_id: int, project_id: int) -> JSONResponse:
        if state_of(request).config.commitments_forbidden:
            return error(403, "You do not have permission to access this resource.")
        found = state_of(request).live_commitment(kind, contract_id)
        if not found or found["project"]["id"] != project_id:
            return error(404, "contract not found")
        return JSONResponse(found)

    @router.patch(f"/rest/v1.0/{kind}/{{contract_id}}", name=f"update_{single}")
    async def update_contract(request: Request, contract_id: int) -> JSONResponse:
        sandbox = state_of(request)
        body = await request.json()
        project_id = body.get("project_id") or request.query_params.get("project_id")
        found = sandbox.live_commitment(kind, contract_id)
        if not found or str(found["project"]["id"]) != str(project_id):
            return error(404, "contract not found")
        changes = body.get(single, {})
        vendor_id = changes.get("vendor_id")
        if vendor_id is not None and str(vendor_id) not in sandbox.data.vendors:
            return error(422, "vendor_id: no such vendor")
        updated = sandbox.update_commitment(
            kind,
            contract_id,
            changes,
            source_application_id=request.state.client.get("application_id"),
        )
        return JSONResponse(updated)

    @router.delete(f"/rest/v1.0/{kind}/{{contract_id}}", name=f"delete_{single}")
    def delete_contract(request: Request, contract_id: int, project_id: int) -> JSONResponse:
        sandbox = state_of(request)
        found = sandbox.live_commitment(kind, contract_id)
        if not found or found["project"]["id"] != project_id:
            return error(404, "contract not found")
        sandbox.delete_commitment(kind, contract_id)
        return JSONResponse({})

    # As a GC would, in Procore's Commitments tool.
    @router.post(f"/_admin/api/{kind}", include_in_schema=False, name=f"admin_add_{single}")
    async def admin_add(request: Request) -> Any:
        body = await request.json()
        sandbox = state_of(request)
        if str(body.get("project_id")) not in sandbox.data.projects:
            return _missing("project")
        vendor_id = body.get("vendor_id")
        if vendor_id is not None and str(vendor_id) not in sandbox.data.vendors:
            return _missing("vendor")
        return sandbox.add_commitment(
            kind,
            project_id=int(body["project_id"]),
            vendor_id=None if vendor_id is None else int(vendor_id),
            title=body.get("title", "Subcontract"),
            status=body.get("status", "Draft"),
        )

    @router.patch(
        f"/_admin/api/{kind}/{{contract_id}}", include_in_schema=False, name=f"admin_{single}"
    )
    async def admin_update(request: Request, contract_id: int) -> Any:
        sandbox = state_of(request)
        body = await request.json()
        if body.get("vendor_id") is not None and str(body["vendor_id"]) not in sandbox.data.vendors:
            return _missing("vendor")
        updated = sandbox.update_commitment(kind, contract_id, body)
        return updated if updated is not None else _missing("contract")

    @router.delete(
        f"/_admin/api/{kind}/{{contract_id}}", include_in_schema=False, name=f"admin_del_{single}"
    )
    def admin_delete(request: Request, contract_id: int) -> Any:
        if not state_of(request).delete_commitment(kind, contract_id):
            return _missing("contract")
        return {"deleted": True}


def _missing(what: str) -> JSONResponse:
    return JSONResponse({"error": f"{what} not found"}, status_code=404)


for _kind in RESOURCES:
    _routes(_kind)
