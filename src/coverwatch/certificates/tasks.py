"""Jobs of the certificates domain: reading an uploaded document."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import events
from coverwatch.certificates import service
from coverwatch.certificates.models import Certificate, Document
from coverwatch.certificates.uploads import check_upload
from coverwatch.db import after_commit, session_scope, utcnow
from coverwatch.errors import CoverwatchError
from coverwatch.jobs import huey
from coverwatch.settings import get_settings
from coverwatch.storage import get_store
from coverwatch.vendors.models import Vendor

log = logging.getLogger(__name__)
_settings = get_settings()


@huey.task(retries=2, retry_delay=30)
def parse_certificate_job(certificate_id: int) -> str | None:
    """Read a received document into its certificate and evaluate the vendor; safe to repeat."""
    from coverwatch.parsing.document import parse_document

    with session_scope() as session:
        certificate = session.get(Certificate, certificate_id)
        if certificate is None or certificate.state != "received":
            return None  # already read (a duplicate or retried job): nothing to do
        document = session.get(Document, certificate.document_id)
        assert document is not None
        content = get_store().get(document.sha256)
    # Parsing runs outside any transaction: it can take seconds and needs no database.
    try:
        data = parse_document(content, filename=document.filename)
    except CoverwatchError as exc:
        with session_scope() as session:
            certificate = session.get(Certificate, certificate_id)
            if certificate is not None and certificate.state == "received":
                service.mark_failed(session, certificate=certificate, error=exc)
        return "failed"
    with session_scope() as session:
        certificate = session.get(Certificate, certificate_id)
        if certificate is None or certificate.state != "received":
            return None
        service.fill_certificate(session, certificate=certificate, data=data)
        # Compliance listens and evaluates the vendor in this same transaction.
        events.emit(
            session,
            events.CertificateRead(
                org_id=certificate.org_id,
                vendor_id=certificate.vendor_id,
                certificate_id=certificate.id,
            ),
        )
        return certificate.state


def receive_file(
    session: Session, *, vendor: Vendor, filename: str, content: bytes, actor: str, source: str
) -> Certificate:
    """Check, store and record an uploaded file, and read it once committed (or raise why not)."""
    media_type = check_upload(content, filename=filename, max_bytes=_settings.max_upload_bytes)
    document = service.store_document(
        session,
        org_id=vendor.org_id,
        content=content,
        content_type=media_type,
        filename=filename,
        uploaded_by=actor,
    )
    certificate = service.receive_document(
        session, vendor=vendor, document=document, actor=actor, source=source
    )
    enqueue_parse_after_commit(session, certificate.id)
    return certificate


def enqueue_parse_after_commit(session: Session, certificate_id: int) -> None:
    """Enqueue reading a certificate once the upload is committed."""
    after_commit(session, lambda: parse_certificate_job(certificate_id))


def reconcile_received(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Re-enqueue documents whose reading was lost (a crash between commit and enqueue)."""
    with session_scope() as session:
        ids = list(
            session.scalars(
                select(Certificate.id).where(
                    Certificate.state == "received",
                    Certificate.received_at < utcnow() - older_than,
                )
            )
        )
    for certificate_id in ids:
        parse_certificate_job(certificate_id)
    return ids


@huey.periodic_task(crontab(minute=f"*/{max(1, _settings.reconcile_minutes)}"))
def reconcile_received_job() -> int:
    """Periodic reconciler for documents stuck before reading."""
    return len(reconcile_received())
