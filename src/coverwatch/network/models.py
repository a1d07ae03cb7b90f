"""Network identities (one per real-world vendor), links from vendors, and consents to share.

An identity and its consents belong to no organization: they say who the vendor is across the
installation and what the vendor allows. Each organization's vendor rows stay its own; the link
table only says which identity a vendor row is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow

SCOPES = ("coverage",)


class NetworkIdentity(Base):
    """One real-world vendor, as its organizations' vendor rows describe it (never shown)."""

    __tablename__ = "network_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    # `requirements.names.name_key(legal_name).compact`: what name matching compares.
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    tax_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    email_domains: Mapped[list[Any]] = mapped_column(default=list)
    agent_emails: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NetworkLink(Base):
    """Which identity one organization's vendor row is, and what matched them."""

    __tablename__ = "network_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), unique=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("network_identities.id"), index=True)
    matched_by: Mapped[str] = mapped_column(String(32))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class NetworkConsent(Base):
    """The sub's (or its agent's) permission to reuse its coverage for other GCs who ask."""

    __tablename__ = "network_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("network_identities.id"), index=True)
    scope: Mapped[str] = mapped_column(String(32), default="coverage")
    granted_by: Mapped[str] = mapped_column(String(254))
    granted_role: Mapped[str] = mapped_column(String(16))
    granted_via_request_id: Mapped[int] = mapped_column(ForeignKey("outreach_requests.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by: Mapped[str | None] = mapped_column(String(254), default=None)
    withdrawn_via_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_requests.id"), default=None
    )
