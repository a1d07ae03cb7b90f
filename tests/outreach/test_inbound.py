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
from coverwatch.server import free_port
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, requests_of
from tests.outreach.signing import as_sent, signed
from tests.samples import drawn_certificate


@pytest.fixture
def receiver(dkim_dns: None) -> Iterator[int]:
    """The inbound mail server on a loopback port."""
    port = free_port()
    controller = make_controller(host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _send(
    port: int,
    *,
    sender: str,
    to: str,
    subject: str,
    pdf: bytes | None,
    signed_by: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a message; by default signed with DKIM by the sender's own domain."""
    message = EmailMessage()
    for name, value in (headers or {}).items():
        message[name] = value
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Certificate attached.")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="coi.pdf")
    domain = sender.rpartition("@")[2] if signed_by is None else signed_by
    raw = signed(message, domain=domain) if domain else as_sent(message)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(sender, [to], raw)


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


def test_a_forged_sender_is_kept_for_review_and_a_proven_one_is_filed(
    client: TestClient, tenant: Tenant, receiver: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coverwatch.settings import get_settings

    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    pdf, _ = drawn_certificate()
    to = f"{tenant.slug}@inbound.example"
    # Anyone can write a contact's address in From:; unsigned, or signed by another domain.
    _send(receiver, sender=SUB, to=to, subject="COI", pdf=pdf, signed_by="")
    _send(receiver, sender=SUB, to=to, subject="COI", pdf=pdf, signed_by="forger.example")
    # A verdict claimed in a header by a server nobody trusts proves nothing either.
    claimed = {
        "Authentication-Results": "mx.forger.example; dmarc=pass header.from=acme-roofing.example"
    }
    _send(receiver, sender=SUB, to=to, subject="COI", pdf=pdf, signed_by="", headers=claimed)
    unsigned, other_domain, untrusted = _messages()
    for row in (unsigned, other_domain, untrusted):
        assert row.state == "review" and row.certificate_ids == [], row.reason
        assert "could not be authenticated" in row.reason and "Acme Roofing" in row.reason
    assert "no DKIM signature of acme-roofing.example" in unsigned.reason
    # The GC's own receiving server, trusted by the operator, vouches for the next one.
    monkeypatch.setattr(get_settings(), "inbound_trusted_authserv_ids", "mx.summit.example")
    vouched = {
        "Authentication-Results": "mx.summit.example; dkim=pass header.d=acme-roofing.example"
    }
    _send(receiver, sender=SUB, to=to, subject="COI", pdf=pdf, signed_by="", headers=vouched)
    # And a message DKIM-signed by the sender's domain is filed by itself.
    _send(receiver, sender=SUB, to=to, subject="COI", pdf=pdf)
    *_, by_server, by_signature = _messages()
    assert by_server.state == by_signature.state == "matched"
    assert by_signature.vendor_id == sub.vendor_id and len(by_signature.certificate_ids) == 1


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
