"""Procore connections (tokens encrypted), webhook deliveries, and insurance write-backs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow


class ProcoreConnection(Base):
    """One organization's link to one Procore company, with its credentials and choices."""

    __tablename__ = "procore_connections"
    __table_args__ = (UniqueConstraint("org_id", "environment", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    environment: Mapped[str] = mapped_column(String(32))
    api_base_url: Mapped[str] = mapped_column(String(300))
    login_base_url: Mapped[str] = mapped_column(String(300))
    # Procore ids can pass 32 bits in newer regions.
    company_id: Mapped[int] = mapped_column(BigInteger, index=True)
    company_name: Mapped[str] = mapped_column(String(300), default="")
    grant_type: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret_encrypted: Mapped[str] = mapped_column(Text)
    access_token_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    refresh_token_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    token_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # Bumped on every token change; a refresh takes the row's write lock through it.
    token_version: Mapped[int] = mapped_column(default=0)
    # The static Authorization value Procore copies onto every delivery of our hooks.
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    # Procore's id of our app, as sent in `metadata.source_application_id` of our own writes.
    application_id: Mapped[str | None] = mapped_column(String(64), default=None)
    namespace: Mapped[str] = mapped_column(String(64), default="coverwatch")
    template_key: Mapped[str | None] = mapped_column(String(64), default=None)
    writeback_level: Mapped[str] = mapped_column(String(16), default="project")
    work_order_contracts: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    hooks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcoreDelivery(Base):
    """One webhook delivery as received, stored once per Procore event key (ulid or id)."""

    __tablename__ = "procore_webhook_deliveries"
    __table_args__ = (UniqueConstraint("connection_id", "event_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("procore_connections.id"), index=True)
    event_key: Mapped[str] = mapped_column(String(64))
    resource_name: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[str | None] = mapped_column(String(64), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Null until a job handled it; the reconciler re-enqueues deliveries left unprocessed.
    processed_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500), default=None)


class ProcoreWriteback(Base):
    """Whether a project vendor's verdict still has to be written to Procore."""

    __tablename__ = "procore_writebacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("procore_connections.id"), index=True)
    project_vendor_id: Mapped[int] = mapped_column(ForeignKey("project_vendors.id"), unique=True)
    # pending until Procore accepted the records; the reconciler re-enqueues old pending rows.
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_at: Mapped[datetime | None] = mapped_column(default=None)
    written_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)


class ProcoreInsuranceRecord(Base):
    """An insurance record we keep in Procore, by our `origin_id` and Procore's id."""

    __tablename__ = "procore_insurance_records"
    __table_args__ = (UniqueConstraint("connection_id", "origin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("procore_connections.id"), index=True)
    project_vendor_id: Mapped[int] = mapped_column(ForeignKey("project_vendors.id"), index=True)
    origin_id: Mapped[str] = mapped_column(String(128))
    procore_id: Mapped[int | None] = mapped_column(BigInteger, default=None, index=True)
    status: Mapped[str] = mapped_column(String(32))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
