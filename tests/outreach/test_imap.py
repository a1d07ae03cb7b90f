"""The IMAP poller against a real IMAP server on loopback (pymap, in-memory backend)."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.errors import InvalidInput, NotFound
from coverwatch.outreach import imap
from coverwatch.outreach.imap import (
    MailboxUnavailable,
    imap_poll_command,
    poll_mailbox,
    run_forever,
)
from coverwatch.outreach.models import InboundMessage
from coverwatch.server import free_port
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, requests_of
from tests.outreach.signing import signed
from tests.samples import drawn_certificate

USER = "coi@summit.example"
# Characters that must be percent-encoded in the URL, to prove the credentials are decoded.
PASSWORD = "p@ss word/%:"
GC_ADDRESS = "coi@summit.example"


@dataclass
class Mailbox:
    """A running IMAP server with one user, and how to reach it."""

    port: int

    def url(self, *, password: str = PASSWORD) -> str:
        """The poller's URL, credentials percent-encoded."""
        return f"imap://{quote(USER, safe='')}:{quote(password, safe='')}@127.0.0.1:{self.port}"

    def connect(self) -> imaplib.IMAP4:
        """A separate client, as the GC's own mail program would be."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(f'"{USER}"', PASSWORD)
        return client

    def append(self, message: EmailMessage, folder: str = "INBOX") -> None:
        """Deliver a message to the mailbox, unread, DKIM-signed by its sender's domain."""
        raw = signed(message, domain=str(message["From"]).rpartition("@")[2])
        client = self.connect()
        try:
            typ, data = client.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            client.logout()

    def unseen(self, folder: str = "INBOX") -> int:
        """How many messages in the folder are not flagged \\Seen."""
        client = self.connect()
        try:
            client.select(folder, readonly=True)
            _typ, data = client.uid("SEARCH", None, "UNSEEN")
            return len((data[0] or b"").split())
        finally:
            client.logout()

    def seen(self, folder: str = "INBOX") -> int:
        """How many messages in the folder are flagged \\Seen."""
        client = self.connect()
        try:
            client.select(folder, readonly=True)
            _typ, data = client.uid("SEARCH", None, "SEEN")
            return len((data[0] or b"").split())
        finally:
            client.logout()


