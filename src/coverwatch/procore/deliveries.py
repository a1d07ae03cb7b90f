"""Receiving webhook deliveries (store once, answer fast) and processing them in jobs.

A delivery is only a hint that something changed: processing reads the current state from
the API and makes coverwatch agree with it. So a duplicate, a late `create` after a `delete`,
or a `delete` after a re-add all end in the state Procore has now. API calls happen outside
database transactions (a slow Procore must not hold SQLite's write lock).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope, utcnow
from coverwatch.errors import InvalidInput
from coverwatch.procore import commitments, disconnect, hooks, records, service, writeback
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreForbidden, ProcoreNotFound
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from coverwatch.procore.webhooks import WebhookEvent, company_id_of, parse_event

log = logging.getLogger(__name__)
# Zulip-style: events we do not handle, and payloads that make no sense, get their own loggers.
unsupported_log = logging.getLogger("coverwatch.procore.webhooks.unsupported")
anomalous_log = logging.getLogger("coverwatch.procore.webhooks.anomalous")

ACTOR = "procore:webhook"


def receive(session: Session, *, body: bytes, authorization: str | None) -> tuple[str, int | None]:
    """Check and store one delivery: ("accepted" | "duplicate" | "anomalous" | "refused", id).

    Procore pauses a hook on any non-2xx answer and holds every later delivery behind it for
    up to 12 hours, so a delivery of our hook that we cannot use is still answered 2xx: kept as
    anomalous, for the admin to see. Only a wrong or missing Authorization is refused (and
    counted on the company's connections: a rising count means a rotated secret).
    """
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    company_id = company_id_of(payload)
    candidates = (
        service.connections_for_company(session, company_id=company_id)
        if company_id is not None
        # Unreadable: only the header can tell.
        else service.connections_for_authorization(session, authorization=authorization)
    )
    connection = next((c for c in candidates if service.webhook_authorized(c, authorization)), None)
    if connection is None:
        if company_id is not None:
            for candidate in candidates:
                candidate.refused_deliveries += 1
                candidate.last_refused_at = utcnow()
        return "refused", None
    try:
        event = parse_event(payload)
    except InvalidInput as exc:
        return _anomalous(session, connection, body=body, payload=payload, reason=exc.message)
    if event.resource_name not in hooks.RESOURCES:
        reason = f"{event.resource_name} is not a resource our hooks subscribe to"
        return _anomalous(
            session, connection, body=body, payload=payload, reason=reason, event=event
        )
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
        if found is not None:
            return "duplicate", found.id
        return _anomalous(session, connection, body=body, payload=payload, reason="not storable")
    except (SQLAlchemyError, UnicodeError) as exc:
        # A value our columns cannot hold (an over-long key, a lone surrogate) must not pause
        # the hook.
        reason = f"not storable: {exc.__class__.__name__}"
        return _anomalous(session, connection, body=body, payload=payload, reason=reason)
    events.emit(session, events.ProcoreDeliveryStored(delivery_id=delivery.id))
    return "accepted", delivery.id


def _anomalous(
    session: Session,
    connection: ProcoreConnection,
    *,
    body: bytes,
    payload: Any,
    reason: str,
    event: WebhookEvent | None = None,
) -> tuple[str, int | None]:
    """Keep a delivery of our hook that cannot be used, once per event (or per body)."""
    anomalous_log.warning(
        "anomalous Procore delivery for connection %s (%s): %.300s", connection.id, reason, body
    )
    # Without a readable event key, the body's hash makes a replay the same row.
    key = event.key if event is not None and len(event.key) <= 64 else _body_key(body)
    existing = _find(session, connection_id=connection.id, key=key)
    if existing is not None:
        return "duplicate", existing.id
    fields = payload if isinstance(payload, dict) else {}
    delivery = ProcoreDelivery(
        org_id=connection.org_id,
        connection_id=connection.id,
        event_key=key,
        resource_name=_text(fields.get("resource_name") or fields.get("resource_type"), 100),
        event_type=_text(fields.get("event_type") or fields.get("reason"), 64),
        resource_id=_text(fields.get("resource_id"), 64),
        project_id=None if event is None or event.project_id is None else str(event.project_id),
        # The body as received, as text: what could not be stored as fields is kept all the same.
        payload={"body": body.decode("utf-8", errors="replace")[:4000]},
        attempts=0,
        processed_at=utcnow(),
        outcome="anomalous",
        anomaly=_text(reason, 300),
    )
    try:
        with session.begin_nested():
            session.add(delivery)
            session.flush()
    except IntegrityError:
        found = _find(session, connection_id=connection.id, key=key)
        return "duplicate", found.id if found else None
    return "anomalous", delivery.id


def _text(value: Any, limit: int) -> str:
    text = "" if value is None else str(value)
    return text.encode("utf-8", errors="replace").decode("utf-8")[:limit]


def _body_key(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass
class Facts:
    """What the API says now about the thing an event is about."""

    kind: str
    project: dict[str, Any] | None = None
    vendor: dict[str, Any] | None = None
    on_project: bool = False
    project_id: int | None = None
    vendor_id: int | None = None
    contract: commitments.ContractFacts | None = None


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
            api = client or service.client_for(connection)
            try:
                facts = fetch(api, connection, event, known)
            except ProcoreForbidden as exc:
                if not disconnect.after_forbidden(
                    connection.id, error=exc, actor=ACTOR, client=api
                ):
                    raise
                facts = Facts(kind="disconnected")
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
    """Read from the API what the event is about (no database here, but for a new hook)."""
    name = event.resource_name
    if name == "Projects" and event.event_type == "create":
        # Project-level resources reach only a hook of their own project.
        installed = hooks.install_project_hook(
            connection.id, project_id=event.resource_id, client=client
        )
        return Facts(kind="ignored" if installed is None else "hook_installed")
    if name == "Project Vendors" and event.project_id is not None:
        return _project_vendor_facts(
            client, project_id=event.project_id, vendor_id=event.resource_id, known=known
        )
    if name in commitments.RESOURCES:
        if not commitments.rule_for(connection).commitments or event.project_id is None:
            return Facts(kind="ignored")
        contract = commitments.fetch(
            client,
            connection,
            resource_name=name,
            contract_id=event.resource_id,
            project_id=event.project_id,
            project_known=known["project"],
        )
        return Facts(kind="commitment", contract=contract)
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
        project = (
            service.upsert_project(session, connection=connection, data=facts.project, actor=ACTOR)
            if facts.project
            else service.find_project(
                session, org_id=connection.org_id, procore_project_id=facts.project_id
            )
        )
        if project is None:
            return "not_on_project"
        return commitments.settle(
            session,
            connection=connection,
            project=project,
            procore_project_id=facts.project_id,
            procore_vendor_id=facts.vendor_id,
            vendor_data=facts.vendor,
            in_directory=facts.on_project,
            actor=ACTOR,
        )
    if facts.kind == "commitment" and facts.contract is not None:
        return commitments.apply(session, connection=connection, facts=facts.contract, actor=ACTOR)
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
        # Procore answers 404 for "no access" too: a project no longer permitted (an app update
        # resets them) hides its vendors. Only a project still seen says the vendor left it.
        try:
            client.project(project_id)
        except ProcoreNotFound:
            return Facts(kind="no_access", project_id=project_id, vendor_id=vendor_id)
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
