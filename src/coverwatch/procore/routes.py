"""HTTP: the Procore webhook receiver, and the organization's view of its connection."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role
from coverwatch.pagination import Page, PageParams, page_of, page_params, paginate, paginate_list
from coverwatch.procore import deliveries, records, service, writeback
from coverwatch.procore.errors import WebhookUnauthorized
from coverwatch.procore.models import ProcoreDelivery
from coverwatch.procore.schemas import (
    ProcoreConnectionOut,
    ProcoreDeliveryOut,
    ProcoreInsuranceOut,
)
from coverwatch.vendors import service as vendors

# The receiver lives outside /api/v1: Procore authenticates with our hook's header, not a key.
router = APIRouter(tags=["procore"])
# Mounted under /api/v1 by the application.
api_router = APIRouter(prefix="/procore", tags=["procore"])
writeback.subscribe()


@router.post("/webhooks/procore", summary="Procore webhook receiver", include_in_schema=False)
async def receive_webhook(request: Request) -> JSONResponse:
    """Store the delivery once and answer at once; a job does the work (Procore allows 5 s)."""
    body = await request.body()
    authorization = request.headers.get("authorization")
    outcome, delivery_id = await run_in_threadpool(_store, body, authorization)
    if outcome == "refused":
        # Raised only now, after the refusal was counted and committed.
        raise WebhookUnauthorized(
            "this delivery does not carry the Authorization value of our hook"
        )
    return JSONResponse({"status": outcome, "delivery_id": delivery_id}, status_code=200)


def _store(body: bytes, authorization: str | None) -> tuple[str, int | None]:
    # The edge of the transaction: committed before the job that processes it is enqueued.
    with session_scope() as session:
        return deliveries.receive(session, body=body, authorization=authorization)


@api_router.get(
    "/connections", response_model=Page[ProcoreConnectionOut], summary="Procore connections"
)
def list_connections(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ProcoreConnectionOut]:
    """The organization's Procore connections (never a token or secret)."""
    require_role(principal, "admin", "risk_manager", action="viewing Procore connections")
    # One connection per Procore company: a short list, paged in memory.
    rows, total = paginate_list(service.list_connections(session, org_id=principal.org_id), params)
    items = [ProcoreConnectionOut.model_validate(service.describe_connection(c)) for c in rows]
    return page_of(items, params=params, total=total)


@api_router.get(
    "/deliveries",
    response_model=Page[ProcoreDeliveryOut],
    summary="Recent Procore webhook deliveries",
)
def list_deliveries(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    unprocessed: bool = Query(False, description="Only deliveries not processed yet"),
) -> Page[ProcoreDeliveryOut]:
    """The webhook deliveries received for the organization, newest first."""
    require_role(principal, "admin", "risk_manager", action="viewing Procore deliveries")
    statement = select(ProcoreDelivery).where(ProcoreDelivery.org_id == principal.org_id)
    if unprocessed:
        statement = statement.where(ProcoreDelivery.processed_at.is_(None))
    rows, total = paginate(session, statement.order_by(ProcoreDelivery.id.desc()), params)
    return page_of([ProcoreDeliveryOut.model_validate(r) for r in rows], params=params, total=total)


@api_router.get(
    "/insurances",
    response_model=Page[ProcoreInsuranceOut],
    summary="Insurance records in Procore beside ours",
)
def list_insurances(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    project_vendor_id: int = Query(..., description="The project vendor"),
) -> Page[ProcoreInsuranceOut]:
    """Records in Procore a person keyed, or edited after we wrote them (as last read)."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    # A vendor's records in Procore: a short list, paged in memory.
    found = records.for_project_vendor(session, project_vendor_id=project_vendor.id)
    rows, total = paginate_list(found, params)
    items = [ProcoreInsuranceOut.model_validate(r) for r in rows]
    return page_of(items, params=params, total=total)
