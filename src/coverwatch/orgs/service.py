"""Organizations, users and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.db import utcnow
from coverwatch.email_addresses import check_email, usable_email
from coverwatch.errors import Conflict, InvalidInput, NotFound, Unauthorized
from coverwatch.orgs import passwords
from coverwatch.orgs.models import ROLES, ApiKey, Organization, User
from coverwatch.requirements import names
from coverwatch.requirements import service as requirements

TOKEN_PREFIX = "cw"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user of one organization, with a role."""

    org_id: int
    user_id: int
    role: str
    email: str

    @property
    def actor(self) -> str:
        """How this caller is named in the audit log."""
        return f"user:{self.email}"


def slugify(name: str) -> str:
    """A URL-safe identifier from a name ("Construcción Peña" is "construccion-pena")."""
    return names.slug(name)[:64] or "org"


def create_organization(session: Session, *, name: str, slug: str | None = None) -> Organization:
    """A new tenant with its own copies of the built-in requirement templates."""
    slug = slug or slugify(name)
    if session.scalar(select(Organization).where(Organization.slug == slug)):
        raise Conflict(f"an organization with slug {slug!r} already exists")
    org = Organization(name=name, slug=slug, settings={})
    session.add(org)
    session.flush()
    requirements.install_builtin_templates(session, org_id=org.id)
    audit.record(
        session,
        org_id=org.id,
        actor="system",
        action="organization_created",
        entity_type="organization",
        entity_id=org.id,
        after={"name": name, "slug": slug},
    )
    return org


def set_setting(session: Session, *, org: Organization, key: str, value: Any) -> Any:
    """Replace one section of an organization's settings; the section as it was before."""
    before = (org.settings or {}).get(key)
    # A new dict: SQLAlchemy does not see changes made inside a JSON value.
    org.settings = {**(org.settings or {}), key: value}
    session.flush()
    return before


def get_organization(session: Session, *, slug_or_id: str) -> Organization:
    """An organization by slug or numeric id."""
    org = session.scalar(select(Organization).where(Organization.slug == slug_or_id))
    if org is None and slug_or_id.isdigit():
        org = session.get(Organization, int(slug_or_id))
    if org is None:
        raise NotFound(f"no organization {slug_or_id!r}")
    return org


def create_user(
    session: Session,
    *,
    org_id: int,
    email: str,
    role: str,
    name: str = "",
    password: str | None = None,
) -> User:
    """A user with one of the roles admin, risk_manager, project_manager, viewer."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    email = check_email(email)
    existing = session.scalar(select(User).where(User.org_id == org_id, User.email == email))
    if existing:
        raise Conflict(f"user {email} already exists")
    user = User(
        org_id=org_id,
        email=email,
        name=name,
        role=role,
        password_hash=passwords.hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, *, org_id: int, email: str) -> User:
    """A user of the organization by email."""
    wanted = usable_email(email) or email.strip().lower()
    user = session.scalar(select(User).where(User.org_id == org_id, User.email == wanted))
    if user is None:
        raise NotFound(f"no user {email}")
    return user


def create_api_key(session: Session, *, user: User, name: str = "") -> tuple[ApiKey, str]:
    """A new API key for `user`; the returned token is shown once and never stored."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        org_id=user.org_id,
        user_id=user.id,
        name=name,
        prefix=prefix,
        secret_hash=_hash_secret(secret),
    )
    session.add(key)
    session.flush()
    return key, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def authenticate(session: Session, *, token: str) -> Principal:
    """The principal behind a bearer token, or Unauthorized."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise Unauthorized("malformed API key")
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        raise Unauthorized("unknown or revoked API key")
    # Constant-time comparison so that timing does not leak how much of a guess matched.
    if not hmac.compare_digest(key.secret_hash, _hash_secret(parts[2])):
        raise Unauthorized("unknown or revoked API key")
    user = session.get(User, key.user_id)
    if user is None:
        raise Unauthorized("the key's user no longer exists")
    now = utcnow()
    # Only touch the row once a minute: a write per request would serialize SQLite.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        key.last_used_at = now
    return Principal(org_id=key.org_id, user_id=user.id, role=user.role, email=user.email)


def revoke_api_key(session: Session, *, org_id: int, key_id: int) -> ApiKey:
    """Revoke one of the organization's keys."""
    key = session.get(ApiKey, key_id)
    if key is None or key.org_id != org_id:
        raise NotFound("no such API key")
    key.revoked_at = key.revoked_at or utcnow()
    return key


def _hash_secret(secret: str) -> str:
    # API keys are long random strings, so a fast hash is safe (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()
