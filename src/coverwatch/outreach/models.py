"""Outreach: requests to a vendor (and its agent), each notice sent, every email, inbound mail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow

REQUEST_KINDS = ("collection", "deficiency", "renewal", "lapse")
EMAIL_STATES = ("queued", "sending", "sent", "kept", "failed")
INBOUND_STATES = ("matched", "review", "done")


class OutreachRequest(Base):
    """What coverwatch is asking of a vendor: a certificate, a fix, a renewal (or a GC alert).

    A collection, deficiency or lapse request is about one project vendor; a renewal is about
    the vendor across the organization. Its magic links carry the request id and `link_nonce`,
    so changing the nonce revokes every link given out so far.
    """

    __tablename__ = "outreach_requests"
    # One open request per kind, scope and subject; `open_key` is NULL once closed.
    __table_args__ = (UniqueConstraint("org_id", "open_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), default=None)
    project_vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_vendors.id"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    # What it is about: the deficiency keys, or "general_liability:2027-01-31" for a renewal.
    subject: Mapped[str] = mapped_column(String(1000), default="")
    open_key: Mapped[str | None] = mapped_column(String(300), default=None)
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # The day the cadence counts from: opening day, or the expiry date for a renewal.
    anchor_date: Mapped[date]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    link_nonce: Mapped[str] = mapped_column(String(32))
    link_expires_at: Mapped[datetime]
    # Short token in the reply address (`slug+TOKEN@...`) that files inbound mail here.
    reply_token: Mapped[str] = mapped_column(String(16), unique=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    close_reason: Mapped[str | None] = mapped_column(String(64), default=None)


class OutreachNotice(Base):
    """One step of a request's cadence told to one recipient; never sent twice."""

    __tablename__ = "outreach_notices"
    __table_args__ = (UniqueConstraint("request_id", "step", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("outreach_requests.id"), index=True)
    step: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(16))
    project_id: Mapped[int | None] = mapped_column(default=None)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbound_emails.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboundEmail(Base):
    """An email as rendered; sent over SMTP, or kept for the mailbox page when there is none."""

    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    # Derived from what the email is for, so that the same email is never created twice.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    cc: Mapped[list[Any]] = mapped_column(default=list)
    from_name: Mapped[str] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(254), default=None)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class InboundMessage(Base):
    """An email received at an organization's address; filed on a request or left for review."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), default=None, index=True
    )
    # The raw message, kept in the document store: nothing received is ever lost.
    sha256: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(254), default="")
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(16), default="review", index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_requests.id"), default=None)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"), default=None)
    certificate_ids: Mapped[list[Any]] = mapped_column(default=list)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
