"""API shapes of outreach: requests, emails, inbound messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class NoticeOut(BaseModel):
    """One cadence step told to one recipient."""

    model_config = ConfigDict(from_attributes=True)

    step: int
    recipient: str
    role: str
    email_id: int
    created_at: datetime


class RequestOut(BaseModel):
    """A request to a vendor (or a lapse alert to the GC), with what was sent for it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    state: str
    vendor_id: int
    project_id: int | None
    project_vendor_id: int | None
    subject: str
    details: dict[str, Any]
    anchor_date: date
    opened_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    link_expires_at: datetime
    notices: list[NoticeOut] = []
    sub_link: str | None = None
    agent_link: str | None = None


class EmailOut(BaseModel):
    """An email as sent (or kept for the mailbox)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    to_address: str
    cc: list[str]
    from_name: str
    reply_to: str | None
    subject: str
    state: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    text_body: str | None = None


class InboundOut(BaseModel):
    """An email received at the organization's address, and where it was filed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sender: str
    recipients: list[str]
    subject: str
    state: str
    reason: str
    request_id: int | None
    vendor_id: int | None
    certificate_ids: list[int]
    received_at: datetime


class InboundFile(BaseModel):
    """Where a message in the review queue goes: a vendor (and optionally a request)."""

    vendor_id: int
    request_id: int | None = None


class RunOut(BaseModel):
    """What an on-demand outreach run sent."""

    emails_created: int
