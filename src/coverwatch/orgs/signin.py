"""Sign-in of people with email and password, and the signed tokens of the web pages.

A session (the cookie) and a hand-off (from the sign-in popup to the framed panel) are tokens of
`signed_tokens`, each under its own salt and lifetime, naming the user and their organization.
Nothing is stored server-side.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock, signed_tokens
from coverwatch.email_addresses import usable_email
from coverwatch.errors import TooManyAttempts, Unauthorized
from coverwatch.orgs import passwords
from coverwatch.orgs.models import Organization, User
from coverwatch.orgs.service import Principal

# A hash to verify against when no user matches, so that timing does not tell which emails exist.
_DUMMY_HASH = passwords.hash_password("not a real password")

_PURPOSES = {"session": signed_tokens.SESSION, "handoff": signed_tokens.HANDOFF}
SESSION_SECONDS = signed_tokens.SESSION_SECONDS
# Guessing passwords online: five tries, then a quarter of an hour's wait.
MAX_FAILED_SIGNINS = 5
LOCKOUT = timedelta(minutes=15)


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's password (False for users without one)."""
    return passwords.verify_password(user.password_hash, password)


def sign_in(
    session: Session, *, email: str, password: str, organization: str | None = None
) -> User:
    """The user with this email and password; Unauthorized when none or several match.

    The same email can belong to users of several organizations: `organization` (a slug) then
    says which one is meant.
    """
    # Typed as stored: the address rule's normal form (a domain typed in punycode finds the user).
    wanted = usable_email(email) or email.strip().lower()
    statement = select(User).where(User.email == wanted)
    if organization:
        statement = statement.join(Organization, Organization.id == User.org_id).where(
            Organization.slug == organization.strip().lower()
        )
    candidates = list(session.scalars(statement.order_by(User.id)))
    if not candidates:
        passwords.verify_password(_DUMMY_HASH, "not a real password")
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
    user = matches[0]
    # Made with weaker parameters than today's: remade now, the one time the password is known.
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.flush()
    return user


def principal_of(user: User) -> Principal:
    """The caller a signed-in user acts as."""
    return Principal(org_id=user.org_id, user_id=user.id, role=user.role, email=user.email)


def make_token(secret_key: str, *, user: User, purpose: str = "session") -> str:
    """A signed token naming the user, usable only for `purpose` (session or handoff)."""
    return signed_tokens.dumps(_PURPOSES[purpose], [user.id, user.org_id], secret=secret_key)


def read_token(secret_key: str, token: str, *, purpose: str = "session") -> tuple[int, int] | None:
    """The user and organization ids of a valid, unexpired token for `purpose`, else None."""
    try:
        payload: Any = signed_tokens.loads(_PURPOSES[purpose], token, secret=secret_key)
    except signed_tokens.BadSignature:
        return None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in payload)
    ):
        return None
    return payload[0], payload[1]


def user_of_token(
    session: Session, secret_key: str, token: str, *, purpose: str = "session"
) -> User | None:
    """The user a valid token names, if that user still exists in the same organization."""
    ids = read_token(secret_key, token, purpose=purpose)
    if ids is None:
        return None
    user = session.get(User, ids[0])
    if user is None or user.org_id != ids[1]:
        return None
    return user


def form_token(secret_key: str, session_token: str) -> str:
    """A per-session anti-forgery value for the forms of the signed-in pages."""
    return signed_tokens.signature(signed_tokens.FORM_SALT, session_token, secret=secret_key)
