"""The sandbox's directory: the user, companies, projects, vendors, project vendors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from coverwatch.sandbox.common import error, paged, state_of

router = APIRouter(prefix="/rest/v1.0")


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    return {"id": 9001, "login": "sandbox@example.com", "name": "Sandbox User"}


@router.get("/companies")
def companies(request: Request) -> JSONResponse:
    # One service account serves every company that installed its app, and only those.
    return paged(request, state_of(request).companies_of(request.state.client["client_id"]))


@router.get("/projects")
def projects(request: Request, company_id: int) -> JSONResponse:
    sandbox, client_id = state_of(request), request.state.client["client_id"]
    items = [
        p
        for p in sandbox.data.projects.values()
        if p["company"]["id"] == company_id and sandbox.permitted(client_id, company_id, p["id"])
    ]
    return paged(request, items)


@router.get("/projects/{project_id}")
def project(request: Request, project_id: int) -> JSONResponse:
    found = state_of(request).data.projects.get(str(project_id))
    return JSONResponse(found) if found else error(404, "project not found")


@router.get("/vendors")
def vendors(request: Request, company_id: int, view: str = "extended") -> JSONResponse:
    sandbox = state_of(request)
    ids = [v["id"] for v in sandbox.data.vendors.values() if v["company_id"] == company_id]
    return paged(request, [sandbox.vendor_view(i, view) for i in ids])


@router.get("/vendors/{vendor_id}")
def vendor(request: Request, vendor_id: int, view: str = "extended") -> JSONResponse:
    sandbox = state_of(request)
    if str(vendor_id) not in sandbox.data.vendors:
        return error(404, "vendor not found")
    return JSONResponse(sandbox.vendor_view(vendor_id, view))


@router.patch("/vendors/{vendor_id}")
async def update_vendor(request: Request, vendor_id: int) -> JSONResponse:
    sandbox = state_of(request)
    if str(vendor_id) not in sandbox.data.vendors:
        return error(404, "vendor not found")
    body = await request.json()
    sandbox.update_vendor(
        vendor_id,
        body.get("vendor", {}),
        source_application_id=request.state.client.get("application_id"),
    )
    return JSONResponse(sandbox.vendor_view(vendor_id, "extended"))


@router.get("/projects/{project_id}/vendors")
def project_vendors(request: Request, project_id: int, view: str = "normal") -> JSONResponse:
    sandbox = state_of(request)
    if str(project_id) not in sandbox.data.projects:
        return error(404, "project not found")
    ids = sandbox.project_vendor_ids(project_id)
    return paged(request, [sandbox.vendor_view(i, view) for i in ids])


@router.get("/projects/{project_id}/vendors/{vendor_id}")
def project_vendor(
    request: Request, project_id: int, vendor_id: int, view: str = "normal"
) -> JSONResponse:
    sandbox = state_of(request)
    if vendor_id not in sandbox.project_vendor_ids(project_id):
        return error(404, "vendor not found in the project directory")
    return JSONResponse(sandbox.vendor_view(vendor_id, view))


@router.post("/projects/{project_id}/vendors/{vendor_id}/actions/add")
def add_project_vendor(request: Request, project_id: int, vendor_id: int) -> JSONResponse:
    sandbox = state_of(request)
    if str(project_id) not in sandbox.data.projects or str(vendor_id) not in sandbox.data.vendors:
        return error(404, "not found")
    sandbox.add_vendor_to_project(
        project_id, vendor_id, source_application_id=request.state.client.get("application_id")
    )
    return JSONResponse(sandbox.vendor_view(vendor_id, "normal"), status_code=201)


@router.delete("/projects/{project_id}/vendors/{vendor_id}/actions/remove")
def remove_project_vendor(request: Request, project_id: int, vendor_id: int) -> Response:
    sandbox = state_of(request)
    if not sandbox.remove_vendor_from_project(project_id, vendor_id):
        return error(404, "vendor not found in the project directory")
    return Response(status_code=204)
