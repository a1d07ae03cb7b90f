"""Vendors (subcontractors), their contacts, and their assignment to projects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow

CONTACT_ROLES = ("office", "insurance_agent", "other")
STATUSES = ("pending", "needs_review", "non_compliant", "expiring", "expired", "compliant")
# Each status as the GC's pages and emails say it.
STATUS_LABELS = {
    "compliant": "Compliant",
    "expiring": "Compliant, expiring soon",
    "non_compliant": "Not compliant",
    "needs_review": "Certificate under review",
    "expired": "Coverage expired",
    "pending": "Waiting for a certificate",
}


class Vendor(Base):
    """A company that works for the GC; its certificates are on file at organization level."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    dba_names: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VendorContact(Base):
    """Someone to write to about a vendor's insurance: its office or its insurance agent."""

    __tablename__ = "vendor_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)


class ProjectVendor(Base):
    """A vendor assigned to a project: what is tracked, evaluated and approved."""

    __tablename__ = "project_vendors"
    __table_args__ = (UniqueConstraint("project_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    trade: Mapped[str | None] = mapped_column(String(100), default=None)
    status: Mapped[str] = mapped_column(String(32), default="pending", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved: Mapped[bool] = mapped_column(default=False)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_by: Mapped[str | None] = mapped_column(String(200), default=None)
    tracking: Mapped[bool] = mapped_column(default=True, index=True)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when something changed and the status must be recomputed; cleared by an evaluation.
    # The reconciler re-enqueues rows left dirty by a crash between commit and enqueue.
    dirty_since: Mapped[datetime | None] = mapped_column(default=None, index=True)
    last_evaluation_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
