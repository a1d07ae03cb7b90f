"""Installing our webhook hook and its triggers in a Procore company or project (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from coverwatch.db import session_scope
from coverwatch.procore import commitments, service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreNotConnected
from coverwatch.procore.models import ProcoreConnection

# `update` of Project Vendors is gone since 2026-06-30: Company Vendors `update` replaces it.
TRIGGERS = (
    ("Project Vendors", "create"),
    ("Project Vendors", "delete"),
    ("Company Vendors", "create"),
    ("Company Vendors", "update"),
    # Subscribed only to recognise our own writes echoing back; they cause nothing.
    ("Project Insurances", "create"),
    ("Project Insurances", "update"),
    ("Company Insurances", "create"),
    ("Company Insurances", "update"),
)
CONTRACT_TRIGGERS = tuple(
    (resource, event)
    for resource in ("Work Order Contracts", "Purchase Order Contracts")
    for event in ("create", "update", "delete")
)


@dataclass
class HookReport:
    """What install-hooks found and did."""

    hook_id: int
    hook_created: bool
    triggers_created: int
    triggers_total: int


def install_hooks(
    connection_id: int,
    *,
    destination_url: str,
    project_id: int | None = None,
    client: ProcoreClient | None = None,
) -> HookReport:
    """Our hook (with its Authorization value) and every trigger we need, created if missing."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            raise ProcoreNotConnected(f"no active Procore connection {connection_id}")
        authorization = service.ensure_webhook_secret(connection)
        namespace = connection.namespace
        counts = commitments.rule_for(connection).commitments
        wanted = TRIGGERS + (CONTRACT_TRIGGERS if counts else ())
    client = client or service.client_for(connection)
    scope = {"project_id": project_id} if project_id else {"company_id": connection.company_id}
    # Looked for first, so that a second run (or one after a lost answer) makes no second hook.
    found = client.find_hook(scope=scope, namespace=namespace, destination_url=destination_url)
    if found is not None:
        hook, created = found, False
        # Procore may mask the stored value; setting it again is harmless and fixes a rotation.
        client.update_hook(
            int(hook["id"]),
            scope=scope,
            destination_url=destination_url,
            authorization=authorization,
        )
    else:
        hook = client.create_hook(
            scope=scope,
            namespace=namespace,
            destination_url=destination_url,
            authorization=authorization,
        )
        created = True
    hook_id = int(hook["id"])
    existing = {
        (t["resource_name"], t["event_type"]) for t in client.triggers(hook_id, scope=scope)
    }
    missing = [pair for pair in wanted if pair not in existing]
    for resource_name, event_type in missing:
        client.create_trigger(
            hook_id, scope=scope, resource_name=resource_name, event_type=event_type
        )
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        key = f"project:{project_id}" if project_id else f"company:{connection.company_id}"
        connection.hooks = {**(connection.hooks or {}), key: hook_id}
    return HookReport(
        hook_id=hook_id,
        hook_created=created,
        triggers_created=len(missing),
        triggers_total=len(existing) + len(missing),
    )
