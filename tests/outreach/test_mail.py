"""Emails over a real SMTP server on loopback: headers, bodies, links, retries, a killed worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.outreach.emails import SENDING_LEASE
from coverwatch.outreach.models import OutboundEmail
from coverwatch.outreach.tasks import resend_due
from coverwatch.settings import get_settings
from tests.conftest import REPO
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, emails_to
from tests.outreach.smtp import SilentServer, SmtpServer


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A real SMTP server, and coverwatch pointed at it."""
    with SmtpServer() as server:
        monkeypatch.setattr(get_settings(), "smtp_url", server.url)
        yield server


def test_the_collection_request_arrives_by_smtp_with_a_link_that_opens_the_portal(
    client: TestClient, tenant: Tenant, smtp: SmtpServer
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    [message] = smtp.inbox.to(SUB)
    assert message["From"].addresses[0].display_name == "Summit Builders, Inc."
    assert message["Message-ID"].endswith("@coverwatch>")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Harbor View Tower" in text and "<a href=" in html
    link = re.search(r"https?://[^/\s]+(/r/[\w.\-]+)", text)
    assert link is not None
    assert "Upload the certificate" in client.get(link.group(1)).text
    [stored] = emails_to(SUB)
    assert stored.state == "sent" and stored.attempts == 1


def test_a_deferred_send_is_retried_later_and_sent_once(
    client: TestClient, tenant: Tenant, smtp: SmtpServer
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    smtp.inbox.defer_next = 1
    add_sub(client, tenant)
    [stored] = emails_to(SUB)
    assert stored.state == "queued" and "try later" in (stored.last_error or "")
    assert resend_due() == []  # not due yet: backoff
    clock.travel(hours=1)
    assert resend_due() == [stored.id]
    assert resend_due() == []
    assert len(smtp.inbox.to(SUB)) == 1
    assert emails_to(SUB)[0].state == "sent"


def test_a_worker_killed_while_sending_gives_exactly_one_email_after_restart(
    client: TestClient, tenant: Tenant, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real time here: the child process sending the email runs on the real clock.
    add_sub(client, tenant)  # kept (no SMTP yet): make it pending again for the send below
    [stored] = emails_to(SUB)
    with session_scope() as session:
        email = session.get(OutboundEmail, stored.id)
        assert email is not None
        email.state, email.sent_at, email.attempts = "queued", None, 0
    silent = SilentServer()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env.update(
        COVERWATCH_DATA_DIR=os.environ["COVERWATCH_DATA_DIR"],
        COVERWATCH_DATABASE_URL=engine.url.render_as_string(hide_password=False),
        COVERWATCH_SMTP_URL=f"smtp://127.0.0.1:{silent.port}",
        PYTHONPATH=str(REPO),
    )
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("send_child.py")), str(stored.id)], env=env
    )
    try:
        assert silent.accepted.wait(30), "the worker never reached the mail server"
        time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        silent.close()
    assert emails_to(SUB)[0].state == "sending"
    with SmtpServer() as server:
        monkeypatch.setattr(get_settings(), "smtp_url", server.url)
        assert resend_due() == []  # the dead worker's lease still holds
        clock.travel(hours=SENDING_LEASE.total_seconds() / 3600 + 0.1)
        assert resend_due() == [stored.id]
        resend_due()
        assert len(server.inbox.to(SUB)) == 1
    assert emails_to(SUB)[0].state == "sent"
