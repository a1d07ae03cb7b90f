"""`coverwatch imap-poll`: file the certificates that arrive in a GC's own mailbox (IMAP).

Unread messages are fetched without marking them read, each is filed like a message to the SMTP
receiver (`inbound.receive`), and only once that is committed is it flagged \\Seen. A crash in
between leaves the message unread, so it is filed on the next poll: delivery is at least once.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
import time
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from urllib.parse import unquote, urlsplit

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
    except OSError as exc:
        raise MailboxUnavailable(f"cannot reach {where}: {_describe(exc)}") from exc
    try:
        try:
            client.login(_quote(user), password)
        except imaplib.IMAP4.abort:
            raise  # the connection dropped: reported as lost below, not as a wrong password
        except imaplib.IMAP4.error as exc:
            raise MailboxUnavailable(f"login refused by {where}: {_describe(exc)}") from exc
        typ, data = client.select(_quote(folder))
        if typ != "OK":
            raise MailboxUnavailable(f"cannot open {where}: {_describe(data)}")
        # UIDs, not sequence numbers: they stay valid between the fetch and the \Seen flag.
        typ, data = client.uid("SEARCH", "UNSEEN")
        if typ != "OK":
            raise MailboxUnavailable(f"cannot search {where}: {_describe(data)}")
        uids = [u.decode() for u in (data[0] or b"").split()[:limit]] if data else []
        for uid in uids:
            message_id = _file_one(client, uid=uid, org_slug=org_slug, where=where)
            if message_id is not None:
                log.info("message %s of %s filed as inbound %s", uid, where, message_id)
                filed.append(message_id)
    except (imaplib.IMAP4.error, OSError) as exc:
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


def _file_one(client: imaplib.IMAP4, *, uid: str, org_slug: str, where: str) -> int | None:
    # PEEK leaves the message unread on the server until it has been committed here.
    typ, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
    if typ != "OK" or not isinstance(raw, bytes):
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
    typ, data = client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)")
    if typ != "OK":
        # Filed but still unread: the next poll files it again (at least once, never lost).
        log.warning("could not mark message %s seen on %s: %s", uid, where, data)
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


def _connect(scheme: str, host: str, port: int) -> imaplib.IMAP4:
    if scheme == "imaps":
        return imaplib.IMAP4_SSL(
            host, port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
        )
    return imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)


def _close(client: imaplib.IMAP4) -> None:
    # The work is committed and flagged by now; a failing goodbye must not turn it into an error.
    try:
        if client.state == "SELECTED":
            client.close()
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def _quote(value: str) -> str:
    # imaplib sends user and folder names as they are; a space or quote would split them.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _describe(error: object) -> str:
    # imaplib's messages are server bytes, often wrapped in a list.
    if isinstance(error, list):
        error = b" ".join(e for e in error if isinstance(e, bytes))
    if isinstance(error, imaplib.IMAP4.error) and error.args:
        error = error.args[0]
    if isinstance(error, bytes):
        return error.decode(errors="replace")
    text = str(error)
    return text or error.__class__.__name__


def _safe(url: str) -> str:
    # Never print the password of a mailbox URL.
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.netloc.rpartition('@')[2]}"
    return parts._replace(netloc=netloc).geturl()
