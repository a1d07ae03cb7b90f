"""The sandbox's vendor insurances: project and company lists, and Procore's sync action."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coverwatch.sandbox.common import error, paged, state_of

router = APIRouter(prefix="/rest/v1.0")


@router.get("/projects/{project_id}/vendors/{vendor_id}/insurances")
def project_insurances(request: Request, project_id: int, vendor_id: int) -> JSONResponse:
    items = state_of(request).insurances_of(vendor_id=vendor_id, project_id=project_id)
    return paged(request, items)


@router.get("/companies/{company_id}/vendors/{vendor_id}/insurances")
def company_insurances(request: Request, company_id: int, vendor_id: int) -> JSONResponse:
    return paged(request, state_of(request).insurances_of(vendor_id=vendor_id, project_id=None))


@router.get("/projects/{project_id}/insurances")
def all_project_insurances(request: Request, project_id: int) -> JSONResponse:
    sandbox = state_of(request)
    if str(project_id) not in sandbox.data.projects:
        return error(404, "project not found")
    items = [dict(r) for r in sandbox.data.insurances.values() if r.get("project_id") == project_id]
    return paged(request, items)


@router.get("/companies/{company_id}/insurances")
def all_company_insurances(request: Request, company_id: int) -> JSONResponse:
    records = state_of(request).data.insurances.values()
    items = [
        dict(r) for r in records if r.get("project_id") is None and r["company_id"] == company_id
    ]
    return paged(request, items)


@router.patch("/projects/{project_id}/vendors/{vendor_id}/insurances/sync")
async def sync_project_insurances(request: Request, project_id: int, vendor_id: int) -> Any:
    sandbox = state_of(request)
    project = sandbox.data.projects.get(str(project_id))
    if project is None or vendor_id not in sandbox.project_vendor_ids(project_id):
        return error(404, "vendor not found in the project directory")
    return await _sync(request, company_id=project["company"]["id"], project_id=project_id)


@router.patch("/companies/{company_id}/vendors/{vendor_id}/insurances/sync")
async def sync_company_insurances(request: Request, company_id: int, vendor_id: int) -> Any:
    if str(vendor_id) not in state_of(request).data.vendors:
        return error(404, "vendor not found")
    return await _sync(request, company_id=company_id, project_id=None)


async def _sync(request: Request, *, company_id: int, project_id: int | None) -> JSONResponse:
    body = await request.json()
    updates = body.get("updates")
    if not isinstance(updates, list):
        return error(400, "updates must be a list")
    result = state_of(request).sync_insurances(
        company_id=company_id,
        vendor_id=int(request.path_params["vendor_id"]),
        project_id=project_id,
        updates=updates,
        source_application_id=request.state.client.get("application_id"),
    )
    return JSONResponse(result)  # sync actions always answer 200
