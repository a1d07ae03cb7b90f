"""Inbound email: attachments from a known sub or agent become documents on the right request.

A message is matched by the reply token in the address it was sent to (`slug+TOKEN@domain`) or
in its subject, then by the sender's address among the organization's vendor contacts, when
DKIM or a trusted receiving server proves that sender (outreach.authentication). Anything that
cannot be filed that way is kept for a person (`review`); the raw message is always stored.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.certificates.tasks import receive_file
from coverwatch.errors import CoverwatchError, NotFound
from coverwatch.orgs.models import Organization
from coverwatch.outreach import authentication
from coverwatch.outreach.models import InboundMessage, OutreachRequest
from coverwatch.pagination import PageParams, paginate
from coverwatch.settings import get_settings
from coverwatch.storage import get_store
from coverwatch.vendors.models import Vendor, VendorContact

_TOKEN = re.compile(r"\b([0-9a-f]{12})\b")


def receive(
    session: Session, *, raw: bytes, envelope_to: list[str], envelope_from: str
) -> InboundMessage:
    """Store a received message and file its attachments if it can be matched."""
    sha = get_store().put(raw)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    sender = (parseaddr(str(message.get("From", "")))[1] or envelope_from).strip().lower()
    recipients = _unique(
        envelope_to
        + [a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
    )
    subject = str(message.get("Subject", ""))[:300]
    org, request = _addressed_to(session, recipients=recipients, subject=subject)
    row = InboundMessage(
        org_id=org.id if org else None,
        sha256=sha,
        sender=sender[:254],
        recipients=recipients,
        subject=subject,
        state="review",
        request_id=request.id if request else None,
    )
    session.add(row)
    session.flush()
    if org is None:
        row.reason = "not addressed to a known organization"
        return row
    vendor = (
        session.get(Vendor, request.vendor_id)
        if request
        else _vendor_of(session, org_id=org.id, sender=sender)
    )
    if vendor is None:
        row.reason = "the sender is not a known vendor contact and no request was named"
        return row
    if request is None:
        # Matched by the From: header alone, which anyone can write: it must be proven.
        verdict = authentication.verify_sender(
            raw,
            message,
            sender=sender,
            trusted_servers=get_settings().inbound_trusted_servers,
        )
        if not verdict.verified:
            row.reason = (
                f"from {sender}, a contact of {vendor.legal_name}, but the sender could not be "
                f"authenticated ({verdict.how}); a person must file it"
            )[:300]
            return row
    row.vendor_id = vendor.id
    _attach(session, row=row, message=message, vendor=vendor, actor=f"email:{sender}")
    return row


def _attach(
    session: Session, *, row: InboundMessage, message: EmailMessage, vendor: Vendor, actor: str
) -> None:
    received, refused = [], []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        try:
            certificate = receive_file(
                session,
                vendor=vendor,
                filename=part.get_filename() or "attachment",
                content=content,
                actor=actor,
                source="email",
            )
        except CoverwatchError as exc:
            refused.append(exc.message)
            continue
        received.append(certificate.id)
    row.certificate_ids = received
    if received:
        row.state = "matched"
        row.reason = "; ".join(refused)[:300]
    else:
        row.reason = ("no certificate attached" + (": " + "; ".join(refused) if refused else ""))[
            :300
        ]
    session.flush()


def _addressed_to(
    session: Session, *, recipients: list[str], subject: str
) -> tuple[Organization | None, OutreachRequest | None]:
    domain = (get_settings().inbound_domain or "").lower()
    for address in recipients:
        local, _, host = address.partition("@")
        if domain and host != domain:
            continue
        slug, _, token = local.partition("+")
        org = session.scalar(select(Organization).where(Organization.slug == slug))
        if org is None:
            continue
        for candidate in [token, *_TOKEN.findall(subject.lower())]:
            request = (
                session.scalar(
                    select(OutreachRequest).where(
                        OutreachRequest.org_id == org.id, OutreachRequest.reply_token == candidate
                    )
                )
                if candidate
                else None
            )
            if request is not None:
                return org, request
        return org, None
    return None, None


def _vendor_of(session: Session, *, org_id: int, sender: str) -> Vendor | None:
    vendor_ids = set(
        session.scalars(
            select(VendorContact.vendor_id).where(
                VendorContact.org_id == org_id, VendorContact.email.ilike(sender)
            )
        )
    )
    # An agent with many clients writes from one address: then the sender alone is not enough.
    return session.get(Vendor, vendor_ids.pop()) if len(vendor_ids) == 1 else None


def list_messages(
    session: Session, *, org_id: int, state: str | None, params: PageParams
) -> tuple[list[InboundMessage], int]:
    """One page of the organization's inbound messages, newest first."""
    statement = select(InboundMessage).where(InboundMessage.org_id == org_id)
    if state:
        statement = statement.where(InboundMessage.state == state)
    return paginate(session, statement.order_by(InboundMessage.id.desc()), params)


def file_message(
    session: Session,
    *,
    org_id: int,
    message_id: int,
    vendor_id: int,
    request_id: int | None,
    actor: str,
) -> InboundMessage:
    """A person files a message from the review queue on a vendor; its files are read."""
    row = session.get(InboundMessage, message_id)
    if row is None or row.org_id != org_id:
        raise NotFound(f"no inbound message {message_id}")
    vendor = session.get(Vendor, vendor_id)
    if vendor is None or vendor.org_id != org_id:
        raise NotFound(f"no vendor {vendor_id}")
    if request_id is not None:
        request = session.get(OutreachRequest, request_id)
        if request is None or request.org_id != org_id:
            raise NotFound(f"no outreach request {request_id}")
        row.request_id = request_id
    message = BytesParser(policy=policy.default).parsebytes(get_store().get(row.sha256))
    assert isinstance(message, EmailMessage)
    row.vendor_id = vendor.id
    _attach(session, row=row, message=message, vendor=vendor, actor=actor)
    if row.state == "matched":
        row.state = "done"
    return row


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip().lower() for v in values if v and "@" in v))
