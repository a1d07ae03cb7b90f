"""Stored documents and the certificates read from them, with normalized policies and limits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow


class Document(Base):
    """An uploaded file, content-addressed by SHA-256 and never overwritten."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("org_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(300), default="")
    uploaded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(Base):
    """A certificate on file for a vendor, in the `coverwatch.certificate/1` shape."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    # received → parsed (or failed); only parsed certificates count in evaluations.
    state: Mapped[str] = mapped_column(String(32), default="parsed", index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    certificate_date: Mapped[date | None] = mapped_column(default=None)
    confidence: Mapped[float] = mapped_column(default=1.0)
    needs_review: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(String(500), default=None)
    # On file from this moment: the as-of history counts only certificates received by then.
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    source: Mapped[str] = mapped_column(String(32), default="api")
    created_by: Mapped[str] = mapped_column(String(200), default="")


class PolicyRow(Base):
    """A policy listed on a certificate, normalized for queries (expiry sweeps, reports)."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    insurer_name: Mapped[str | None] = mapped_column(String(300), default=None)
    naic: Mapped[str | None] = mapped_column(String(16), default=None)
    policy_number: Mapped[str | None] = mapped_column(String(100), default=None)
    effective_date: Mapped[date | None] = mapped_column(default=None)
    expiration_date: Mapped[date | None] = mapped_column(default=None, index=True)
    claims_made: Mapped[bool | None] = mapped_column(default=None)


class PolicyLimit(Base):
    """One limit of a policy, in integer dollars."""

    __tablename__ = "policy_limits"
    __table_args__ = (UniqueConstraint("policy_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
