"""Reading Procore webhook payloads of every format (v2.0, v3.0, v4.0) into one shape.

v2.0: `id` (int), `ulid`, `event_type`, `resource_name`, numeric ids, `metadata`.
v3.0: v2.0 plus `related_resources` (parents of line items; usually empty).
v4.0: `id` is a ULID string, `reason` replaces `event_type`, `resource_type` replaces
`resource_name`, and every id is a string. Company-level events carry no `project_id`.
The payload is only a notification: handlers read the current state from the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coverwatch.errors import InvalidInput


@dataclass(frozen=True)
class WebhookEvent:
    """One Procore event, whatever the payload format."""

    key: str
    resource_name: str
    event_type: str
    resource_id: int
    company_id: int
    project_id: int | None
    timestamp: datetime | None
    source_application_id: str | None
    format: str


def parse_event(payload: Any) -> WebhookEvent:
    """The event in a delivery body, or InvalidInput saying what is wrong with it."""
    if not isinstance(payload, dict):
        raise InvalidInput("a Procore webhook body is a JSON object")
    v4 = "resource_type" in payload or "reason" in payload
    # v2/v3 have both `id` (an integer) and `ulid`; the ulid is the documented dedupe key.
    key = payload.get("ulid") or payload.get("id")
    resource_name = payload.get("resource_type" if v4 else "resource_name")
    event_type = payload.get("reason" if v4 else "event_type")
    if key in (None, "") or not isinstance(resource_name, str) or not isinstance(event_type, str):
        raise InvalidInput(
            "not a Procore webhook: it needs ulid or id, resource_name or resource_type, "
            "and event_type or reason"
        )
    metadata = payload.get("metadata") or {}
    source_application = (
        metadata.get("source_application_id") if isinstance(metadata, dict) else None
    )
    return WebhookEvent(
        key=str(key),
        resource_name=resource_name,
        event_type=event_type,
        resource_id=_id(payload, "resource_id", required=True) or 0,
        company_id=_id(payload, "company_id", required=True) or 0,
        project_id=_id(payload, "project_id", required=False),
        timestamp=_timestamp(payload.get("timestamp")),
        source_application_id=None if source_application is None else str(source_application),
        format="v4" if v4 else ("v3" if "related_resources" in payload else "v2"),
    )


def company_id_of(payload: Any) -> int | None:
    """The company a delivery is about, read before anything else is trusted."""
    if not isinstance(payload, dict):
        return None
    try:
        return _id(payload, "company_id", required=False)
    except InvalidInput:
        return None


def _id(payload: dict[str, Any], name: str, *, required: bool) -> int | None:
    value = payload.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"the webhook has no {name}")
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{name} is not an id")
    try:
        return int(value)  # v4 sends ids as strings
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} {value!r} is not an id") from exc


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