@pytest.fixture
def mailbox(dkim_dns: None) -> Iterator[Mailbox]:
    """pymap's in-memory server on a loopback port, with the GC's mailbox user."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pymap.main import main; main()",
            *("--host", "127.0.0.1", "--port", str(port), "--no-tls"),
            *("dict", "--demo-user", USER, "--demo-password", PASSWORD),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "pymap did not start"
                time.sleep(0.05)
        yield Mailbox(port)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _message(*, sender: str, to: str, subject: str, pdf: bytes | None) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content("Certificate attached.")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="coi.pdf")
    return message


def _messages() -> list[InboundMessage]:
    with session_scope() as session:
        rows = list(session.query(InboundMessage).order_by(InboundMessage.id))
        session.expunge_all()
        return rows


def test_a_certificate_from_a_known_contact_is_filed_marked_seen_and_not_filed_twice(
    client: TestClient, tenant: Tenant, mailbox: Mailbox
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    pdf, _ = drawn_certificate()
    mailbox.append(_message(sender=SUB, to=GC_ADDRESS, subject="Our COI", pdf=pdf))
    assert mailbox.unseen() == 1

    filed = poll_mailbox(url=mailbox.url(), org_slug=tenant.slug)

    [message] = _messages()
    assert filed == [message.id]
    assert message.org_id == tenant.org_id and message.state == "matched"
    assert message.vendor_id == sub.vendor_id and len(message.certificate_ids) == 1
    assert f"{tenant.slug}@imap" in message.recipients and GC_ADDRESS in message.recipients
    certificates = client.get(
        f"/api/v1/vendors/{sub.vendor_id}/certificates", headers=tenant.headers("admin")
    ).json()["items"]
    assert [c["source"] for c in certificates] == ["email"]
    assert (mailbox.unseen(), mailbox.seen()) == (0, 1)

    assert poll_mailbox(url=mailbox.url(), org_slug=tenant.slug) == []
    assert len(_messages()) == 1


def test_a_stranger_lands_in_review_and_nothing_leaves_the_mailbox_owner(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, mailbox: Mailbox
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    pdf, _ = drawn_certificate()
    mailbox.append(_message(sender="stranger@x.example", to=GC_ADDRESS, subject="hi", pdf=pdf))
    # Addressed to another organization's slug: still this mailbox's owner's message.
    mailbox.append(
        _message(sender=SUB, to=f"{other_tenant.slug}@x.example", subject="COI", pdf=pdf)
    )

    filed = poll_mailbox(url=mailbox.url(), org_slug=tenant.slug)

    stranger, misaddressed = _messages()
    assert filed == [stranger.id, misaddressed.id]
    assert stranger.org_id == tenant.org_id and stranger.state == "review"
    assert "not a known vendor contact" in stranger.reason and stranger.certificate_ids == []
    assert misaddressed.org_id == tenant.org_id and misaddressed.state == "matched"
    assert mailbox.unseen() == 0


def test_a_reply_token_in_the_address_names_the_request(
    client: TestClient, tenant: Tenant, mailbox: Mailbox
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    [request] = requests_of(sub.vendor_id)
    pdf, _ = drawn_certificate()
    mailbox.append(
        _message(
            sender="someone@elsewhere.example",
            to=f"{tenant.slug}+{request.reply_token}@forwarded.example",
            subject="Re: certificate",
            pdf=pdf,
        )
    )

    poll_mailbox(url=mailbox.url(), org_slug=tenant.slug)

    [message] = _messages()
    assert message.request_id == request.id and message.vendor_id == sub.vendor_id
    assert message.state == "matched"


def test_a_failure_before_the_commit_leaves_the_message_unread_for_the_next_poll(
    client: TestClient, tenant: Tenant, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    pdf, _ = drawn_certificate()
    mailbox.append(_message(sender=SUB, to=GC_ADDRESS, subject="COI", pdf=pdf))
    receive = imap.inbound.receive

    def broken(*args: Any, **kwargs: Any) -> Any:
        receive(*args, **kwargs)  # the row is written, then the unit of work fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(imap.inbound, "receive", broken)
    assert poll_mailbox(url=mailbox.url(), org_slug=tenant.slug) == []
    assert _messages() == [] and mailbox.unseen() == 1

    monkeypatch.setattr(imap.inbound, "receive", receive)
    assert len(poll_mailbox(url=mailbox.url(), org_slug=tenant.slug)) == 1
    assert mailbox.unseen() == 0


def test_the_limit_leaves_the_rest_for_the_next_poll(tenant: Tenant, mailbox: Mailbox) -> None:
    for n in range(3):
        mailbox.append(_message(sender=SUB, to=GC_ADDRESS, subject=f"no file {n}", pdf=None))
    assert len(poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, limit=2)) == 2
    assert mailbox.unseen() == 1
    assert len(poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, limit=2)) == 1


def test_other_folders_can_be_polled(tenant: Tenant, mailbox: Mailbox) -> None:
    client = mailbox.connect()
    client.create('"Insurance Certs"')
    client.logout()
    mailbox.append(
        _message(sender=SUB, to=GC_ADDRESS, subject="COI", pdf=None), '"Insurance Certs"'
    )
    filed = poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, folder="Insurance Certs")
    assert len(filed) == 1


def test_a_folder_with_a_name_beyond_ascii_is_polled(tenant: Tenant, mailbox: Mailbox) -> None:
    from imapclient import IMAPClient

    folder = "Seguros Año 2026 · Цертификаты"
    # The GC's own mail program creates and fills the folder (names go in modified UTF-7).
    other = IMAPClient("127.0.0.1", port=mailbox.port, ssl=False, timeout=10)
    other.login(USER, PASSWORD)
    other.create_folder(folder)
    message = _message(sender=SUB, to=GC_ADDRESS, subject="COI", pdf=None)
    other.append(folder, message.as_bytes())
    other.logout()
    filed = poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, folder=folder)
    assert len(filed) == 1
    assert poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, folder=folder) == []


def test_a_wrong_password_is_refused_clearly_without_echoing_it(
    tenant: Tenant, mailbox: Mailbox
) -> None:
    with pytest.raises(MailboxUnavailable) as raised:
        poll_mailbox(url=mailbox.url(password="not-it"), org_slug=tenant.slug)
    error = raised.value
    assert error.status_code == 503 and error.code == "mailbox_unavailable"
    assert "login refused" in error.message and USER in error.message
    assert "not-it" not in error.message
    assert f"127.0.0.1:{mailbox.port}" in error.message


def test_a_missing_folder_is_unavailable(tenant: Tenant, mailbox: Mailbox) -> None:
    with pytest.raises(MailboxUnavailable) as raised:
        poll_mailbox(url=mailbox.url(), org_slug=tenant.slug, folder="Nope")
    assert raised.value.message.startswith("cannot open ")
    assert f"@127.0.0.1:{mailbox.port}/Nope: " in raised.value.message


def test_a_server_that_is_down_is_unavailable(tenant: Tenant) -> None:
    port = free_port()  # nothing listens there
    url = f"imap://u:secret@127.0.0.1:{port}"
    with pytest.raises(MailboxUnavailable) as raised:
        poll_mailbox(url=url, org_slug=tenant.slug)
    assert raised.value.message.startswith(f"cannot reach imap://u@127.0.0.1:{port}/INBOX: ")
    assert "secret" not in raised.value.message


def test_the_loop_logs_failures_and_keeps_polling(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sleeps: list[float] = []

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise Stop

    monkeypatch.setattr(imap.time, "sleep", sleep)
    url = f"imap://u:p@127.0.0.1:{free_port()}"
    with pytest.raises(Stop):
        run_forever(url=url, org_slug=tenant.slug, folder="INBOX", every_seconds=60)
    assert sleeps == [60, 60, 60]
    assert sum("cannot reach" in r.getMessage() for r in caplog.records) == 3


def test_the_command_polls_once_and_refuses_an_unknown_organization(
    tenant: Tenant, mailbox: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    mailbox.append(_message(sender=SUB, to=GC_ADDRESS, subject="no file", pdf=None))
    imap_poll_command(mailbox.url(), tenant.slug, "INBOX", True, 60)
    assert capsys.readouterr().out.startswith("filed 1 message(s): [")
    with pytest.raises(NotFound, match="no organization 'nobody'"):
        imap_poll_command(mailbox.url(), "nobody", "INBOX", True, 60)
    with pytest.raises(InvalidInput, match="imap://user:pass@host") as raised:
        imap_poll_command("pop3://u:secret@host", tenant.slug, "INBOX", True, 60)
    assert "secret" not in raised.value.message
