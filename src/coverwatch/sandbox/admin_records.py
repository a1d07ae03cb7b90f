"""The sandbox's admin API for insurance records: what a person keys, and Procore's own emails."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coverwatch.sandbox.common import state_of

router = APIRouter(prefix="/_admin/api", include_in_schema=False)


@router.post("/insurances")
async def key_insurance(request: Request) -> Any:
    """A GC types a certificate into a vendor's insurance tab (project, or company if none)."""
    body = await request.json()
    sandbox = state_of(request)
    vendor_id = int(body.pop("vendor_id", 0))
    project_id = body.pop("project_id", None)
    if str(vendor_id) not in sandbox.data.vendors:
        return JSONResponse({"error": "vendor not found"}, status_code=404)
    if project_id is not None and str(project_id) not in sandbox.data.projects:
        return JSONResponse({"error": "project not found"}, status_code=404)
    return sandbox.key_insurance(
        vendor_id=vendor_id,
        project_id=None if project_id is None else int(project_id),
        fields=body,
    )


@router.patch("/insurances/{insurance_id}")
async def edit_insurance(request: Request, insurance_id: int) -> Any:
    """A GC edits any insurance record by hand, ours included."""
    found = state_of(request).edit_insurance(insurance_id, await request.json())
    if found is None:
        return JSONResponse({"error": "insurance not found"}, status_code=404)
    return found


@router.get("/notifications")
def notifications(request: Request, on: date) -> list[dict[str, Any]]:
    """The expiry emails Procore would send on that day."""
    return state_of(request).notifications_on(on)
