"""Outreach requests: opening and closing them, their links, and who hears about them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.audit import service as audit
from coverwatch.certificates.models import Certificate
from coverwatch.email_addresses import check_email
from coverwatch.errors import InvalidInput, LinkInvalid, NotFound
from coverwatch.orgs import service as orgs
from coverwatch.orgs.models import Organization, User
from coverwatch.outreach import links
from coverwatch.outreach.cadence import OutreachSettings, settings_of
from coverwatch.outreach.models import OutreachRequest
from coverwatch.projects.models import Project
from coverwatch.settings import get_settings
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact

GC_ROLES = ("risk_manager", "admin")


def open_key(*, kind: str, vendor_id: int, project_vendor_id: int | None, subject: str) -> str:
    """The key that keeps one open request per kind, scope and subject."""
    scope = f"pv{project_vendor_id}" if project_vendor_id else f"v{vendor_id}"
    return f"{kind}:{scope}:{subject}"[:300]


def find_open(
    session: Session, *, org_id: int, kind: str, vendor_id: int, project_vendor_id: int | None
) -> list[OutreachRequest]:
    """The open requests of a kind for a project vendor (or, for renewals, a vendor)."""
    statement = select(OutreachRequest).where(
        OutreachRequest.org_id == org_id,
        OutreachRequest.kind == kind,
        OutreachRequest.vendor_id == vendor_id,
        OutreachRequest.state == "open",
    )
    if project_vendor_id is not None:
        statement = statement.where(OutreachRequest.project_vendor_id == project_vendor_id)
    return list(session.scalars(statement.order_by(OutreachRequest.id)))


def ensure_request(
    session: Session,
    *,
    org_id: int,
    kind: str,
    vendor_id: int,
    project_vendor: ProjectVendor | None,
    subject: str,
    anchor: Any,
    details: dict[str, Any] | None = None,
) -> OutreachRequest:
    """The open request of this kind and subject, opened now if there is none."""
    key = open_key(
        kind=kind,
        vendor_id=vendor_id,
        project_vendor_id=project_vendor.id if project_vendor else None,
        subject=subject,
    )
    existing = session.scalar(
        select(OutreachRequest).where(
            OutreachRequest.org_id == org_id, OutreachRequest.open_key == key
        )
    )
    if existing is not None:
        return existing
    now = clock.now()
    request = OutreachRequest(
        org_id=org_id,
        vendor_id=vendor_id,
        project_id=project_vendor.project_id if project_vendor else None,
        project_vendor_id=project_vendor.id if project_vendor else None,
        kind=kind,
        subject=subject[:1000],
        open_key=key,
        state="open",
        anchor_date=anchor,
        details=details or {},
        link_nonce=links.new_nonce(),
        link_expires_at=links.expiry_from(now),
        reply_token=links.new_reply_token(),
        opened_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        org_id=org_id,
        actor="system",
        action=f"{kind}_requested",
        entity_type="outreach_request",
        entity_id=request.id,
        after={
            "vendor_id": vendor_id,
            "project_vendor_id": request.project_vendor_id,
            "subject": request.subject,
        },
    )
    return request


def close_request(session: Session, *, request: OutreachRequest, reason: str) -> None:
    """Close a request: no more emails, and its links answer that nothing more is needed."""
    if request.state != "open":
        return
    request.state = "closed"
    request.open_key = None
    request.closed_at = clock.now()
    request.close_reason = reason
    session.flush()
    audit.record(
        session,
        org_id=request.org_id,
        actor="system",
        action="request_closed",
        entity_type="outreach_request",
        entity_id=request.id,
        after={"kind": request.kind, "reason": reason},
    )


def extend_links(request: OutreachRequest, *, at: datetime | None = None) -> None:
    """Each email renews the link's 30 days, so a reminder never carries a dead link."""
    request.link_expires_at = max(request.link_expires_at, links.expiry_from(at or clock.now()))


def revoke_links(session: Session, *, request: OutreachRequest, actor: str) -> None:
    """Invalidate every link of a request given out so far."""
    request.link_nonce = links.new_nonce()
    session.flush()
    audit.record(
        session,
        org_id=request.org_id,
        actor=actor,
        action="links_revoked",
        entity_type="outreach_request",
        entity_id=request.id,
    )


def link_for(request: OutreachRequest, *, audience: str) -> str:
    """The public URL of a request's link for the sub or its agent."""
    return links.url_for(
        links.make_token(request_id=request.id, audience=audience, nonce=request.link_nonce)
    )


def request_of_token(session: Session, *, token: str) -> tuple[OutreachRequest, str]:
    """The request and audience of a link: LinkInvalid if forged or revoked, LinkExpired if old."""
    claim = links.read_token(token)
    request = session.get(OutreachRequest, claim.request_id)
    if request is None:
        raise LinkInvalid("this link is not valid")
    links.check_current(
        claim=claim,
        nonce=request.link_nonce,
        expires_at=request.link_expires_at,
        closed=request.state != "open" and request.close_reason in ("vendor_removed", "revoked"),
    )
    return request, claim.audience


