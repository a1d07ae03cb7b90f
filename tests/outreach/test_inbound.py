"""Inbound email through the real receiver (aiosmtpd) on loopback, sent with smtplib."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.outreach.models import InboundMessage
from coverwatch.outreach.receiver import make_controller
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, requests_of
from tests.outreach.smtp import free_port
from tests.samples import drawn_certificate


@pytest.fixture
def receiver() -> Iterator[int]:
    """The inbound mail server on a loopback port."""
    port = free_port()
    controller = make_controller(host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _send(port: int, *, sender: str, to: str, subject: str, pdf: bytes | None) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Certificate attached.")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="coi.pdf")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.send_message(message)


def _messages() -> list[InboundMessage]:
    with session_scope() as session:
        rows = list(session.query(InboundMessage).order_by(InboundMessage.id))
        session.expunge_all()
        return rows


def test_a_reply_to_the_request_address_files_the_attachment_on_that_vendor(
    client: TestClient, tenant: Tenant, receiver: int
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    [request] = requests_of(sub.vendor_id)
    pdf, _ = drawn_certificate()
    _send(
        receiver,
        sender="someone@elsewhere.example",
        to=f"{tenant.slug}+{request.reply_token}@inbound.example",
        subject="Re: certificate",
        pdf=pdf,
    )
    [message] = _messages()
    assert message.state == "matched" and message.vendor_id == sub.vendor_id
    assert message.request_id == request.id and len(message.certificate_ids) == 1
    certificates = client.get(
        f"/api/v1/vendors/{sub.vendor_id}/certificates", headers=tenant.headers("admin")
    ).json()["items"]
    assert [c["source"] for c in certificates] == ["email"]


def test_mail_from_a_known_contact_is_matched_by_sender_and_anything_else_is_kept_for_review(
    client: TestClient, tenant: Tenant, receiver: int
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    pdf, _ = drawn_certificate()
    _send(receiver, sender=SUB, to=f"{tenant.slug}@inbound.example", subject="COI", pdf=pdf)
    _send(
        receiver, sender="stranger@x.example", to=f"{tenant.slug}@in.example", subject="hi", pdf=pdf
    )
    _send(receiver, sender=SUB, to=f"{tenant.slug}@inbound.example", subject="no file", pdf=None)
    _send(receiver, sender=SUB, to="nobody@inbound.example", subject="lost?", pdf=pdf)
    known, stranger, empty, unknown_org = _messages()
    assert known.state == "matched" and known.vendor_id == sub.vendor_id
    assert stranger.state == "review" and "not a known vendor contact" in stranger.reason
    assert empty.state == "review" and empty.reason == "no certificate attached"
    assert unknown_org.state == "review" and unknown_org.org_id is None
    queue = client.get(
        "/api/v1/inbound-messages?state=review", headers=tenant.headers("admin")
    ).json()
    assert queue["total"] == 2
    filed = client.post(
        f"/api/v1/inbound-messages/{stranger.id}/file",
        headers=tenant.headers("admin"),
        json={"vendor_id": sub.vendor_id},
    )
    assert filed.status_code == 200 and filed.json()["state"] == "done"
