"""`coverwatch mail-receiver`: an SMTP server (aiosmtpd) for the organizations' addresses."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from starlette.concurrency import run_in_threadpool

from coverwatch.db import session_scope
from coverwatch.outreach import inbound

log = logging.getLogger(__name__)
# Certificates with endorsement pages are a few MB; the upload limit applies per attachment.
MAX_MESSAGE_BYTES = 40 * 1024 * 1024


class InboundHandler:
    """Accepts every message and files it; the raw message is stored before 250 is answered."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        try:
            message_id = await run_in_threadpool(
                _receive, raw, list(envelope.rcpt_tos), envelope.mail_from or ""
            )
        except Exception:  # answer 451 so the sender retries; nothing is lost
            log.exception("could not store an inbound message")
            return "451 4.3.0 could not store the message, try again later"
        log.info("inbound message %s stored", message_id)
        return "250 2.0.0 stored"


def _receive(raw: bytes, rcpt_tos: list[str], mail_from: str) -> int:
    with session_scope() as session:
        row = inbound.receive(session, raw=raw, envelope_to=rcpt_tos, envelope_from=mail_from)
        return row.id


def make_controller(*, host: str, port: int) -> Controller:
    """The receiving server, not yet started."""
    return Controller(InboundHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)


def serve(*, host: str, port: int) -> None:
    """Run the receiver until interrupted."""
    controller = make_controller(host=host, port=port)
    controller.start()
    log.info("mail receiver on %s:%s", host, port)
    try:
        asyncio.run(_forever())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


async def _forever() -> None:
    while True:
        await asyncio.sleep(3600)
