"""Webhook endpoints, the events they receive, and sending one delivery (signed, logged)."""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic_core import to_jsonable_python
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.db import session_scope, utcnow
from coverwatch.errors import CoverwatchError, NotFound
from coverwatch.pagination import PageParams, paginate
from coverwatch.procore.encryption import decrypt, encrypt
from coverwatch.vendors.models import ProjectVendor
from coverwatch.webhooks import signing
from coverwatch.webhooks.destinations import DestinationNotAllowed, check_destination
from coverwatch.webhooks.models import WebhookDelivery, WebhookEndpoint

TIMEOUT_SECONDS = 5.0
# Waits after the 1st, 2nd, ... failed attempt; after MAX_ATTEMPTS the delivery is failed.
BACKOFF_SECONDS = (10, 60, 600, 3600, 6 * 3600)
MAX_ATTEMPTS = 6
USER_AGENT = "coverwatch-webhooks/1"


class EndpointUnreachable(CoverwatchError):
    """The receiver could not be reached or did not answer in time (httpx's errors, translated)."""

    status_code = 502
    code = "endpoint_unreachable"


# --- endpoints ---------------------------------------------------------------------------------


def create_endpoint(
    session: Session, *, org_id: int, url: str, event_types: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (the only time the secret is returned)."""
    check_destination(url)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        org_id=org_id,
        url=url,
        events=_unique(event_types),
        description=description,
        secret_encrypted=encrypt(secret),
        active=True,
    )
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def get_endpoint(session: Session, *, org_id: int, endpoint_id: int) -> WebhookEndpoint:
    """The organization's endpoint, or NotFound (also for another organization's id)."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.org_id != org_id:
        raise NotFound(f"no webhook endpoint {endpoint_id}")
    return endpoint


def list_endpoints(
    session: Session, *, org_id: int, params: PageParams
) -> tuple[list[WebhookEndpoint], int]:
    """One page of the organization's endpoints, oldest first."""
    statement = (
        select(WebhookEndpoint).where(WebhookEndpoint.org_id == org_id).order_by(WebhookEndpoint.id)
    )
    return paginate(session, statement, params)


def update_endpoint(
    session: Session,
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change what was given."""
    if url is not None:
        check_destination(url)
        endpoint.url = url
    if event_types is not None:
        endpoint.events = _unique(event_types)
    if description is not None:
        endpoint.description = description
    if active is not None:
        endpoint.active = active
    session.flush()
    return endpoint


def rotate_secret(session: Session, *, endpoint: WebhookEndpoint) -> str:
    """A new signing secret for the endpoint; the old one stops signing at once."""
    secret = signing.new_secret()
    endpoint.secret_encrypted = encrypt(secret)
    endpoint.updated_at = utcnow()
    session.flush()
    return secret


def delete_endpoint(session: Session, *, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint and its delivery log."""
    for delivery in session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    ):
        session.delete(delivery)
    session.flush()
    session.delete(endpoint)
    session.flush()


def list_deliveries(
    session: Session, *, endpoint: WebhookEndpoint, params: PageParams
) -> tuple[list[WebhookDelivery], int]:
    """One page of the endpoint's deliveries, newest first."""
    statement: Select[Any] = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc())
    )
    return paginate(session, statement, params)


