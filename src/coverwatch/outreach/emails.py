"""Turning due items into emails (one per recipient), and delivering each email exactly once."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.errors import MailServerUnavailable, MailUndeliverable
from coverwatch.orgs.models import Organization
from coverwatch.outreach import mail, notices, service
from coverwatch.outreach.models import OutboundEmail, OutreachNotice, OutreachRequest
from coverwatch.outreach.planner import Item
from coverwatch.projects.models import Project
from coverwatch.requirements import messages
from coverwatch.settings import get_settings
from coverwatch.vendors.models import Vendor

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A worker that dies while sending leaves the email "sending"; after this lease it is retried.
SENDING_LEASE = timedelta(minutes=10)


def create_email(
    session: Session,
    *,
    org: Organization,
    key: str,
    kind: str,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    cc: list[str] | None = None,
    reply_to: str | None = None,
) -> tuple[OutboundEmail, bool]:
    """Render and store an email once per idempotency key; (email, newly created)."""
    full_key = f"o{org.id}:{key}"
    digest = hashlib.sha256(full_key.encode()).hexdigest()[:40]
    existing = session.scalar(select(OutboundEmail).where(OutboundEmail.idempotency_key == digest))
    if existing is not None:
        return existing, False
    settings = service.outreach_settings(session, org_id=org.id)
    context = {"org_name": org.name, "subject": subject, **context}
    text, html = mail.render(template, context)
    email = OutboundEmail(
        org_id=org.id,
        idempotency_key=digest,
        kind=kind,
        to_address=to,
        cc=sorted(set(cc or []) - {to}),
        from_name=org.name,
        reply_to=settings.reply_to or reply_to,
        subject=subject[:300],
        text_body=text,
        html_body=html,
        message_id=f"<{digest}@coverwatch>",
        state="queued",
    )
    session.add(email)
    session.flush()
    return email, True


def dispatch(session: Session, *, items: list[Item]) -> list[int]:
    """One email per recipient for the items due now, with a notice per item; new email ids."""
    grouped: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        grouped[item.recipient].append(item)
    created = []
    for recipient, group in grouped.items():
        group.sort(key=lambda i: (i.request.id, i.step))
        org = session.get(Organization, group[0].request.org_id)
        assert org is not None
        key = "n:" + recipient + ":" + ",".join(f"{i.request.id}.{i.step}" for i in group)
        if group[0].role == "gc":
            subject, template, context = notices.lapse_alert(session, items=group)
        else:
            subject, context = notices.notice(session, org=org, items=group)
            template = "notice"
        email, new = create_email(
            session,
            org=org,
            key=key,
            kind=kinds.pop() if len(kinds := {i.request.kind for i in group}) == 1 else "combined",
            to=recipient,
            cc=sorted({c for i in group for c in i.cc}),
            subject=subject,
            template=template,
            context=context,
            reply_to=service.reply_address(
                org=org, request=group[0].request if len(group) == 1 else None
            ),
        )
        for item in group:
            session.add(
                OutreachNotice(
                    org_id=org.id,
                    request_id=item.request.id,
                    step=item.step,
                    recipient=recipient,
                    role=item.role,
                    project_id=item.request.project_id,
                    email_id=email.id,
                )
            )
            service.extend_links(item.request)
        session.flush()
        if new:
            created.append(email.id)
    return created


def deliver(email_id: int) -> str:
    """Send one stored email (or keep it for the mailbox without SMTP); safe to call again."""
    with session_scope() as session:
        email = session.get(OutboundEmail, email_id)
        if email is None or email.state in ("sent", "kept", "failed"):
            return email.state if email else "missing"
        if (
            email.state == "sending"
            and email.next_attempt_at
            and email.next_attempt_at > clock.now()
        ):
            return "sending"  # another worker holds it
        email.state = "sending"
        email.attempts += 1
        email.next_attempt_at = clock.now() + SENDING_LEASE
        smtp_url = get_settings().smtp_url
        message = None if not smtp_url else mail.build_message(email)
    # Committed as "sending" before the first byte leaves: a crash from here is found by the lease.
    if message is None or smtp_url is None:
        return _finish(email_id, state="kept")
    try:
        mail.send(message, smtp_url=smtp_url)
    except MailUndeliverable as exc:
        return _finish(email_id, state="failed", error=exc.message)
    except MailServerUnavailable as exc:
        return _finish(email_id, state="queued", error=exc.message)
    return _finish(email_id, state="sent")


def _finish(email_id: int, *, state: str, error: str | None = None) -> str:
    with session_scope() as session:
        email = session.get(OutboundEmail, email_id)
        assert email is not None
        email.last_error = error[:500] if error else None
        if state == "queued" and email.attempts >= MAX_ATTEMPTS:
            state = "failed"
        email.state = state
        if state in ("sent", "kept"):
            email.sent_at = clock.now()
            email.next_attempt_at = None
        elif state == "queued":
            email.next_attempt_at = clock.now() + retry_delay(email.attempts)
        else:
            email.next_attempt_at = None
        if state == "failed":
            log.warning("email %s to %s failed for good: %s", email.id, email.to_address, error)
    return state


def retry_delay(attempts: int) -> timedelta:
    """Backoff between sends: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def due_email_ids(*, limit: int = 500) -> list[int]:
    """Emails to (re)send now: queued and due, or "sending" past the lease of a dead worker."""
    now = clock.now()
    with session_scope() as session:
        return list(
            session.scalars(
                select(OutboundEmail.id)
                .where(
                    OutboundEmail.state.in_(("queued", "sending")),
                    (OutboundEmail.next_attempt_at.is_(None))
                    | (OutboundEmail.next_attempt_at <= now),
                )
                .order_by(OutboundEmail.id)
                .limit(limit)
            )
        )


