"""Signed tokens: one format (itsdangerous, URL-safe) for sessions, panel hand-offs and links.

Each purpose signs under its own salt, so a token made for one purpose never passes as another
(a magic link is not a session cookie, a session is not a hand-off). Sessions and hand-offs
carry the time they were signed (read from `clock`, so that tests can age them) and are refused
past their purpose's `max_age`. Magic links carry none: their expiry lives on the request, so
that each reminder can extend it (see `outreach.links`).

Nothing is stored server-side: a token is good as long as its signature is, and the secret key
signs them all (`settings.resolved_secret_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import (
    BadSignature,
    Signer,
    TimestampSigner,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)

from coverwatch import clock

__all__ = ["BadSignature", "Purpose", "dumps", "loads", "signature"]


@dataclass(frozen=True)
class Purpose:
    """What a token is for: its salt, and how long it is good for (None: not in the token)."""

    salt: str
    max_age: int | None = None


SESSION_SECONDS = 8 * 3600
HANDOFF_SECONDS = 120

SESSION = Purpose("coverwatch.web.session", max_age=SESSION_SECONDS)
HANDOFF = Purpose("coverwatch.web.handoff", max_age=HANDOFF_SECONDS)
LINK = Purpose("coverwatch.outreach.link")
# The anti-forgery value of the signed-in pages' forms: a signature of the session token.
FORM_SALT = "coverwatch.web.form"


class _ClockSigner(TimestampSigner):
    """Timestamps from `clock`, the one source of "now"."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def dumps(purpose: Purpose, payload: Any, *, secret: str) -> str:
    """A URL- and cookie-safe token carrying `payload` (JSON) for `purpose`."""
    if purpose.max_age is None:
        return URLSafeSerializer(secret, salt=purpose.salt).dumps(payload)
    return URLSafeTimedSerializer(secret, salt=purpose.salt, signer=_ClockSigner).dumps(payload)


def loads(purpose: Purpose, token: str, *, secret: str) -> Any:
    """The payload of a token signed for `purpose` and not expired; else BadSignature.

    An expired token raises `itsdangerous.SignatureExpired`, a subclass of BadSignature.
    """
    if purpose.max_age is None:
        return URLSafeSerializer(secret, salt=purpose.salt).loads(token)
    timed = URLSafeTimedSerializer(secret, salt=purpose.salt, signer=_ClockSigner)
    return timed.loads(token, max_age=purpose.max_age)


def signature(salt: str, value: str, *, secret: str) -> str:
    """A keyed signature of `value` under `salt` (compare it with `hmac.compare_digest`)."""
    return Signer(secret, salt=salt).get_signature(value).decode()
