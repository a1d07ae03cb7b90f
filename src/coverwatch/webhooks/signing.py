"""The signature scheme of outbound webhooks (documented in docs/webhooks.md).

`Coverwatch-Signature: t=<unix timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`,
keyed with the endpoint's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "Coverwatch-Signature"
EVENT_ID_HEADER = "Coverwatch-Event-Id"
EVENT_TYPE_HEADER = "Coverwatch-Event-Type"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret for an endpoint."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, *, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` with `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, *, body: bytes, timestamp: int | None = None) -> str:
    """The value of the `Coverwatch-Signature` header for `body`."""
    ts = int(time.time()) if timestamp is None else timestamp
    return f"t={ts},v1={signature(secret, timestamp=ts, body=body)}"


def verify(
    secret: str, *, header: str, body: bytes, tolerance: int = 300, now: int | None = None
) -> bool:
    """Whether `header` signs `body` with `secret`, within `tolerance` seconds of `now`."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, v) for v in parts.get("v1", []))
