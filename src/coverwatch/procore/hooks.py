"""Installing our webhook hooks and their triggers: one in the company, one in each project.

A hook and its triggers must be in the same scope, and Procore offers project-level resources
(Project Vendors, Project Insurances, commitments) only to project hooks. So the company hook
carries the company resources and `Projects create`, whose delivery installs the hook of the new
project. Each trigger is created on its own: a refusal is recorded in the connection's install
report and the install goes on. Running it again makes nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from coverwatch.db import session_scope, utcnow
from coverwatch.procore import commitments, service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import (
    ProcoreForbidden,
    ProcoreNotConnected,
    ProcoreNotFound,
    ProcoreRateLimited,
    ProcoreStatusError,
)
from coverwatch.procore.models import ProcoreConnection

log = logging.getLogger(__name__)

COMPANY_TRIGGERS = (
    ("Company Vendors", "create"),
    ("Company Vendors", "update"),
    # Subscribed only to recognise our own writes echoing back; they cause nothing.
    ("Company Insurances", "create"),
    ("Company Insurances", "update"),
    # Installs the new project's hook.
    ("Projects", "create"),
)
# `update` of Project Vendors is gone since 2026-06-30: Company Vendors `update` replaces it.
PROJECT_TRIGGERS = (
    ("Project Vendors", "create"),
    ("Project Vendors", "delete"),
    ("Project Insurances", "create"),
    ("Project Insurances", "update"),
)
CONTRACT_TRIGGERS = tuple(
    (resource, event)
    for resource in ("Work Order Contracts", "Purchase Order Contracts")
    for event in ("create", "update", "delete")
)
# Every resource a delivery of our hooks may name; anything else is anomalous.
RESOURCES = frozenset(r for r, _ in COMPANY_TRIGGERS + PROJECT_TRIGGERS + CONTRACT_TRIGGERS)
EVENT_TYPES = ("create", "update", "delete")


@dataclass
class ScopeReport:
    """One scope's hook and what became of each trigger (installed, present, refused, ...)."""

    key: str
    hook_id: int | None
    hook_created: bool
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, state: str) -> int:
        """How many triggers ended in that state."""
        return sum(1 for t in self.triggers.values() if t["state"] == state)


@dataclass
class InstallReport:
    """What install-hooks found and did, scope by scope."""

    scopes: list[ScopeReport]

    @property
    def refused(self) -> int:
        """Triggers Procore refused or does not offer."""
        return sum(s.count("refused") + s.count("unavailable") for s in self.scopes)


def install_hooks(
    connection_id: int,
    *,
    destination_url: str,
    project_id: int | None = None,
    client: ProcoreClient | None = None,
) -> InstallReport:
    """The company hook and a hook for every project the connection sees (or one project)."""
    connection, authorization = _connection(connection_id)
    client = client or service.client_for(connection)
    target = (connection, authorization, destination_url)
    scopes = []
    if project_id is None:
        scopes.append(_install_scope(client, *target, {"company_id": connection.company_id}))
        # The projects a service account may see (its permitted projects), no others.
        project_ids = [int(p["id"]) for p in client.projects()]
    else:
        project_ids = [project_id]
    scopes += [_install_scope(client, *target, {"project_id": p}) for p in project_ids]
    _record(connection_id, scopes, destination_url=destination_url)
    return InstallReport(scopes=scopes)


def install_project_hook(
    connection_id: int, *, project_id: int, client: ProcoreClient | None = None
) -> ScopeReport | None:
    """The hook of one (new) project, sent where the install sent the others; None if none was."""
    connection, authorization = _connection(connection_id)
    destination_url = (connection.hooks or {}).get("destination_url")
    if not destination_url:
        return None
    client = client or service.client_for(connection)
    report = _install_scope(
        client, connection, authorization, str(destination_url), {"project_id": project_id}
    )
    _record(connection_id, [report], destination_url=str(destination_url))
    return report


def _connection(connection_id: int) -> tuple[ProcoreConnection, str]:
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        if connection is None or not connection.active:
            raise ProcoreNotConnected(f"no active Procore connection {connection_id}")
        return connection, service.ensure_webhook_secret(connection)


