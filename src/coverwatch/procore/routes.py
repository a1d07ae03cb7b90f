"""HTTP: the Procore webhook receiver, and the organization's view of its connection."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role
from coverwatch.procore import deliveries, service, writeback
from coverwatch.procore.models import ProcoreDelivery

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
    return JSONResponse({"status": outcome, "delivery_id": delivery_id}, status_code=200)


def _store(body: bytes, authorization: str | None) -> tuple[str, int | None]:
    # The edge of the transaction: committed before the job that processes it is enqueued.
    with session_scope() as session:
        return deliveries.receive(session, body=body, authorization=authorization)


@api_router.get("/connections", summary="Procore connections")
def list_connections(principal: CurrentPrincipal, session: DbSession) -> dict[str, Any]:
    """The organization's Procore connections (never a token or secret)."""
    require_role(principal, "admin", "risk_manager", action="viewing Procore connections")
    items = service.list_connections(session, org_id=principal.org_id)
    return {"items": [service.describe_connection(c) for c in items]}


@api_router.get("/deliveries", summary="Recent Procore webhook deliveries")
def list_deliveries(
    principal: CurrentPrincipal,
    session: DbSession,
    limit: int = Query(default=50, ge=1, le=500),
    unprocessed: bool = False,
) -> dict[str, Any]:
    """The latest webhook deliveries received for the organization, newest first."""
    require_role(principal, "admin", "risk_manager", action="viewing Procore deliveries")
    statement = select(ProcoreDelivery).where(ProcoreDelivery.org_id == principal.org_id)
    if unprocessed:
        statement = statement.where(ProcoreDelivery.processed_at.is_(None))
    rows = session.scalars(statement.order_by(ProcoreDelivery.id.desc()).limit(limit))
    return {
        "items": [
            {
                "id": row.id,
                "event_key": row.event_key,
                "resource_name": row.resource_name,
                "event_type": row.event_type,
                "resource_id": row.resource_id,
                "project_id": row.project_id,
                "received_at": row.received_at,
                "processed_at": row.processed_at,
                "outcome": row.outcome,
                "attempts": row.attempts,
                "error": row.error,
            }
            for row in rows
        ]
    }
