"""The network: vendors matched to one identity across organizations, and consented sharing.

Without the sub's consent nothing crosses from one organization to another, not even that the
vendor is known elsewhere. With it, another organization's evaluation may use the vendor's
coverage on file (policies, limits, insurers, endorsements named) and nothing else: never the
projects, contacts, emails, holders or descriptions of the organization that holds it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.certificates import service as certificates
from coverwatch.certificates.schemas import CertificateData, Party, Policy, Source
from coverwatch.compliance import service as compliance
from coverwatch.db import utcnow
from coverwatch.errors import InvalidInput
from coverwatch.network.matching import link_of, link_vendor
from coverwatch.network.models import SCOPES, NetworkConsent, NetworkLink
from coverwatch.outreach.models import OutreachRequest
from coverwatch.requirements import messages
from coverwatch.vendors.models import Vendor


def active_consent(
    session: Session, *, identity_id: int, moment: datetime | None = None
) -> NetworkConsent | None:
    """The identity's consent in force at `moment` (now when None)."""
    statement = select(NetworkConsent).where(NetworkConsent.identity_id == identity_id)
    if moment is None:
        statement = statement.where(NetworkConsent.withdrawn_at.is_(None))
    else:
        statement = statement.where(
            NetworkConsent.granted_at < moment,
            or_(NetworkConsent.withdrawn_at.is_(None), NetworkConsent.withdrawn_at >= moment),
        )
    return session.scalar(statement.order_by(NetworkConsent.granted_at.desc()).limit(1))


def shared_coverage(
    session: Session, org_id: int, vendor_id: int, moment: datetime | None = None
) -> list[CertificateData]:
    """The coverage other organizations hold for this vendor, if the vendor consents.

    Used only while the organization has nothing of its own on file: its own certificate
    (naming it as holder) then decides alone.
    """
    if certificates.on_file(session, org_id=org_id, vendor_id=vendor_id, moment=moment):
        return []
    vendor = session.get(Vendor, vendor_id)
    if vendor is None or vendor.org_id != org_id:
        return []
    return held_elsewhere(session, vendor=vendor, moment=moment)


def held_elsewhere(
    session: Session, *, vendor: Vendor, moment: datetime | None = None
) -> list[CertificateData]:
    """The vendor's coverage on file with other organizations, as shared: [] without consent."""
    link = link_vendor(session, vendor=vendor) if moment is None else link_of(session, vendor.id)
    if link is None or active_consent(session, identity_id=link.identity_id, moment=moment) is None:
        return []
    others = session.scalars(
        select(NetworkLink).where(
            NetworkLink.identity_id == link.identity_id, NetworkLink.org_id != vendor.org_id
        )
    )
    found: list[CertificateData] = []
    for other in others:
        held = certificates.on_file(
            session, org_id=other.org_id, vendor_id=other.vendor_id, moment=moment
        )
        found += [coverage_only(data) for data in certificates.current_view(held)]
    return [data for data in found if data.policies and not data.needs_review]


def coverage_only(data: CertificateData) -> CertificateData:
    """A certificate reduced to its coverage: no holder, producer, description or project."""
    return CertificateData(
        source=Source(method=data.source.method, pages=1),
        form=data.form,
        certificate_date=data.certificate_date,
        insured=Party(name=data.insured.name),
        insurers=data.insurers,
        policies=[_coverage_policy(policy) for policy in data.policies],
        endorsements=[e.model_copy(update={"page": 1}) for e in data.endorsements],
        confidence=data.confidence,
        needs_review=list(data.needs_review),
    )


def _coverage_policy(policy: Policy) -> Policy:
    # A description can name a project; only an "other" line needs one to say what it is.
    return policy.model_copy(
        update={"description": policy.description if policy.type == "other" else None}
    )


def consent_of(session: Session, *, vendor: Vendor) -> NetworkConsent | None:
    """The vendor's consent in force now, if any."""
    link = link_of(session, vendor.id)
    return None if link is None else active_consent(session, identity_id=link.identity_id)


def grant(
    session: Session, *, request: OutreachRequest, audience: str, by: str, scope: str = "coverage"
) -> NetworkConsent:
    """The sub or its agent, through a link, lets other GCs who ask reuse its coverage."""
    if scope not in SCOPES:
        raise InvalidInput(f"scope must be one of: {', '.join(SCOPES)}")
    vendor, link, consent = _decision(session, request=request, audience=audience)
    if consent is not None:
        return consent
    consent = NetworkConsent(
        identity_id=link.identity_id,
        scope=scope,
        granted_by=by,
        granted_role=audience,
        granted_via_request_id=request.id,
    )
    session.add(consent)
    session.flush()
    after = {"scope": scope, "by": by, "role": audience, "request_id": request.id}
    _record(session, request=request, vendor=vendor, link=link, action="granted", after=after)
    return consent


