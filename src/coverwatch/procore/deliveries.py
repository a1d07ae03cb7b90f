"""Receiving webhook deliveries (store once, answer fast) and processing them in jobs.

A delivery is only a hint that something changed: processing reads the current state from
the API and makes coverwatch agree with it. So a duplicate, a late `create` after a `delete`,
or a `delete` after a re-add all end in the state Procore has now. API calls happen outside
database transactions (a slow Procore must not hold SQLite's write lock).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope, utcnow
from coverwatch.errors import InvalidInput
from coverwatch.procore import records, service, writeback
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreNotFound, WebhookUnauthorized
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from coverwatch.procore.webhooks import WebhookEvent, company_id_of, parse_event

log = logging.getLogger(__name__)
# Zulip-style: events we do not handle, and payloads that make no sense, get their own loggers.
unsupported_log = logging.getLogger("coverwatch.procore.webhooks.unsupported")
anomalous_log = logging.getLogger("coverwatch.procore.webhooks.anomalous")

ACTOR = "procore:webhook"


def receive(session: Session, *, body: bytes, authorization: str | None) -> tuple[str, int | None]:
    """Check and store one delivery: ("accepted" | "duplicate", delivery id)."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    company_id = company_id_of(payload)
    connection = None
    if company_id is not None:
        for candidate in service.connections_for_company(session, company_id=company_id):
            if service.webhook_authorized(candidate, authorization):
                connection = candidate
                break
    if connection is None:
        # Same answer for an unknown company and a wrong secret: nothing to learn by probing.
        raise WebhookUnauthorized(
            "this delivery does not carry the Authorization value of our hook"
        )
    try:
        event = parse_event(payload)
    except InvalidInput:
        anomalous_log.warning(
            "unreadable Procore delivery for company %s: %.300s", company_id, body
        )
        raise
    existing = _find(session, connection_id=connection.id, key=event.key)
    if existing is not None:
        return "duplicate", existing.id
    delivery = ProcoreDelivery(
        org_id=connection.org_id,
        connection_id=connection.id,
        event_key=event.key,
        resource_name=event.resource_name,
        event_type=event.event_type,
        resource_id=str(event.resource_id),
        project_id=None if event.project_id is None else str(event.project_id),
        payload=payload,
        attempts=0,
    )
    try:
        with session.begin_nested():
            session.add(delivery)
            session.flush()
    except IntegrityError:
        # The same event arrived twice at once; the other request stored it.
        found = _find(session, connection_id=connection.id, key=event.key)
        return "duplicate", found.id if found else None
    events.emit(session, events.ProcoreDeliveryStored(delivery_id=delivery.id))
    return "accepted", delivery.id


@dataclass
class Facts:
    """What the API says now about the thing an event is about."""

    kind: str
    project: dict[str, Any] | None = None
    vendor: dict[str, Any] | None = None
    on_project: bool = False
    project_id: int | None = None
    vendor_id: int | None = None


def process(delivery_id: int, *, client: ProcoreClient | None = None) -> str | None:
    """Handle one stored delivery (safe to run twice); returns its outcome."""
    with session_scope() as session:
        delivery = session.get(ProcoreDelivery, delivery_id)
        if delivery is None or delivery.processed_at is not None:
            return delivery.outcome if delivery else None
        connection = session.get(ProcoreConnection, delivery.connection_id)
        assert connection is not None
        event = parse_event(delivery.payload)
        known = _known(session, connection=connection, event=event)
        echo = writeback.is_echo(session, connection=connection, event=event)
    try:
        if echo:
            facts = Facts(kind="echo")
        elif not connection.active:
            facts = Facts(kind="disconnected")
        else:
            facts = fetch(client or service.client_for(connection), connection, event, known)
    except Exception as exc:
        with session_scope() as session:
            row = session.get(ProcoreDelivery, delivery_id)
            if row is not None:
                row.attempts += 1
                row.error = f"{exc.__class__.__name__}: {exc}"[:500]
        raise
    with session_scope() as session:
        delivery = session.get(ProcoreDelivery, delivery_id)
        connection = session.get(ProcoreConnection, delivery.connection_id) if delivery else None
        if delivery is None or connection is None or delivery.processed_at is not None:
            return delivery.outcome if delivery else None
        outcome = apply(session, connection=connection, event=event, facts=facts)
        delivery.processed_at, delivery.outcome, delivery.error = utcnow(), outcome, None
        delivery.attempts += 1
        return outcome


