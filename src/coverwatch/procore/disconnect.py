"""A connection Procore no longer serves: the app was uninstalled from the company.

Procore answers 403 both when the app is not connected to the company any more and when a
user lacks a permission on one record or tool, so a 403 from a job is confirmed with a
company-wide call before the connection is marked inactive.
"""

from __future__ import annotations

import logging

from coverwatch.audit import service as audit
from coverwatch.db import session_scope
from coverwatch.procore import service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreForbidden
from coverwatch.procore.models import ProcoreConnection

log = logging.getLogger(__name__)


def after_forbidden(
    connection_id: int, *, error: ProcoreForbidden, actor: str, client: ProcoreClient | None = None
) -> bool:
    """Mark the connection disconnected if the whole company answers 403; whether it did."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            return connection is not None
    client = client or service.client_for(connection)
    try:
        next(iter(client.projects()), None)
    except ProcoreForbidden as confirmed:
        error = confirmed
    else:
        return False  # one record or tool out of reach; the company still answers
    detail = error.body.get("errors") if isinstance(error.body, dict) else error.body
    reason = f"Procore answered 403 for company {connection.company_id}: {detail or error.message}"
    mark_disconnected(connection_id, reason=reason[:300], actor=actor)
    return True


def mark_disconnected(connection_id: int, *, reason: str, actor: str) -> None:
    """Stop using a connection (jobs for it then do nothing), saying why."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            return
        connection.active, connection.disconnected_reason = False, reason
        audit.record(
            session,
            org_id=connection.org_id,
            actor=actor,
            action="procore_disconnected",
            entity_type="procore_connection",
            entity_id=connection.id,
            after={"reason": reason},
        )
    log.warning("Procore connection %s disconnected: %s", connection_id, reason)
