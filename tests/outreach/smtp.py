"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts, for the mail tests."""

from __future__ import annotations

import socket
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller

from coverwatch.server import free_port


class Inbox:
    """The aiosmtpd handler: accepts (or, when told to, defers) and keeps each message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.defer_next = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.defer_next:
            self.defer_next -= 1
            return "451 4.3.0 try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages whose envelope included `address`."""
        return [
            m
            for m, (_, rcpts) in zip(self.messages, self.envelopes, strict=True)
            if address in rcpts
        ]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 in a thread, started and stopped by the fixture."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """The `COVERWATCH_SMTP_URL` of this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class SilentServer:
    """Accepts TCP connections and never says a word: a mail server that hangs mid-send."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = int(self.socket.getsockname()[1])
        self.accepted = threading.Event()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self._held.append(connection)
            self.accepted.set()

    def close(self) -> None:
        """Stop listening and drop held connections."""
        for connection in self._held:
            connection.close()
        self.socket.close()
