"""The parse job: safe to run twice, and picked up again when a crash lost it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from coverwatch.audit.models import AuditEvent
from coverwatch.certificates import service
from coverwatch.certificates.models import Certificate
from coverwatch.certificates.tasks import parse_certificate_job, reconcile_received
from coverwatch.db import session_scope
from coverwatch.orgs.service import create_organization
from coverwatch.vendors.schemas import VendorIn
from coverwatch.vendors.service import create_vendor
from tests.samples import drawn_certificate


def _received(*, age: timedelta) -> int:
    pdf, data = drawn_certificate()
    with session_scope() as session:
        org = create_organization(session, name="Summit Builders, Inc.")
        vendor = create_vendor(
            session,
            org_id=org.id,
            actor="test",
            data=VendorIn(legal_name=data.insured.name or "Sub LLC"),
        )
        document = service.store_document(
            session,
            org_id=org.id,
            content=pdf,
            content_type="application/pdf",
            filename="c.pdf",
            uploaded_by="test",
        )
        certificate = service.receive_document(
            session, vendor=vendor, document=document, actor="test", source="api"
        )
        # As if the upload committed but the process died before the job was enqueued.
        certificate.received_at = certificate.received_at - age
        return certificate.id


def test_a_lost_parse_job_is_enqueued_again(engine: Engine) -> None:
    certificate_id = _received(age=timedelta(minutes=10))
    assert reconcile_received() == [certificate_id]
    with session_scope() as session:
        certificate = session.get(Certificate, certificate_id)
        assert certificate is not None and certificate.state == "parsed"
    assert reconcile_received() == []


def test_running_the_parse_job_twice_reads_once(engine: Engine) -> None:
    certificate_id = _received(age=timedelta(0))
    # `call_local` runs the task body itself, as a worker does, and returns its value.
    assert parse_certificate_job.call_local(certificate_id) == "parsed"
    assert parse_certificate_job.call_local(certificate_id) is None
    with session_scope() as session:
        reads = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "certificate_read", AuditEvent.entity_id == certificate_id
            )
        ).all()
        assert len(reads) == 1
