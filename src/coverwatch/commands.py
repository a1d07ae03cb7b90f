"""What every `coverwatch` command shares: one console, one-line failures, set-up steps."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from coverwatch.certificates.schemas import CertificateData, parse_certificate_json
from coverwatch.logs import configure_logging

console = Console()
STATUS_STYLE = {
    "compliant": "green",
    "expiring": "yellow",
    "needs_review": "cyan",
    "pending": "white",
    "non_compliant": "red",
    "expired": "bold red",
}


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    print(f"coverwatch: {message}", file=sys.stderr)
    raise typer.Exit(2)


def run_logging() -> None:
    """Log at COVERWATCH_LOG_LEVEL, in COVERWATCH_LOG_FORMAT: for commands that run jobs."""
    from coverwatch.settings import get_settings

    configure_logging(get_settings())


def migrate() -> None:
    """Create or upgrade the schema, and load every domain's jobs and listeners."""
    from coverwatch.db import get_engine
    from coverwatch.jobs import load_tasks
    from coverwatch.migrate import upgrade

    upgrade(engine=get_engine())
    # Every domain's listeners (outreach, webhooks, Procore write-back) then react to changes
    # made from the command line as they do to changes made through the API.
    load_tasks()


def read_certificate(file: Path) -> CertificateData:
    """A certificate from a JSON file in the contract's shape, or from a PDF or image."""
    if not file.is_file():
        fail(f"{file}: no such file")
    content = file.read_bytes()
    if content.lstrip()[:1] in (b"{", b"["):
        try:
            return parse_certificate_json(json.loads(content))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"{file}: not a certificate JSON ({exc.__class__.__name__}: {exc})")
    # Imported here: a certificate given as JSON needs none of the readers.
    from coverwatch.parsing.document import parse_document

    return parse_document(content, filename=file.name)


def parse_date(value: str) -> date:
    """A YYYY-MM-DD date from the command line, or a one-line failure."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a date in the form YYYY-MM-DD")


def safe_url(url: str) -> str:
    """A URL fit to print."""
    # Never print a password from a database URL.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
