"""`coverwatch imap-poll`: file the certificates that arrive in a GC's own mailbox (IMAP).

Unread messages are fetched without marking them read, each is filed like a message to the SMTP
receiver (`inbound.receive`), and only once that is committed is it flagged \\Seen. A crash in
between leaves the message unread, so it is filed on the next poll: delivery is at least once.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import time
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from urllib.parse import unquote, urlsplit

from imapclient import SEEN, IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError, InvalidInput, NotFound
from coverwatch.orgs.models import Organization
from coverwatch.outreach import inbound
from coverwatch.settings import get_settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30.0
_PORTS = {"imap": 143, "imaps": 993}


class MailboxUnavailable(CoverwatchError):
    """The IMAP mailbox could not be reached, refused the login, or has no such folder."""

    status_code = 503
    code = "mailbox_unavailable"


def poll_mailbox(*, url: str, org_slug: str, folder: str = "INBOX", limit: int = 100) -> list[int]:
    """File up to `limit` unread messages of the mailbox for the organization; their ids."""
    scheme, host, port, user, password = _parse_url(url)
    _require_org(org_slug)
    where = f"{scheme}://{user}@{host}:{port}/{folder}"
    filed: list[int] = []
    try:
        client = _connect(scheme, host, port)
    except (OSError, IMAPClientError) as exc:
        raise MailboxUnavailable(f"cannot reach {where}: {_describe(exc)}") from exc
    try:
        try:
            client.login(user, password)
        except LoginError as exc:
            raise MailboxUnavailable(f"login refused by {where}: {_describe(exc)}") from exc
        try:
            # IMAPClient writes the folder name in IMAP's modified UTF-7 ("Año" and the like).
            client.select_folder(folder)
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            raise MailboxUnavailable(f"cannot open {where}: {_describe(exc)}") from exc
        # UIDs, not sequence numbers: they stay valid between the fetch and the \Seen flag.
        for uid in sorted(client.search(["UNSEEN"]))[:limit]:
            message_id = _file_one(client, uid=uid, org_slug=org_slug, where=where)
            if message_id is not None:
                log.info("message %s of %s filed as inbound %s", uid, where, message_id)
                filed.append(message_id)
    except (IMAPClientError, OSError) as exc:
        raise MailboxUnavailable(f"lost {where}: {_describe(exc)}") from exc
    finally:
        _close(client)
    return filed


def run_forever(*, url: str, org_slug: str, folder: str, every_seconds: int) -> None:
    """Poll the mailbox every `every_seconds` until interrupted; errors are logged, not fatal."""
    while True:
        try:
            filed = poll_mailbox(url=url, org_slug=org_slug, folder=folder)
        except MailboxUnavailable as exc:
            log.warning("%s", exc.message)
        except Exception:  # a database outage passes; the next poll retries what was left unread
            log.exception("polling the mailbox failed")
        else:
            if filed:
                log.info("filed %d message(s) from the mailbox: %s", len(filed), filed)
        time.sleep(every_seconds)


def imap_poll_command(url: str, org: str, folder: str, once: bool, every: int) -> None:
    """The `coverwatch imap-poll` command: poll once, or keep polling every `every` seconds."""
    # A mistyped URL or organization is reported at once instead of being retried forever.
    _parse_url(url)
    _require_org(org)
    if once:
        filed = poll_mailbox(url=url, org_slug=org, folder=folder)
        print(f"filed {len(filed)} message(s)" + (f": {filed}" if filed else ""))
        return
    print(f"polling {_safe(url)} folder {folder} every {every}s for {org}; Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        run_forever(url=url, org_slug=org, folder=folder, every_seconds=every)


def _file_one(client: IMAPClient, *, uid: int, org_slug: str, where: str) -> int | None:
    # PEEK leaves the message unread on the server until it has been committed here.
    fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
    raw = fetched.get(b"BODY[]")
    if not isinstance(raw, bytes):
        # Deleted by another client since the search: nothing to file.
        log.warning("message %s vanished from %s", uid, where)
        return None
    try:
        with session_scope() as session:
            row = inbound.receive(
                session,
                raw=raw,
                envelope_to=_envelope_to(raw, org_slug=org_slug),
                envelope_from=_return_path(raw),
            )
            message_id = row.id
    except Exception:  # one unreadable message must not hold up the rest; it stays unread
        log.exception("could not file message %s from %s", uid, where)
        return None
    try:
        client.add_flags([uid], [SEEN], silent=True)
    except IMAPClientError as exc:
        # Filed but still unread: the next poll files it again (at least once, never lost).
        log.warning("could not mark message %s seen on %s: %s", uid, where, _describe(exc))
    return message_id


def _envelope_to(raw: bytes, *, org_slug: str) -> list[str]:
    # The mailbox is the GC's own, so its address says nothing to `inbound`: an address whose
    # local part is the slug names the organization. The message's own addresses of this
    # organization go first because they may carry a reply token (slug+TOKEN@domain); the
    # others are recorded by `inbound` but come after, so a message in this mailbox can never
    # be filed on another organization.
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    own = [
        address
        for _, address in getaddresses(
            [str(v) for v in headers.get_all("To", []) + headers.get_all("Cc", [])]
        )
        if address.partition("@")[0].partition("+")[0].lower() == org_slug.lower()
    ]
    domain = get_settings().inbound_domain or "imap"
    return [*own, f"{org_slug}@{domain}"]


def _return_path(raw: bytes) -> str:
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    return parseaddr(str(headers.get("Return-Path", "")))[1]


def _parse_url(url: str) -> tuple[str, str, int, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in _PORTS or not parts.hostname:
        raise InvalidInput(f"{_safe(url)}: expected imap://user:pass@host[:port] or imaps://...")
    if not parts.username:
        raise InvalidInput(f"{_safe(url)}: the URL has no user name")
    try:
        port = parts.port or _PORTS[parts.scheme]
    except ValueError as exc:
        raise InvalidInput(f"{_safe(url)}: {exc}") from exc
    return (
        parts.scheme,
        parts.hostname,
        port,
        unquote(parts.username),
        unquote(parts.password or ""),
    )


def _require_org(slug: str) -> None:
    with session_scope() as session:
        if session.scalar(select(Organization.id).where(Organization.slug == slug)) is None:
            raise NotFound(f"no organization {slug!r}")


def _connect(scheme: str, host: str, port: int) -> IMAPClient:
    secure = scheme == "imaps"
    return IMAPClient(
        host,
        port=port,
        ssl=secure,
        ssl_context=ssl.create_default_context() if secure else None,
        timeout=TIMEOUT_SECONDS,
    )


def _close(client: IMAPClient) -> None:
    # The work is committed and flagged by now; a failing goodbye must not turn it into an error.
    with contextlib.suppress(IMAPClientError, OSError):
        client.logout()


def _describe(error: BaseException) -> str:
    # The server's words, often bytes inside the exception.
    text = error.args[0] if error.args else ""
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    if isinstance(error, socket.timeout):
        return "timed out"
    return str(text) or error.__class__.__name__


def _safe(url: str) -> str:
    # Never print the password of a mailbox URL.
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.netloc.rpartition('@')[2]}"
    return parts._replace(netloc=netloc).geturl()