def fetch(
    client: ProcoreClient,
    connection: ProcoreConnection,
    event: WebhookEvent,
    known: dict[str, bool],
) -> Facts:
    """Read from the API what the event is about (no database here)."""
    name = event.resource_name
    if name == "Project Vendors" and event.project_id is not None:
        return _project_vendor_facts(
            client, project_id=event.project_id, vendor_id=event.resource_id, known=known
        )
    if name == "Work Order Contracts" and event.event_type == "create":
        if not connection.work_order_contracts or event.project_id is None:
            return Facts(kind="ignored")
        try:
            contract = client.work_order_contract(event.resource_id, project_id=event.project_id)
        except ProcoreNotFound:
            return Facts(kind="gone")  # deleted since; nothing to start
        vendor_id = (contract.get("vendor") or {}).get("id")
        if vendor_id is None:
            return Facts(kind="ignored")
        # A subcontract's vendor is on the job whether or not it is in the project directory.
        facts = Facts(
            kind="project_vendor",
            vendor=client.vendor(int(vendor_id)),
            on_project=True,
            project_id=event.project_id,
            vendor_id=int(vendor_id),
        )
        if not known["project"]:
            facts.project = client.project(event.project_id)
        return facts
    if name == "Company Vendors":
        if event.event_type not in ("create", "update") or not known["vendor"]:
            return Facts(kind="ignored")  # vendors come in when they join a project
        try:
            return Facts(kind="vendor", vendor=client.vendor(event.resource_id))
        except ProcoreNotFound:
            return Facts(kind="ignored")
    if name in writeback.INSURANCE_RESOURCES:
        return Facts(kind="insurance")  # not our echo: someone changed a record in Procore
    if name in ("Projects", "Project Vendors"):
        return Facts(kind="ignored")
    return Facts(kind="unknown")


def apply(
    session: Session, *, connection: ProcoreConnection, event: WebhookEvent, facts: Facts
) -> str:
    """Make coverwatch agree with what the API said; returns the delivery's outcome."""
    if facts.kind == "project_vendor":
        assert facts.project_id is not None and facts.vendor_id is not None
        if not facts.on_project:
            removed = service.stop_tracking(
                session,
                org_id=connection.org_id,
                procore_project_id=facts.project_id,
                procore_vendor_id=facts.vendor_id,
                actor=ACTOR,
            )
            return "removed" if removed else "not_on_project"
        project = (
            service.upsert_project(session, connection=connection, data=facts.project, actor=ACTOR)
            if facts.project
            else service.find_project(
                session, org_id=connection.org_id, procore_project_id=facts.project_id
            )
        )
        assert project is not None and facts.vendor is not None
        vendor, _ = service.upsert_vendor(
            session, connection=connection, data=facts.vendor, actor=ACTOR
        )
        _pv, started = service.start_tracking(
            session, connection=connection, project=project, vendor=vendor, actor=ACTOR
        )
        return "tracked" if started else "already_tracked"
    if facts.kind == "vendor" and facts.vendor is not None:
        vendor, names_changed = service.upsert_vendor(
            session, connection=connection, data=facts.vendor, actor=ACTOR
        )
        if names_changed:
            # The insured's name on certificates is checked against these names.
            compliance.reevaluate_vendor(
                session, org_id=vendor.org_id, vendor_id=vendor.id, trigger="procore", actor=ACTOR
            )
        return "vendor_updated" if names_changed else "vendor_refreshed"
    if facts.kind == "insurance":
        return records.on_insurance_event(session, connection=connection, event=event)
    if facts.kind == "unknown":
        unsupported_log.info(
            "Procore event %s %s not handled (acknowledged)", event.resource_name, event.event_type
        )
    return facts.kind


def reconcile_ids(*, older_than_seconds: float = 60.0) -> list[int]:
    """Deliveries stored but not processed for a while (lost jobs, failures)."""
    from datetime import timedelta

    with session_scope() as session:
        return list(
            session.scalars(
                select(ProcoreDelivery.id)
                .where(
                    ProcoreDelivery.processed_at.is_(None),
                    ProcoreDelivery.received_at < utcnow() - timedelta(seconds=older_than_seconds),
                )
                .order_by(ProcoreDelivery.id)
                .limit(500)
            )
        )


def _project_vendor_facts(
    client: ProcoreClient, *, project_id: int, vendor_id: int, known: dict[str, bool]
) -> Facts:
    facts = Facts(kind="project_vendor", project_id=project_id, vendor_id=vendor_id)
    try:
        facts.vendor = client.project_vendor(project_id, vendor_id)
    except ProcoreNotFound:
        return facts  # not (or no longer) on the project, whatever the event said
    facts.on_project = True
    if not known["project"]:
        facts.project = client.project(project_id)
    return facts


def _known(
    session: Session, *, connection: ProcoreConnection, event: WebhookEvent
) -> dict[str, bool]:
    project = (
        event.project_id is not None
        and service.find_project(
            session, org_id=connection.org_id, procore_project_id=event.project_id
        )
        is not None
    )
    vendor = (
        service.find_vendor(session, org_id=connection.org_id, procore_vendor_id=event.resource_id)
        is not None
    )
    return {"project": project, "vendor": vendor}


def _find(session: Session, *, connection_id: int, key: str) -> ProcoreDelivery | None:
    return session.scalar(
        select(ProcoreDelivery).where(
            ProcoreDelivery.connection_id == connection_id, ProcoreDelivery.event_key == key
        )
    )
