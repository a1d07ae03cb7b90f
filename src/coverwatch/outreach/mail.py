"""Emails: rendered from Jinja2 templates (HTML and text), sent over SMTP or kept for the mailbox.

SMTP errors are translated here, at the boundary: a refusal for good is `MailUndeliverable`,
anything worth retrying (no connection, a 4xx answer, a timeout) is `MailServerUnavailable`.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from coverwatch import clock
from coverwatch.errors import MailServerUnavailable, MailUndeliverable
from coverwatch.outreach.models import OutboundEmail
from coverwatch.settings import get_settings

_TEMPLATES = Path(__file__).resolve().parent / "templates" / "email"
_env = Environment(
    loader=FileSystemLoader(str(_TEMPLATES)),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=False,
    keep_trailing_newline=True,
)


def render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of template `name` (name.txt, name.html)."""
    text = _env.get_template(f"{name}.txt").render(**context)
    html = _env.get_template(f"{name}.html").render(**context)
    return text, html


def build_message(email: OutboundEmail) -> EmailMessage:
    """The MIME message of a stored email: text with an HTML alternative."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = formataddr((email.from_name, settings.mail_from))
    message["To"] = email.to_address
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject
    # Stable across retries, so a mail client can tell a resend from a new message.
    message["Message-ID"] = email.message_id
    message["Date"] = format_datetime(clock.now())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text_body)
    message.add_alternative(email.html_body, subtype="html")
    return message


def send(message: EmailMessage, *, smtp_url: str, timeout: float = 30.0) -> None:
    """Hand a message to the SMTP server of `smtp_url` (smtp:// or smtps://, with credentials)."""
    parts = urlsplit(smtp_url)
    host = parts.hostname or "127.0.0.1"
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    recipients = [
        a.strip()
        for field in ("To", "Cc")
        for a in str(message.get(field, "")).split(",")
        if a.strip()
    ]
    try:
        client: smtplib.SMTP
        if secure:
            client = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if not secure and "starttls" in parts.query:
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            refused = client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailUndeliverable(f"every recipient was refused: {sorted(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise MailUndeliverable(
                f"the mail server refused the message ({exc.smtp_code})"
            ) from exc
        raise MailServerUnavailable(
            f"the mail server asked to try later ({exc.smtp_code})"
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerUnavailable(f"the mail server could not be reached: {exc}") from exc
    if refused and len(refused) == len(recipients):
        raise MailUndeliverable(f"every recipient was refused: {sorted(refused)}")