def withdraw(
    session: Session, *, request: OutreachRequest, audience: str, by: str
) -> NetworkConsent | None:
    """The sub or its agent, through a link, stops the sharing from now on."""
    vendor, link, consent = _decision(session, request=request, audience=audience)
    if consent is None:
        return None
    consent.withdrawn_at, consent.withdrawn_by = utcnow(), by
    consent.withdrawn_via_request_id = request.id
    session.flush()
    after = {"by": by, "role": audience, "request_id": request.id, "consent_id": consent.id}
    _record(session, request=request, vendor=vendor, link=link, action="withdrawn", after=after)
    return consent


def _decision(
    session: Session, *, request: OutreachRequest, audience: str
) -> tuple[Vendor, NetworkLink, NetworkConsent | None]:
    """The link holder's vendor, its identity and its consent now; only a sub or agent decides."""
    if audience not in ("sub", "agent"):
        raise InvalidInput("only the sub or its insurance agent decides what is shared")
    vendor = session.get(Vendor, request.vendor_id)
    assert vendor is not None
    link = link_vendor(session, vendor=vendor)
    return vendor, link, active_consent(session, identity_id=link.identity_id)


def _record(
    session: Session,
    *,
    request: OutreachRequest,
    vendor: Vendor,
    link: NetworkLink,
    action: str,
    after: dict[str, object],
) -> None:
    """Audit the decision in the organization whose link was used; others follow it at once."""
    audit.record(
        session,
        org_id=request.org_id,
        actor=f"portal:{after['role']}:{request.id}",
        action=f"network_consent_{action}",
        entity_type="vendor",
        entity_id=vendor.id,
        after=after,
    )
    _reevaluate_others(session, identity_id=link.identity_id, org_id=request.org_id)


def _reevaluate_others(session: Session, *, identity_id: int, org_id: int) -> None:
    """Every other organization's evaluation of this vendor follows the consent at once."""
    others = list(
        session.scalars(
            select(NetworkLink).where(
                NetworkLink.identity_id == identity_id, NetworkLink.org_id != org_id
            )
        )
    )
    for other in others:
        compliance.reevaluate_vendor(
            session, org_id=other.org_id, vendor_id=other.vendor_id, trigger="network"
        )


def subscribe() -> None:
    """Let evaluations use coverage shared through the network."""
    if shared_coverage not in certificates.shared_sources:
        certificates.shared_sources.append(shared_coverage)


def shared_policies(session: Session, *, vendor: Vendor) -> list[dict[str, Any]]:
    """Each policy on file in the network for the vendor: line, insurer, dates, limits, forms."""
    policies = []
    for data in held_elsewhere(session, vendor=vendor):
        forms = sorted({e.form for e in data.endorsements})
        for policy in data.policies:
            insurer = data.insurer(policy.insurer_letter)
            policies.append(
                {
                    "coverage": policy.type,
                    "policy_number": policy.policy_number,
                    "insurer": insurer.name if insurer else None,
                    "effective_date": policy.effective_date,
                    "expiration_date": policy.expiration_date,
                    "limits": dict(policy.limits),
                    "endorsements": forms,
                }
            )
    return policies


def network_view(session: Session, *, vendor: Vendor) -> dict[str, Any]:
    """What the network holds for the vendor, in the API's shape (nothing without consent)."""
    coverage = shared_policies(session, vendor=vendor)
    consent = consent_of(session, vendor=vendor)
    return {
        "vendor_id": vendor.id,
        "on_file_in_network": bool(coverage),
        "consent": None
        if consent is None
        else {"scope": consent.scope, "granted_at": consent.granted_at},
        "coverage": coverage,
    }


def on_file_summary(session: Session, *, vendor: Vendor) -> list[str]:
    """The shared coverage in words, one line per policy ([] without consent), for pages."""
    return [
        messages.coverage_label(p["coverage"]).capitalize()
        + "".join(
            f", {messages.limit_label(p['coverage'], key)} {messages.money(amount)}"
            for key, amount in p["limits"].items()
        )
        + (f", ends {messages.day(p['expiration_date'])}" if p["expiration_date"] else "")
        for p in shared_policies(session, vendor=vendor)
    ]
