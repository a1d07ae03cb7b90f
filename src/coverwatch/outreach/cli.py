"""`coverwatch outreach-run`, `mail-receiver` and `imap-poll`: outreach on demand, inbound mail."""

from __future__ import annotations

from typing import Annotated

import typer

from coverwatch.commands import console, migrate, run_logging


def outreach_run() -> None:
    """Open, close and send what is due now (what the 15-minute job does), sending inline."""
    from coverwatch.outreach import emails
    from coverwatch.outreach.tasks import plan_all

    run_logging()
    migrate()
    created = plan_all()
    states = [emails.deliver(email_id) for email_id in emails.due_email_ids()]
    console.print(
        f"{created} new emails; {states.count('sent')} sent, {states.count('kept')} kept for "
        f"the mailbox, {states.count('queued')} to retry, {states.count('failed')} failed"
    )


def mail_receiver(
    port: Annotated[int | None, typer.Option(help="Default: COVERWATCH_MAIL_RECEIVER_PORT")] = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """Receive email for the organizations' addresses (slug+token@COVERWATCH_INBOUND_DOMAIN)."""
    from coverwatch.outreach.receiver import serve
    from coverwatch.settings import get_settings

    run_logging()
    migrate()
    port = port or get_settings().mail_receiver_port
    console.print(f"mail receiver on {host}:{port}; Ctrl-C stops it")
    serve(host=host, port=port)


def imap_poll(
    url: Annotated[
        str,
        typer.Option(
            envvar="COVERWATCH_IMAP_URL",
            help="imap://user:pass@host[:port] or imaps://... (credentials percent-encoded)",
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization that owns the mailbox")],
    folder: Annotated[str, typer.Option(help="Mailbox folder to poll")] = "INBOX",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit")] = False,
    every: Annotated[int, typer.Option(min=1, help="Seconds between polls")] = 60,
) -> None:
    """Poll a GC's own mailbox (IMAP) and file the certificates that arrive there."""
    from coverwatch.outreach.imap import imap_poll_command

    run_logging()
    migrate()
    imap_poll_command(url, org, folder, once, every)


def register(app: typer.Typer) -> None:
    """Add these commands to the `coverwatch` command."""
    app.command("outreach-run")(outreach_run)
    app.command("mail-receiver")(mail_receiver)
    app.command("imap-poll")(imap_poll)
