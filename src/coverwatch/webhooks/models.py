"""Webhook endpoints an organization registers, and each delivery of an event to one of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow

EVENT_TYPES = ("status.changed", "deficiency.found", "certificate.expiring", "vendor.approved")
DELIVERY_STATES = ("pending", "delivered", "failed")


class WebhookEndpoint(Base):
    """A URL of an organization's system that wants some of coverwatch's events."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(300), default="")
    events: Mapped[list[Any]] = mapped_column(default=list)
    # The signing secret, encrypted at rest; shown in clear only when created or rotated.
    secret_encrypted: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookDelivery(Base):
    """One event to one endpoint, with every attempt to send it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # pending until sent with a 2xx answer (delivered) or retries are spent (failed).
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempt_count: Mapped[int] = mapped_column(default=0)
    # [{"at", "status_code", "error", "duration_ms", "replay"}], oldest first.
    attempts: Mapped[list[Any]] = mapped_column(default=list)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    last_status_code: Mapped[int | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