def _install_scope(
    client: ProcoreClient,
    connection: ProcoreConnection,
    authorization: str,
    destination_url: str,
    scope: dict[str, int],
) -> ScopeReport:
    key = (
        f"project:{scope['project_id']}"
        if "project_id" in scope
        else f"company:{scope['company_id']}"
    )
    wanted: tuple[tuple[str, str], ...] = (
        PROJECT_TRIGGERS if "project_id" in scope else COMPANY_TRIGGERS
    )
    if "project_id" in scope and commitments.rule_for(connection).commitments:
        wanted += CONTRACT_TRIGGERS
    report = ScopeReport(key=key, hook_id=None, hook_created=False)
    try:
        offered = offered_resources(client, scope=scope)
    except (ProcoreNotFound, ProcoreForbidden) as exc:
        # The scope itself is out of reach (a project the app may not see): no hook there.
        for resource, event in wanted:
            report.triggers[f"{resource} {event}"] = _state("unavailable", _message(exc))
        return report
    # Looked for first, so that a second run (or one after a lost answer) makes no second hook.
    hook = client.find_hook(
        scope=scope, namespace=connection.namespace, destination_url=destination_url
    )
    if hook is not None:
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
            namespace=connection.namespace,
            destination_url=destination_url,
            authorization=authorization,
        )
        report.hook_created = True
    report.hook_id = int(hook["id"])
    existing = {
        (t["resource_name"], t["event_type"]) for t in client.triggers(report.hook_id, scope=scope)
    }
    for resource, event in wanted:
        name = f"{resource} {event}"
        if (resource, event) in existing:
            report.triggers[name] = _state("present")
        elif offered is not None and event not in offered.get(resource, ()):
            report.triggers[name] = _state("unavailable", f"{resource} {event} is not offered here")
        else:
            report.triggers[name] = _create_trigger(client, report.hook_id, scope, resource, event)
    return report


def _create_trigger(
    client: ProcoreClient, hook_id: int, scope: dict[str, int], resource: str, event: str
) -> dict[str, Any]:
    try:
        client.create_trigger(hook_id, scope=scope, resource_name=resource, event_type=event)
    except ProcoreStatusError as exc:
        # A refusal of this one trigger (422, 403) must not keep the others from being made;
        # a server error or a rate limit is worth the job's retry instead.
        if exc.status >= 500 or isinstance(exc, ProcoreRateLimited):
            raise
        log.warning("Procore refused the trigger %s %s: %s", resource, event, _message(exc))
        return _state("refused", _message(exc))
    return _state("installed")


def offered_resources(
    client: ProcoreClient, *, scope: dict[str, int]
) -> dict[str, set[str]] | None:
    """Event types per resource the scope offers (GET /webhooks/resources); None if unreadable.

    Procore's documented item names its event types in `create`/`update`/`delete` and lists the
    ones that cannot be subscribed to in `except`; the resource's name is read from
    `resource_name`, else `tools`.
    """
    offered: dict[str, set[str]] = {}
    for item in client.get("/rest/v1.0/webhooks/resources", **scope) or []:
        if not isinstance(item, dict):
            continue
        name = item.get("resource_name") or item.get("tools")
        if not isinstance(name, str):
            continue
        barred = set(item.get("except") or ())
        offered[name] = {e for e in EVENT_TYPES if item.get(e) and e not in barred}
    return offered or None


def _record(connection_id: int, scopes: list[ScopeReport], *, destination_url: str) -> None:
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        hooks = dict(connection.hooks or {})
        report = dict(connection.install_report or {})
        for scope in scopes:
            if scope.hook_id is not None:
                hooks[scope.key] = scope.hook_id
            report[scope.key] = {**scope.triggers}
        hooks["destination_url"] = destination_url
        hooks["installed_at"] = utcnow().isoformat()
        connection.hooks, connection.install_report = hooks, report


def _state(state: str, message: str | None = None) -> dict[str, Any]:
    return {"state": state, "message": message}


def _message(exc: ProcoreStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        body = body.get("errors") or body.get("message") or body.get("error") or body
    return str(body if body not in (None, "") else exc.message)[:300]
