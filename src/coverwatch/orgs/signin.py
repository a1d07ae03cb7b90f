"""Sign-in of people with email and password, and the signed session tokens of the web pages.

A session token is `<payload>.<signature>`: the payload is URL-safe base64 of a small JSON object
(`purpose`, user id, organization id, expiry) and the signature an HMAC-SHA256 of it under a key
derived from the deployment's secret key. Nothing is stored server-side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.errors import TooManyAttempts, Unauthorized
from coverwatch.orgs.models import Organization, User
from coverwatch.orgs.service import Principal

_hasher = PasswordHasher()
# A hash to verify against when no user matches, so that timing does not tell which emails exist.
_DUMMY_HASH = _hasher.hash("not a real password")

SESSION_SECONDS = 8 * 3600
# Guessing passwords online: five tries, then a quarter of an hour's wait.
MAX_FAILED_SIGNINS = 5
LOCKOUT = timedelta(minutes=15)
HANDOFF_SECONDS = 120


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's password (False for users without one)."""
    if not user.password_hash or not password:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    session: Session, *, email: str, password: str, organization: str | None = None
) -> User:
    """The user with this email and password; Unauthorized when none or several match.

    The same email can belong to users of several organizations: `organization` (a slug) then
    says which one is meant.
    """
    statement = select(User).where(User.email == email.strip().lower())
    if organization:
        statement = statement.join(Organization, Organization.id == User.org_id).where(
            Organization.slug == organization.strip().lower()
        )
    candidates = list(session.scalars(statement.order_by(User.id)))
    if not candidates:
        _hasher.verify(_DUMMY_HASH, "not a real password")
        raise Unauthorized("the email or the password is not right")
    now = clock.now()
    locked = [u.locked_until for u in candidates if u.locked_until and u.locked_until > now]
    if locked:
        minutes = max(1, round((max(locked) - now).total_seconds() / 60))
        raise TooManyAttempts(
            f"too many wrong passwords: try again in {minutes} minute{'s' if minutes > 1 else ''}"
        )
    matches = [user for user in candidates if verify_password(user, password)]
    if not matches:
        # Counted per user, and committed by the caller even though sign-in fails.
        for user in candidates:
            user.failed_signins += 1
            if user.failed_signins >= MAX_FAILED_SIGNINS:
                user.failed_signins = 0
                user.locked_until = now + LOCKOUT
        session.flush()
        raise Unauthorized("the email or the password is not right")
    for user in candidates:
        user.failed_signins, user.locked_until = 0, None
    if len(matches) > 1:
        raise Unauthorized(
            "this email belongs to several organizations: give the organization too",
            details={"needs_organization": True},
        )
    return matches[0]


def principal_of(user: User) -> Principal:
    """The caller a signed-in user acts as."""
    return Principal(org_id=user.org_id, user_id=user.id, role=user.role, email=user.email)


def make_token(
    secret_key: str, *, user: User, purpose: str = "session", seconds: int = SESSION_SECONDS
) -> str:
    """A signed token naming the user, valid for `seconds`, usable only for `purpose`."""
    payload = {"p": purpose, "u": user.id, "o": user.org_id, "x": int(time.time()) + seconds}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{_signature(secret_key, body)}"


def read_token(secret_key: str, token: str, *, purpose: str = "session") -> dict[str, Any] | None:
    """The payload of a valid, unexpired token for `purpose`, else None."""
    body, _, signature = token.partition(".")
    if not body or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(secret_key, body)):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, json.JSONDecodeError):
        return None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        return None
    if not isinstance(payload.get("x"), int) or payload["x"] < time.time():
        return None
    return payload


def user_of_token(
    session: Session, secret_key: str, token: str, *, purpose: str = "session"
) -> User | None:
    """The user a valid token names, if that user still exists in the same organization."""
    payload = read_token(secret_key, token, purpose=purpose)
    if payload is None:
        return None
    user = session.get(User, payload.get("u"))
    if user is None or user.org_id != payload.get("o"):
        return None
    return user


def form_token(secret_key: str, session_token: str) -> str:
    """A per-session anti-forgery value for the forms of the signed-in pages."""
    return _signature(secret_key, "form:" + session_token)


def _signature(secret_key: str, message: str) -> str:
    key = hmac.new(secret_key.encode(), b"coverwatch.web-session", hashlib.sha256).digest()
    return _b64(hmac.new(key, message.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
