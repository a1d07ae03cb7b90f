"""Matching a vendor record to its network identity: tax id, or name with domain or agent.

An identity is one real-world vendor; each organization's vendor record is linked to one. A
record is linked when the network is consulted for it (its evaluations, the network answer, its
sub's page), so a tax id or contact added later counts from the next look.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coverwatch.db import utcnow
from coverwatch.network.models import NetworkIdentity, NetworkLink
from coverwatch.projects.models import ExternalRef
from coverwatch.requirements.names import name_key, same_entity
from coverwatch.vendors.models import Vendor, VendorContact

TAX_ID_SYSTEM = "tax_id"
# Domains that say nothing about who a business is.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "comcast.net",
        "att.net",
        "proton.me",
        "protonmail.com",
    }
)


@dataclass(frozen=True)
class VendorKeys:
    """What identifies a vendor row in the network."""

    legal_name: str
    name_key: str
    tax_id: str | None
    email_domains: frozenset[str]
    agent_emails: frozenset[str]


def keys_of(session: Session, *, vendor: Vendor) -> VendorKeys:
    """A vendor's name, tax id (when given), office email domains and agent addresses."""
    contacts = session.scalars(
        select(VendorContact).where(
            VendorContact.vendor_id == vendor.id, VendorContact.email.is_not(None)
        )
    )
    domains: set[str] = set()
    agents: set[str] = set()
    for contact in contacts:
        email = (contact.email or "").strip().lower()
        if "@" not in email:
            continue
        if contact.role == "insurance_agent":
            agents.add(email)
        elif (domain := email.rsplit("@", 1)[1]) not in FREE_MAIL:
            domains.add(domain)
    tax_id = session.scalar(
        select(ExternalRef.external_id).where(
            ExternalRef.org_id == vendor.org_id,
            ExternalRef.entity_type == "vendor",
            ExternalRef.entity_id == vendor.id,
            ExternalRef.system == TAX_ID_SYSTEM,
        )
    )
    digits = "".join(ch for ch in tax_id or "" if ch.isdigit()) or None
    return VendorKeys(
        legal_name=vendor.legal_name,
        name_key=name_key(vendor.legal_name).compact[:300],
        tax_id=digits,
        email_domains=frozenset(domains),
        agent_emails=frozenset(agents),
    )


def matched_by(keys: VendorKeys, identity: NetworkIdentity) -> str | None:
    """Why a vendor is this identity ("tax_id", "name_and_domain", "name_and_agent"), or None."""
    if keys.tax_id and identity.tax_id:
        return "tax_id" if keys.tax_id == identity.tax_id else None
    if not keys.name_key or not same_entity(keys.legal_name, identity.legal_name):
        return None
    if keys.email_domains & set(identity.email_domains or []):
        return "name_and_domain"
    if keys.agent_emails & set(identity.agent_emails or []):
        return "name_and_agent"
    return None


def link_vendor(session: Session, *, vendor: Vendor) -> NetworkLink:
    """Match the vendor to its identity (a new one when none matches); idempotent."""
    keys = keys_of(session, vendor=vendor)
    link = link_of(session, vendor.id)
    if link is not None:
        identity = session.get(NetworkIdentity, link.identity_id)
        if identity is not None and _still_the_same(keys, identity):
            _learn(identity, keys)
            return link
    found: tuple[NetworkIdentity, str] | None = None
    candidates = select(NetworkIdentity).where(
        or_(NetworkIdentity.name_key == keys.name_key, NetworkIdentity.tax_id == keys.tax_id)
        if keys.tax_id
        else NetworkIdentity.name_key == keys.name_key
    )
    for identity in session.scalars(candidates.order_by(NetworkIdentity.id)):
        if (reason := matched_by(keys, identity)) is not None:
            found = (identity, reason)
            break
    try:
        # Two jobs may evaluate one vendor at once: the first to link it wins, the other reads.
        with session.begin_nested():
            if found is None:
                identity = NetworkIdentity(legal_name=keys.legal_name, name_key=keys.name_key)
                session.add(identity)
                session.flush()
                found = (identity, "new")
            identity, reason = found
            _learn(identity, keys)
            if link is None:
                link = NetworkLink(
                    org_id=vendor.org_id, vendor_id=vendor.id, identity_id=identity.id
                )
                session.add(link)
            link.identity_id, link.matched_by, link.linked_at = identity.id, reason, utcnow()
            session.flush()
    except IntegrityError:
        link = link_of(session, vendor.id)
        assert link is not None
    return link


def _still_the_same(keys: VendorKeys, identity: NetworkIdentity) -> bool:
    """A linked vendor stays linked unless its tax id or its name now says otherwise."""
    if keys.tax_id and identity.tax_id:
        return keys.tax_id == identity.tax_id
    return same_entity(keys.legal_name, identity.legal_name)


def _learn(identity: NetworkIdentity, keys: VendorKeys) -> None:
    """Add what a matched vendor says to its identity, writing only what is new."""
    if keys.tax_id and not identity.tax_id:
        identity.tax_id = keys.tax_id
    domains = sorted(set(identity.email_domains or []) | keys.email_domains)
    if domains != list(identity.email_domains or []):
        identity.email_domains = domains
    agents = sorted(set(identity.agent_emails or []) | keys.agent_emails)
    if agents != list(identity.agent_emails or []):
        identity.agent_emails = agents


def link_of(session: Session, vendor_id: int) -> NetworkLink | None:
    """The vendor's link as it stands (no matching)."""
    return session.scalar(select(NetworkLink).where(NetworkLink.vendor_id == vendor_id))