def requests_of_email(session: Session, *, email: OutboundEmail) -> list[OutreachRequest]:
    """The requests an email told someone about."""
    ids = session.scalars(
        select(OutreachNotice.request_id).where(OutreachNotice.email_id == email.id)
    ).all()
    return [r for r in (session.get(OutreachRequest, i) for i in dict.fromkeys(ids)) if r]


def send_agent_list(
    session: Session, *, request: OutreachRequest, address: str
) -> tuple[OutboundEmail, bool]:
    """The sub asked to send its fix list to its agent: one email per address and fix list."""
    org = session.get(Organization, request.org_id)
    assert org is not None
    item = Item(request=request, step=0, recipient=address, role="agent")
    subject, context = notices.notice(session, org=org, items=[item])
    email, new = create_email(
        session,
        org=org,
        key=f"agent-list:{request.id}:{address}:{request.subject}",
        kind="deficiency",
        to=address,
        subject=subject,
        template="notice",
        context=context,
        reply_to=service.reply_address(org=org, request=request),
    )
    told = session.scalar(
        select(OutreachNotice.id).where(
            OutreachNotice.request_id == request.id,
            OutreachNotice.step == 0,
            OutreachNotice.recipient == address,
        )
    )
    if new and told is None:
        # From now on this agent also gets the request's reminders.
        session.add(
            OutreachNotice(
                org_id=org.id,
                request_id=request.id,
                step=0,
                recipient=address,
                role="agent",
                project_id=request.project_id,
                email_id=email.id,
            )
        )
        session.flush()
    return email, new


def send_new_link(
    session: Session, *, request: OutreachRequest, audience: str
) -> list[OutboundEmail]:
    """A fresh link to the addresses on file (never to one typed on the page); once a day."""
    org = session.get(Organization, request.org_id)
    vendor = session.get(Vendor, request.vendor_id)
    assert org is not None and vendor is not None
    if audience == "agent":
        agent = service.agent_address(session, vendor=vendor)
        addresses = [agent] if agent else []
    else:
        addresses = service.sub_addresses(session, vendor=vendor)
    service.extend_links(request)
    link = service.link_for(request, audience=audience)
    project = session.get(Project, request.project_id) if request.project_id else None
    subject = f"{org.name}: your new upload link" + (f" for {project.name}" if project else "")
    sent = []
    for address in addresses:
        email, _new = create_email(
            session,
            org=org,
            key=f"new-link:{request.id}:{audience}:{address}:{clock.today().isoformat()}",
            kind="new_link",
            to=address,
            subject=subject,
            template="alert",
            context={
                "headline": subject,
                "lines": [
                    f"Here is a new link to send {vendor.legal_name}'s certificate of insurance. "
                    "No account is needed.",
                    f"It works until {messages.day(request.link_expires_at.date())}.",
                ],
                "rows": [],
                "link": link,
                "link_label": "Open the upload page",
            },
        )
        sent.append(email)
    return sent


def agents_told(session: Session, *, request: OutreachRequest) -> set[str]:
    """The agent addresses a request's fix list went to."""
    return set(
        session.scalars(
            select(OutreachNotice.recipient).where(
                OutreachNotice.request_id == request.id, OutreachNotice.role == "agent"
            )
        )
    )
