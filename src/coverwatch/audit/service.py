"""Writing and reading the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit.models import AuditEvent
from coverwatch.pagination import PageParams, paginate


def record(
    session: Session,
    *,
    org_id: int,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the log."""
    event = AuditEvent(
        org_id=org_id,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    session.flush()
    return event


def list_events(
    session: Session,
    *,
    org_id: int,
    params: PageParams,
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
) -> tuple[list[AuditEvent], int]:
    """One page of an organization's events, newest first, optionally for one entity."""
    statement = select(AuditEvent).where(AuditEvent.org_id == org_id)
    if entity_type:
        statement = statement.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        statement = statement.where(AuditEvent.entity_id == entity_id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return paginate(session, statement.order_by(AuditEvent.id.desc()), params)
