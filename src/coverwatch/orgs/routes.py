"""HTTP endpoints about the caller and its organization."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from coverwatch.orgs.auth import CurrentPrincipal, DbSession
from coverwatch.orgs.models import Organization

router = APIRouter(tags=["organization"])


class MeOut(BaseModel):
    """The caller and its organization."""

    organization_id: int
    organization: str
    email: str
    role: str


@router.get("/me", response_model=MeOut, summary="Who am I")
def me(session: DbSession, principal: CurrentPrincipal) -> MeOut:
    """The organization and role behind the API key."""
    org = session.get(Organization, principal.org_id)
    return MeOut(
        organization_id=principal.org_id,
        organization=org.name if org else "",
        email=principal.email,
        role=principal.role,
    )
