"""HTTP endpoint for the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from coverwatch.audit import service
from coverwatch.orgs.auth import CurrentPrincipal, DbSession
from coverwatch.pagination import Page, PageParams, page_params

router = APIRouter(tags=["audit"])


class AuditEventOut(BaseModel):
    """Who did what, when, with the state before and after."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get("/audit-events", response_model=Page[AuditEventOut], summary="Audit log")
def list_events(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
) -> Page[AuditEventOut]:
    """Your organization's audit events, newest first."""
    rows, total = service.list_events(
        session,
        org_id=principal.org_id,
        params=params,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
    )
    return Page(
        items=[AuditEventOut.model_validate(e) for e in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )
