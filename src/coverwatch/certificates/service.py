"""Certificates on file for a vendor, with their policies normalized for queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.certificates import copies
from coverwatch.certificates.models import Certificate, Document, PolicyLimit, PolicyRow
from coverwatch.certificates.schemas import CertificateData
from coverwatch.db import utcnow
from coverwatch.errors import CoverwatchError, NotFound
from coverwatch.pagination import PageParams, paginate
from coverwatch.storage import get_store
from coverwatch.vendors.models import ProjectVendor, Vendor


def store_document(
    session: Session,
    *,
    org_id: int,
    content: bytes,
    content_type: str,
    filename: str,
    uploaded_by: str,
) -> Document:
    """Keep an uploaded file in the store and record it once per organization and hash."""
    digest = get_store().put(content)
    existing = session.scalar(
        select(Document).where(Document.org_id == org_id, Document.sha256 == digest)
    )
    if existing is not None:
        return existing
    document = Document(
        org_id=org_id,
        sha256=digest,
        size=len(content),
        content_type=content_type,
        filename=filename[:300],
        uploaded_by=uploaded_by,
    )
    session.add(document)
    session.flush()
    return document


def receive_document(
    session: Session, *, vendor: Vendor, document: Document, actor: str, source: str
) -> Certificate:
    """A certificate waiting to be read from an uploaded file (a parse job reads it)."""
    certificate = Certificate(
        org_id=vendor.org_id,
        vendor_id=vendor.id,
        document_id=document.id,
        state="received",
        data={},
        source=source,
        created_by=actor,
    )
    session.add(certificate)
    session.flush()
    audit.record(
        session,
        org_id=vendor.org_id,
        actor=actor,
        action="document_received",
        entity_type="certificate",
        entity_id=certificate.id,
        after={"vendor_id": vendor.id, "document_id": document.id, "sha256": document.sha256},
    )
    return certificate


def fill_certificate(session: Session, *, certificate: Certificate, data: CertificateData) -> None:
    """Record what was read from a received document; it now counts in evaluations."""
    certificate.data = data.model_dump(mode="json", by_alias=True)
    certificate.certificate_date = data.certificate_date
    certificate.confidence = data.confidence
    certificate.needs_review = list(data.needs_review)
    certificate.state = "parsed"
    session.flush()
    store_policies(session, certificate=certificate, data=data)
    audit.record(
        session,
        org_id=certificate.org_id,
        actor="system",
        action="certificate_read",
        entity_type="certificate",
        entity_id=certificate.id,
        after={
            "method": data.source.method,
            "policies": len(data.policies),
            "needs_review": list(data.needs_review),
        },
    )


def mark_failed(session: Session, *, certificate: Certificate, error: CoverwatchError) -> None:
    """Record that a document could not be read, with the reason a person can act on."""
    certificate.state = "failed"
    certificate.error = f"{error.code}: {error.message}"[:500]
    session.flush()
    audit.record(
        session,
        org_id=certificate.org_id,
        actor="system",
        action="certificate_unreadable",
        entity_type="certificate",
        entity_id=certificate.id,
        after={"code": error.code, "message": error.message},
    )


def add_certificate(
    session: Session,
    *,
    vendor: Vendor,
    data: CertificateData,
    actor: str,
    source: str = "api",
    document_id: int | None = None,
) -> Certificate:
    """Put a read certificate on file for the vendor (the caller re-evaluates the vendor)."""
    certificate = Certificate(
        org_id=vendor.org_id,
        vendor_id=vendor.id,
        document_id=document_id,
        state="parsed",
        data=data.model_dump(mode="json", by_alias=True),
        certificate_date=data.certificate_date,
        confidence=data.confidence,
        needs_review=list(data.needs_review),
        source=source,
        created_by=actor,
    )
    session.add(certificate)
    session.flush()
    store_policies(session, certificate=certificate, data=data)
    audit.record(
        session,
        org_id=vendor.org_id,
        actor=actor,
        action="certificate_added",
        entity_type="certificate",
        entity_id=certificate.id,
        after={"vendor_id": vendor.id, "source": source, "policies": len(data.policies)},
    )
    return certificate


def withdraw(session: Session, *, certificate: Certificate, actor: str) -> Certificate:
    """Take a certificate off file from now on (history before today still counts it)."""
    if certificate.withdrawn_at is None:
        certificate.withdrawn_at = utcnow()
        session.flush()
        audit.record(
            session,
            org_id=certificate.org_id,
            actor=actor,
            action="certificate_withdrawn",
            entity_type="certificate",
            entity_id=certificate.id,
        )
    return certificate


def get_certificate(session: Session, *, org_id: int, certificate_id: int) -> Certificate:
    """One of the organization's certificates."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None or certificate.org_id != org_id:
        raise NotFound(f"no certificate {certificate_id}")
    return certificate


def list_certificates(
    session: Session, *, org_id: int, params: PageParams, vendor_id: int | None = None
) -> tuple[list[Certificate], int]:
    """One page of certificates, newest first."""
    statement = select(Certificate).where(Certificate.org_id == org_id)
    if vendor_id is not None:
        statement = statement.where(Certificate.vendor_id == vendor_id)
    return paginate(session, statement.order_by(Certificate.id.desc()), params)


def on_file(
    session: Session, *, org_id: int, vendor_id: int, moment: datetime | None = None
) -> list[Certificate]:
    """The vendor's readable certificates on file at `moment` (now when None), newest first."""
    statement = select(Certificate).where(
        Certificate.org_id == org_id,
        Certificate.vendor_id == vendor_id,
        Certificate.state == "parsed",
    )
    if moment is None:
        statement = statement.where(Certificate.withdrawn_at.is_(None))
    else:
        statement = statement.where(
            Certificate.received_at < moment,
            or_(Certificate.withdrawn_at.is_(None), Certificate.withdrawn_at >= moment),
        )
    return list(
        session.scalars(statement.order_by(Certificate.received_at.desc(), Certificate.id.desc()))
    )


# Coverage another organization's vendor lets this one reuse (coverwatch.network adds itself):
# called with (session, org_id, vendor_id, moment) like `on_file`, it answers coverage only.
SharedSource = Callable[[Session, int, int, "datetime | None"], list[CertificateData]]
shared_sources: list[SharedSource] = []


def shared_view(
    session: Session, *, org_id: int, vendor_id: int, moment: datetime | None = None
) -> list[CertificateData]:
    """Coverage on file elsewhere in the network that the vendor lets this organization use."""
    return [
        data for source in shared_sources for data in source(session, org_id, vendor_id, moment)
    ]


def waiting_for_review(
    session: Session, *, org_id: int, limit: int | None = 200
) -> list[tuple[Certificate, Vendor, list[int]]]:
    """Certificates on file with fields to check, oldest first, with the vendor's project ids."""
    # Review flags are a JSON list; filtering in Python keeps SQLite and PostgreSQL alike.
    rows = session.scalars(
        select(Certificate)
        .where(
            Certificate.org_id == org_id,
            Certificate.state == "parsed",
            Certificate.withdrawn_at.is_(None),
        )
        .order_by(Certificate.received_at, Certificate.id)
    )
    found = []
    for certificate in rows:
        if not certificate.needs_review or not open_flags(session, certificate=certificate):
            continue
        vendor = session.get(Vendor, certificate.vendor_id)
        assert vendor is not None
        project_vendor_ids = list(
            session.scalars(
                select(ProjectVendor.id).where(
                    ProjectVendor.vendor_id == vendor.id, ProjectVendor.tracking.is_(True)
                )
            )
        )
        found.append((certificate, vendor, project_vendor_ids))
        if limit is not None and len(found) >= limit:
            break
    return found


def open_flags(session: Session, *, certificate: Certificate) -> list[str]:
    """A certificate's unsure fields that no surer copy on file of the same policies answers."""
    documents = on_file(session, org_id=certificate.org_id, vendor_id=certificate.vendor_id)
    for document, data in zip(documents, current_view(documents), strict=True):
        if document.id == certificate.id:
            return data.needs_review
    return list(certificate.needs_review)


def current_view(certificates: list[Certificate]) -> list[CertificateData]:
    """The certificates on file (newest first) as the engine should see them: each policy once.

    Without this, an old certificate showing higher limits would hide a replacement that
    lowered them, and a phone photo of a certificate already read from its PDF would put
    its misreadings in place of sure values (certificates.copies).
    """
    return copies.combine([CertificateData.model_validate(c.data) for c in certificates])


def store_policies(session: Session, *, certificate: Certificate, data: CertificateData) -> None:
    """Write a certificate's policies and limits as rows, for expiry sweeps and reports."""
    for policy in data.policies:
        insurer = data.insurer(policy.insurer_letter)
        row = PolicyRow(
            org_id=certificate.org_id,
            certificate_id=certificate.id,
            vendor_id=certificate.vendor_id,
            type=policy.type,
            insurer_name=insurer.name if insurer else None,
            naic=insurer.naic if insurer else None,
            policy_number=policy.policy_number,
            effective_date=policy.effective_date,
            expiration_date=policy.expiration_date,
            claims_made=policy.claims_made,
        )
        session.add(row)
        session.flush()
        for key, amount in policy.limits.items():
            session.add(
                PolicyLimit(org_id=certificate.org_id, policy_id=row.id, key=key, amount=amount)
            )
    session.flush()
