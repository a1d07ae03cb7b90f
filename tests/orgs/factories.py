"""Factories for organizations, users and API keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from coverwatch.orgs import service
from coverwatch.orgs.models import ROLES


@dataclass
class Tenant:
    """An organization with one user and API key per role."""

    org_id: int
    slug: str
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str = "admin") -> dict[str, str]:
        """Authorization headers acting as the user with `role`."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_tenant(session: Session, *, name: str = "Summit Builders, Inc.") -> Tenant:
    """An organization with a user and key for each role."""
    org = service.create_organization(session, name=name)
    tenant = Tenant(org_id=org.id, slug=org.slug)
    for role in ROLES:
        user = service.create_user(
            session, org_id=org.id, email=f"{role}@{org.slug}.example", role=role
        )
        tenant.tokens[role] = service.create_api_key(session, user=user, name="test")[1]
    session.flush()
    return tenant
