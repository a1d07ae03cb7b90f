"""Magic links: signed, scoped to one request and one audience, expiring, revocable.

The token holds only the request id, the audience (the sub or its agent) and the request's
`link_nonce`; expiry lives on the request so that each reminder can extend it, and a new nonce
revokes every link already sent. Signed in the one format of `signed_tokens`, under the links'
own salt (the format and salt links always had, so links already emailed keep working).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from coverwatch import clock, signed_tokens
from coverwatch.errors import LinkExpired, LinkInvalid
from coverwatch.settings import get_settings

AUDIENCES = ("sub", "agent")
LINK_DAYS = 30


@dataclass(frozen=True)
class LinkClaim:
    """What a verified link says: which request, for whom, with which nonce."""

    request_id: int
    audience: str
    nonce: str


def new_nonce() -> str:
    """A fresh nonce for a request's links."""
    return secrets.token_urlsafe(12)


def new_reply_token() -> str:
    """A short token for a request's reply address (lowercase: mail systems fold case)."""
    return secrets.token_hex(6)


def expiry_from(moment: datetime, *, days: int = LINK_DAYS) -> datetime:
    """When a link given out at `moment` stops working."""
    return moment + timedelta(days=days)


def make_token(*, request_id: int, audience: str, nonce: str, secret: str | None = None) -> str:
    """The signed token of one audience's link to a request."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    return signed_tokens.dumps(
        signed_tokens.LINK,
        [request_id, audience, nonce],
        secret=secret or get_settings().resolved_secret_key,
    )


def read_token(token: str, *, secret: str | None = None) -> LinkClaim:
    """The claim of a token whose signature is good, or LinkInvalid."""
    try:
        payload = signed_tokens.loads(
            signed_tokens.LINK, token, secret=secret or get_settings().resolved_secret_key
        )
    except signed_tokens.BadSignature as exc:
        raise LinkInvalid("this link is not valid: it may be incomplete or altered") from exc
    if (
        not isinstance(payload, list)
        or len(payload) != 3
        or not isinstance(payload[0], int)
        or payload[1] not in AUDIENCES
        or not isinstance(payload[2], str)
    ):
        raise LinkInvalid("this link is not valid")
    return LinkClaim(request_id=payload[0], audience=payload[1], nonce=payload[2])


def check_current(*, claim: LinkClaim, nonce: str, expires_at: datetime, closed: bool) -> None:
    """Refuse a revoked link (LinkInvalid) or an expired one (LinkExpired)."""
    if not secrets.compare_digest(claim.nonce, nonce):
        raise LinkInvalid("this link was replaced by a newer one")
    if closed:
        raise LinkExpired("this request is closed: nothing more is needed through this link")
    if clock.now() >= expires_at:
        raise LinkExpired("this link has expired")


def url_for(token: str) -> str:
    """The public address of a link."""
    return f"{get_settings().base_url.rstrip('/')}/r/{token}"
