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
    # Its SHA-256, to find the connection of a delivery whose body names no company.
    webhook_secret_digest: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # Procore's id of our app, as sent in `metadata.source_application_id` of our own writes.
    application_id: Mapped[str | None] = mapped_column(String(64), default=None)
    namespace: Mapped[str] = mapped_column(String(64), default="coverwatch")
    template_key: Mapped[str | None] = mapped_column(String(64), default=None)
    writeback_level: Mapped[str] = mapped_column(String(16), default="project")
    # Whether a new commitment (work order or purchase order contract) starts tracking its vendor.
    work_order_contracts: Mapped[bool] = mapped_column(default=False)
    # Which companies of a project are tracked: {"mode": ..., "trades": [...]} (see tracking.py).
    tracking: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Procore's own daily expiry emails on the records we write (off unless the GC keeps them).
    keep_procore_notifications: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Why the connection stopped (an uninstall answers 403), shown to the admin.
    disconnected_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    hooks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Per hook scope, per trigger: installed, or Procore's refusal (shown to the admin).
    install_report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Deliveries refused for a wrong Authorization: a rising count means a rotated secret.
    refused_deliveries: Mapped[int] = mapped_column(default=0)
    last_refused_at: Mapped[datetime | None] = mapped_column(default=None)
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
    # Why a delivery from our hook could not be used (unreadable, unknown resource, ...); such
    # deliveries are answered 2xx all the same, so that they never pause the hook.
    anomaly: Mapped[str | None] = mapped_column(String(300), default=None)


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
    """An insurance record in Procore: one we keep (by our `origin_id`) or one a person keyed."""

    __tablename__ = "procore_insurance_records"
    __table_args__ = (UniqueConstraint("connection_id", "origin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("procore_connections.id"), index=True)
    project_vendor_id: Mapped[int] = mapped_column(ForeignKey("project_vendors.id"), index=True)
    # Null for records we did not write (several such rows never collide on the constraint).
    origin_id: Mapped[str | None] = mapped_column(String(128), default=None)
    procore_id: Mapped[int | None] = mapped_column(BigInteger, default=None, index=True)
    status: Mapped[str] = mapped_column(String(32))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    # False for a record a person keyed in Procore: shown, never overwritten.
    ours: Mapped[bool] = mapped_column(default=True)
    # The record as Procore last answered it (type, policy, dates, limit, provider, exempt).
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ProcoreCommitment(Base):
    """A work order or purchase order contract of a Procore project, and its vendor."""

    __tablename__ = "procore_commitments"
    __table_args__ = (UniqueConstraint("connection_id", "kind", "procore_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("procore_connections.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # work_order | purchase_order
    procore_id: Mapped[int] = mapped_column(BigInteger)
    procore_project_id: Mapped[int] = mapped_column(BigInteger, index=True)
    procore_vendor_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    project_vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_vendors.id"), default=None, index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str | None] = mapped_column(String(64), default=None)
    # Gone from Procore (deleted, or its vendor changed): kept for the history, no longer counted.
    removed: Mapped[bool] = mapped_column(default=False)
    # What we last wrote to the contract's compliance, and what Procore derives by itself.
    insurance_status: Mapped[str | None] = mapped_column(String(32), default=None)
    derived_insurance_status: Mapped[str | None] = mapped_column(String(32), default=None)
    written_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
