"""The sandbox's commitment compliance routes: show and update a contract's compliance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coverwatch.sandbox.common import error, state_of

router = APIRouter(prefix="/rest/v1.0/projects/{project_id}")
KINDS = {"work_order_contracts": "work_order", "purchase_order_contracts": "purchase_order"}


@router.get("/{contracts}/{contract_id}/compliance")
def show_compliance(request: Request, project_id: int, contracts: str, contract_id: int) -> Any:
    sandbox = state_of(request)
    kind = KINDS.get(contracts)
    contract = sandbox.contract(kind, contract_id, project_id=project_id) if kind else None
    if kind is None or contract is None:
        return error(404, "contract not found")
    return JSONResponse(sandbox.compliance_of(kind, contract))


@router.patch("/{contracts}/{contract_id}/compliance")
async def update_compliance(
    request: Request, project_id: int, contracts: str, contract_id: int
) -> Any:
    sandbox = state_of(request)
    kind = KINDS.get(contracts)
    contract = sandbox.contract(kind, contract_id, project_id=project_id) if kind else None
    if kind is None or contract is None:
        return error(404, "contract not found")
    body = await request.json()
    if not isinstance(body, dict):
        return error(400, "the body is a JSON object")
    errors = sandbox.update_compliance(kind, contract, body)
    if errors:
        return JSONResponse({"errors": errors}, status_code=422)
    answer = sandbox.compliance_of(kind, contract)
    return JSONResponse(
        {k: answer[k] for k in ("updated_at", "updated_by_id", *_FIELDS)}, status_code=200
    )


_FIELDS = ("compliance_status", "compliance_notes", "insurance_status", "insurance_notes")
