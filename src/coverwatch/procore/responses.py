"""What the Procore client reads from an answer: paging links, waits asked for, errors."""

from __future__ import annotations

import email.utils
from datetime import UTC
from typing import Any

import httpx

from coverwatch.procore.errors import (
    ProcoreAuthError,
    ProcoreError,
    ProcoreForbidden,
    ProcoreNotFound,
    ProcoreOutcomeUnknown,
    ProcoreRateLimited,
    ProcoreStatusError,
)


def has_next(response: httpx.Response) -> bool:
    """Whether the `Link` header names a next page, however it is written.

    `rel` may be quoted or not and may hold several relation types (`rel="next last"`);
    relation types are case-insensitive (RFC 8288).
    """
    return any("next" in link.get("rel", "").lower().split() for link in response.links.values())


def total(response: httpx.Response) -> int | None:
    value = response.headers.get("Total", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def retry_after(value: str | None, *, now: float) -> float | None:
    """The time a `Retry-After` value names, when it is readable and not past (else None)."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return now + int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # not an HTTP-date either: garbage
    if moment.tzinfo is None:  # "-0000": UTC with no claim about the local zone
        moment = moment.replace(tzinfo=UTC)
    at = moment.timestamp()
    return at if at > now else None


def maybe_done(error: ProcoreError) -> bool:
    """Whether a failed write may still have taken effect (lost answer, or a server error)."""
    if isinstance(error, ProcoreOutcomeUnknown):
        return True
    return (
        isinstance(error, ProcoreStatusError)
        and not isinstance(error, ProcoreRateLimited)  # refused before being done
        and error.status >= 500
    )


def body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


def status_error(method: str, path: str, response: httpx.Response) -> ProcoreError:
    status = response.status_code
    message = f"{method} {path}: Procore answered {status}"
    if status == 401:
        return ProcoreAuthError(message + " (token refused twice)")
    if status == 403:
        return ProcoreForbidden(
            message + " (is the app installed and allowed on this project?)",
            status=status,
            body=body(response),
        )
    if status == 404:
        return ProcoreNotFound(message, status=status, body=body(response))
    return ProcoreStatusError(message, status=status, body=body(response))
