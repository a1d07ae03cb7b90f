"""API shapes of webhook endpoints and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

EventType = Literal["status.changed", "deficiency.found", "certificate.expiring", "vendor.approved"]


class EndpointIn(BaseModel):
    """A new endpoint: where to send (http or https) and which events."""

    url: AnyHttpUrl
    events: list[EventType] = Field(min_length=1)
    description: str = Field(default="", max_length=300)


class EndpointPatch(BaseModel):
    """Changes to an endpoint; `rotate_secret` issues a new signing secret (shown once)."""

    url: AnyHttpUrl | None = None
    events: list[EventType] | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=300)
    active: bool | None = None
    rotate_secret: bool = False


class EndpointOut(BaseModel):
    """An endpoint; `secret` only in the answer that created or rotated it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime
    secret: str | None = None


class AttemptOut(BaseModel):
    """One try to send a delivery."""

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    replay: bool = False


class DeliveryOut(BaseModel):
    """One event sent to one endpoint, with its attempts."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    state: str
    attempt_count: int
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]


class ReplayOut(BaseModel):
    """A replay was queued."""

    delivery_id: int
    status: str = "queued"