def request_of_signed_token(session: Session, *, token: str) -> tuple[OutreachRequest, str]:
    """The request of a link whose signature and nonce are good, even if it has expired."""
    claim = links.read_token(token)
    request = session.get(OutreachRequest, claim.request_id)
    if request is None or claim.nonce != request.link_nonce:
        raise LinkInvalid("this link is not valid")
    return request, claim.audience


def get_request(session: Session, *, org_id: int, request_id: int) -> OutreachRequest:
    """One of the organization's requests."""
    request = session.get(OutreachRequest, request_id)
    if request is None or request.org_id != org_id:
        raise NotFound(f"no outreach request {request_id}")
    return request


def outreach_settings(session: Session, *, org_id: int) -> OutreachSettings:
    """An organization's cadences and calendar."""
    org = session.get(Organization, org_id)
    return settings_of(org.settings if org else None)


def save_outreach_settings(
    session: Session, *, org_id: int, value: OutreachSettings, actor: str
) -> OutreachSettings:
    """Replace an organization's cadences and calendar."""
    org = session.get(Organization, org_id)
    assert org is not None
    before = orgs.set_setting(session, org=org, key="outreach", value=value.model_dump(mode="json"))
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="outreach_settings_changed",
        entity_type="organization",
        entity_id=org_id,
        before={"outreach": before},
        after={"outreach": value.model_dump(mode="json")},
    )
    return value


def sub_addresses(session: Session, *, vendor: Vendor) -> list[str]:
    """Where the sub's office reads mail: its office contacts, else any contact but the agent."""
    contacts = list(
        session.scalars(
            select(VendorContact)
            .where(VendorContact.vendor_id == vendor.id, VendorContact.email.is_not(None))
            .order_by(VendorContact.id)
        )
    )
    office = [c.email for c in contacts if c.role == "office" and c.email]
    others = [c.email for c in contacts if c.role == "other" and c.email]
    return _unique(office or others)


def agent_address(session: Session, *, vendor: Vendor) -> str | None:
    """The insurance agent: a contact on file, else the producer email of the newest certificate."""
    contact = session.scalar(
        select(VendorContact.email)
        .where(
            VendorContact.vendor_id == vendor.id,
            VendorContact.role == "insurance_agent",
            VendorContact.email.is_not(None),
        )
        .order_by(VendorContact.id)
    )
    if contact:
        return contact.strip().lower()
    return producer_email(session, vendor_id=vendor.id)


def producer_email(session: Session, *, vendor_id: int) -> str | None:
    """The producer (agent) email printed on the vendor's newest readable certificate."""
    return _producer_email(session, vendor_id=vendor_id)[0]


def producer_email_refused(session: Session, *, vendor: Vendor) -> str | None:
    """Why the agent is not written to at the address read from a certificate, if it is not.

    None when there is an agent contact, a usable producer email, or none read at all.
    """
    has_contact = session.scalar(
        select(VendorContact.id).where(
            VendorContact.vendor_id == vendor.id,
            VendorContact.role == "insurance_agent",
            VendorContact.email.is_not(None),
        )
    )
    return None if has_contact else _producer_email(session, vendor_id=vendor.id)[1]


def _producer_email(session: Session, *, vendor_id: int) -> tuple[str | None, str | None]:
    # Read addresses are only repaired by the parser: one is used only if it passes the rule of
    # every address we send to; else the newest refusal says why none is.
    refused = None
    for data in session.scalars(
        select(Certificate.data)
        .where(Certificate.vendor_id == vendor_id, Certificate.state == "parsed")
        .order_by(Certificate.received_at.desc(), Certificate.id.desc())
        .limit(5)
    ):
        email = ((data or {}).get("producer") or {}).get("email")
        if not email:
            continue
        try:
            return check_email(str(email)), None
        except InvalidInput as exc:
            refused = refused or exc.message
    return None, refused


def gc_addresses(session: Session, *, org_id: int, project: Project | None = None) -> list[str]:
    """Who at the GC hears of lapses: risk managers (else admins), and the project manager."""
    users = list(session.scalars(select(User).where(User.org_id == org_id).order_by(User.id)))
    chosen = [u.email for u in users if u.role == "risk_manager"] or [
        u.email for u in users if u.role == "admin"
    ]
    if project is not None and project.manager_email:
        chosen.append(project.manager_email)
    return _unique(chosen)


def reply_address(*, org: Organization, request: OutreachRequest | None) -> str | None:
    """The inbound address that files a reply's attachments on the request (if mail comes in)."""
    domain = get_settings().inbound_domain
    if not domain:
        return None
    local = f"{org.slug}+{request.reply_token}" if request is not None else org.slug
    return f"{local}@{domain}"


def check_address(value: str) -> str:
    """A valid email address, normalised, or InvalidInput (the rule of every address we keep)."""
    return check_email(value)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))


def being_read(session: Session, *, vendor_id: int) -> bool:
    """Whether a document of the vendor arrived and is still being read (emails wait for it)."""
    return (
        session.scalar(
            select(Certificate.id)
            .where(Certificate.vendor_id == vendor_id, Certificate.state == "received")
            .limit(1)
        )
        is not None
    )
