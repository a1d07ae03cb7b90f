"""HTTP endpoint of the network: what is on file in the network for one of your vendors."""

from __future__ import annotations

from fastapi import APIRouter

from coverwatch.network import service
from coverwatch.network.schemas import NetworkOut
from coverwatch.orgs.auth import CurrentPrincipal, DbSession
from coverwatch.vendors import service as vendors

router = APIRouter(tags=["vendors"])
service.subscribe()


@router.get(
    "/vendors/{vendor_id}/network",
    response_model=NetworkOut,
    summary="Coverage on file in the network",
)
def get_network(session: DbSession, principal: CurrentPrincipal, vendor_id: int) -> NetworkOut:
    """The vendor's coverage on file with other organizations, when the vendor allows its reuse.

    Only coverage is shared (lines, insurers, limits, dates, endorsements named); never another
    organization's projects, contacts, emails or certificate holders. Consent is given and
    withdrawn by the sub or its agent through their link, not through this API.
    """
    vendor = vendors.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
    return NetworkOut.model_validate(service.network_view(session, vendor=vendor))