def get_delivery(session: Session, *, org_id: int, delivery_id: int) -> WebhookDelivery:
    """The organization's delivery, or NotFound."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.org_id != org_id:
        raise NotFound(f"no webhook delivery {delivery_id}")
    return delivery


def request_replay(session: Session, *, delivery: WebhookDelivery) -> None:
    """Send the delivery again, now (a job after commit), whatever its state."""
    events.emit(session, events.WebhookDeliveryDue(delivery_id=delivery.id, replay=True))


# --- events ------------------------------------------------------------------------------------


def subscribe() -> None:
    """Listen to the domain events that webhooks carry (idempotent)."""
    events.subscribe(events.StatusChanged, on_status_changed)
    events.subscribe(events.VendorApproved, on_vendor_approved)


def on_status_changed(session: Session, event: events.StatusChanged) -> None:
    """Listener: `status.changed`, plus `deficiency.found` or `certificate.expiring`."""
    types = ["status.changed"]
    if event.after == "non_compliant":
        types.append("deficiency.found")
    if event.after == "expiring":
        types.append("certificate.expiring")
    extra = {"previous_status": event.before, "trigger": event.trigger}
    for event_type in types:
        record_event(
            session,
            org_id=event.org_id,
            project_vendor_id=event.project_vendor_id,
            event_type=event_type,
            extra=extra,
        )


def on_vendor_approved(session: Session, event: events.VendorApproved) -> None:
    """Listener: `vendor.approved`."""
    record_event(
        session,
        org_id=event.org_id,
        project_vendor_id=event.project_vendor_id,
        event_type="vendor.approved",
        extra={"approved_by": event.actor},
    )


def record_event(
    session: Session,
    *,
    org_id: int,
    project_vendor_id: int,
    event_type: str,
    extra: dict[str, Any] | None = None,
) -> list[WebhookDelivery]:
    """A delivery per active endpoint that wants `event_type`; jobs are enqueued after commit."""
    endpoints = [
        e
        for e in session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.org_id == org_id, WebhookEndpoint.active.is_(True)
            )
        )
        if event_type in (e.events or [])
    ]
    project_vendor = session.get(ProjectVendor, project_vendor_id)
    if not endpoints or project_vendor is None:
        return []
    from coverwatch.compliance.service import describe_project_vendor

    session.flush()
    data = describe_project_vendor(session, project_vendor=project_vendor)
    data.update(extra or {})
    event_id = "evt_" + secrets.token_hex(12)
    payload = {
        "id": event_id,
        "type": event_type,
        "created_at": utcnow(),
        "organization_id": org_id,
        "data": data,
    }
    payload = to_jsonable_python(payload)
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(
            org_id=org_id,
            endpoint_id=endpoint.id,
            event_id=event_id,
            event_type=event_type,
            payload=payload,
            state="pending",
            attempt_count=0,
            attempts=[],
            next_attempt_at=utcnow(),
        )
        session.add(delivery)
        deliveries.append(delivery)
    session.flush()
    for delivery in deliveries:
        events.emit(session, events.WebhookDeliveryDue(delivery_id=delivery.id))
    return deliveries


# --- sending -----------------------------------------------------------------------------------


def retry_delay(attempt_count: int) -> int | None:
    """Seconds to wait after `attempt_count` failed attempts, or None to give up."""
    if attempt_count >= MAX_ATTEMPTS:
        return None
    return BACKOFF_SECONDS[min(max(attempt_count, 1), len(BACKOFF_SECONDS)) - 1]


def encode(payload: dict[str, Any]) -> bytes:
    """The raw body sent (and signed) for a payload."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def send(*, url: str, secret: str, body: bytes, event_id: str, event_type: str) -> httpx.Response:
    """POST one signed body; httpx's errors become EndpointUnreachable."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature_header(secret, body=body),
        signing.EVENT_ID_HEADER: event_id,
        signing.EVENT_TYPE_HEADER: event_type,
    }
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
            return client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise EndpointUnreachable(f"{exc.__class__.__name__}: {exc}"[:500]) from exc


def deliver(delivery_id: int, *, replay: bool = False) -> tuple[str, int | None]:
    """Send one delivery and log the attempt: (outcome, seconds until the next try or None).

    Safe to run twice: a delivered (or failed) delivery is only sent again on replay.
    """
    with session_scope() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return "missing", None
        if not replay and delivery.state != "pending":
            return delivery.state, None
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is None or (not endpoint.active and not replay):
            delivery.state, delivery.next_attempt_at = "failed", None
            delivery.last_error = "the endpoint is disabled"
            return "failed", None
        url, secret = endpoint.url, decrypt(endpoint.secret_encrypted)
        body = encode(delivery.payload)
        event_id, event_type = delivery.event_id, delivery.event_type
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    try:
        check_destination(url)
        response = send(url=url, secret=secret, body=body, event_id=event_id, event_type=event_type)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:200]}"
    except (EndpointUnreachable, DestinationNotAllowed) as exc:
        error = exc.message
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record_attempt(
        delivery_id,
        status_code=status_code,
        error=error,
        duration_ms=duration_ms,
        replay=replay,
    )


def _record_attempt(
    delivery_id: int, *, status_code: int | None, error: str | None, duration_ms: int, replay: bool
) -> tuple[str, int | None]:
    with session_scope() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return "missing", None
        now = utcnow()
        attempt = {
            "at": _iso(now),
            "status_code": status_code,
            "error": error,
            "duration_ms": duration_ms,
            "replay": replay,
        }
        delivery.attempts = [*(delivery.attempts or []), attempt]
        delivery.attempt_count += 1
        delivery.last_status_code, delivery.last_error = status_code, error
        if error is None:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
            return "delivered", None
        if replay or delivery.state != "pending":
            return delivery.state, None
        delay = retry_delay(delivery.attempt_count)
        if delay is None:
            delivery.state, delivery.next_attempt_at = "failed", None
            return "failed", None
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        return "retry", delay


def due_delivery_ids(*, grace_seconds: float = 60.0) -> list[int]:
    """Pending deliveries whose next try is overdue (a crash, a lost scheduled job)."""
    with session_scope() as session:
        return list(
            session.scalars(
                select(WebhookDelivery.id).where(
                    WebhookDelivery.state == "pending",
                    WebhookDelivery.next_attempt_at < utcnow() - timedelta(seconds=grace_seconds),
                )
            )
        )


def prune_deliveries(*, older_than: timedelta) -> int:
    """Delete finished deliveries (delivered or failed) created before `older_than` ago."""
    cutoff = utcnow() - older_than
    with session_scope() as session:
        result = session.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.state.in_(("delivered", "failed")),
                WebhookDelivery.created_at < cutoff,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _iso(value: datetime) -> str:
    return value.isoformat()
