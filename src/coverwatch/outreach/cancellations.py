"""An agent reports, through its link, that a policy is cancelled: coverage ends on that date.

The report becomes a certificate of its own (source `cancellation`) that carries the policy with
its new end date. Being newer, it replaces the earlier copy of that policy (same type and
number) in the evaluation, so the status, the approval gate and the lapse alert follow by the
same rules as for any certificate, and the history shows when coverage was known to end.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.audit import service as audit
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Certificate
from coverwatch.certificates.schemas import CertificateData
from coverwatch.compliance import service as compliance
from coverwatch.errors import InvalidInput
from coverwatch.orgs.models import Organization
from coverwatch.outreach import emails, service
from coverwatch.outreach.models import OutreachRequest
from coverwatch.projects.models import Project
from coverwatch.requirements import messages
from coverwatch.vendors.models import ProjectVendor, Vendor


def cancellable(session: Session, *, vendor: Vendor) -> list[dict[str, Any]]:
    """The vendor's policies on file that a cancellation can name (they need a number)."""
    on_file = certificates.on_file(session, org_id=vendor.org_id, vendor_id=vendor.id)
    found: dict[str, dict[str, Any]] = {}
    for data in certificates.current_view(on_file):
        for policy in data.policies:
            if not policy.policy_number:
                continue
            key = f"{policy.type}:{policy.policy_number}"
            found.setdefault(
                key,
                {
                    "key": key,
                    "label": f"{messages.coverage_label(policy.type).capitalize()} "
                    f"{policy.policy_number}",
                    "expires": policy.expiration_date,
                },
            )
    return list(found.values())


def report_cancellation(
    session: Session, *, request: OutreachRequest, policy_key: str, effective: date, actor: str
) -> tuple[Certificate, list[int]]:
    """Record that a policy ends on `effective`, re-evaluate, and write the GC's alerts.

    Returns the certificate and the new emails, which the caller sends after its commit."""
    vendor = session.get(Vendor, request.vendor_id)
    assert vendor is not None
    kind, _, number = policy_key.partition(":")
    today = clock.today()
    if effective < today - timedelta(days=365) or effective > today + timedelta(days=365):
        raise InvalidInput("the cancellation date must be within a year of today")
    for source in certificates.on_file(session, org_id=vendor.org_id, vendor_id=vendor.id):
        data = CertificateData.model_validate(source.data)
        policy = next(
            (p for p in data.policies if p.type == kind and p.policy_number == number), None
        )
        if policy is not None:
            break
    else:
        raise InvalidInput("that policy is not on file for this vendor")
    if policy.expiration_date is not None and effective >= policy.expiration_date:
        raise InvalidInput("that date is not before the policy's own expiration")
    ended = policy.model_copy(update={"expiration_date": effective})
    report = data.model_copy(
        update={"policies": [ended], "certificate_date": today, "needs_review": []}
    )
    certificate = certificates.add_certificate(
        session, vendor=vendor, data=report, actor=actor, source="cancellation"
    )
    audit.record(
        session,
        org_id=vendor.org_id,
        actor=actor,
        action="cancellation_reported",
        entity_type="certificate",
        entity_id=certificate.id,
        after={"policy": policy_key, "effective": effective.isoformat(), "request_id": request.id},
    )
    compliance.reevaluate_vendor(
        session, org_id=vendor.org_id, vendor_id=vendor.id, trigger="cancellation", actor=actor
    )
    alerts = _tell_gc(
        session, vendor=vendor, label=policy_key, effective=effective, certificate=certificate
    )
    return certificate, alerts


def _tell_gc(
    session: Session, *, vendor: Vendor, label: str, effective: date, certificate: Certificate
) -> list[int]:
    org = session.get(Organization, vendor.org_id)
    assert org is not None
    rows = session.scalars(
        select(ProjectVendor).where(
            ProjectVendor.vendor_id == vendor.id, ProjectVendor.tracking.is_(True)
        )
    ).all()
    projects = [p for p in (session.get(Project, r.project_id) for r in rows) if p]
    addresses = service.gc_addresses(session, org_id=org.id)
    addresses += [p.manager_email.lower() for p in projects if p.manager_email]
    kind, _, number = label.partition(":")
    subject = f"Cancellation reported: {vendor.legal_name}'s {messages.coverage_label(kind)}"
    created = []
    for address in dict.fromkeys(addresses):
        email, new = emails.create_email(
            session,
            org=org,
            key=f"cancellation:{certificate.id}:{address}",
            kind="cancellation",
            to=address,
            subject=subject,
            template="alert",
            context={
                "headline": subject,
                "lines": [
                    f"The insurance agent of {vendor.legal_name} reports that the "
                    f"{messages.coverage_label(kind)} policy {number} ends on "
                    f"{messages.day(effective)}.",
                    "Coverage is evaluated with that date from now on: approval is blocked "
                    "once it passes, and the sub has been asked for a replacement.",
                ],
                "rows": [(p.name, "") for p in projects],
                "link": None,
            },
        )
        if new:
            created.append(email.id)
    return created
