"""HTTP: an organization's webhook endpoints, their delivery log, and replays."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role
from coverwatch.pagination import Page, PageParams, page_params
from coverwatch.webhooks import service
from coverwatch.webhooks.models import WebhookEndpoint
from coverwatch.webhooks.schemas import (
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    ReplayOut,
)

router = APIRouter(tags=["webhooks"])
WRITER_ROLES = ("admin", "risk_manager")
service.subscribe()


def _out(endpoint: WebhookEndpoint, secret: str | None = None) -> EndpointOut:
    out = EndpointOut.model_validate(endpoint)
    out.secret = secret
    return out


@router.post(
    "/webhook-endpoints",
    response_model=EndpointOut,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook endpoint",
)
def create_endpoint(
    body: EndpointIn, principal: CurrentPrincipal, session: DbSession
) -> EndpointOut:
    """Register a URL for some events; the answer holds the signing secret, shown only once."""
    require_role(principal, *WRITER_ROLES, action="registering a webhook endpoint")
    endpoint, secret = service.create_endpoint(
        session,
        org_id=principal.org_id,
        url=str(body.url),
        event_types=list(body.events),
        description=body.description,
    )
    return _out(endpoint, secret)


@router.get(
    "/webhook-endpoints", response_model=Page[EndpointOut], summary="List webhook endpoints"
)
def list_endpoints(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[EndpointOut]:
    """Your organization's webhook endpoints (never their secrets)."""
    rows, total = service.list_endpoints(session, org_id=principal.org_id, params=params)
    return Page(
        items=[_out(e) for e in rows], page=params.page, per_page=params.per_page, total=total
    )


@router.get(
    "/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="A webhook endpoint"
)
def get_endpoint(endpoint_id: int, principal: CurrentPrincipal, session: DbSession) -> EndpointOut:
    """One webhook endpoint (never its secret)."""
    return _out(service.get_endpoint(session, org_id=principal.org_id, endpoint_id=endpoint_id))


@router.patch(
    "/webhook-endpoints/{endpoint_id}",
    response_model=EndpointOut,
    summary="Change a webhook endpoint or rotate its secret",
)
def update_endpoint(
    endpoint_id: int, body: EndpointPatch, principal: CurrentPrincipal, session: DbSession
) -> EndpointOut:
    """Change the URL, events, description or active flag; `rotate_secret` answers the new one."""
    endpoint = service.get_endpoint(session, org_id=principal.org_id, endpoint_id=endpoint_id)
    require_role(principal, *WRITER_ROLES, action="changing a webhook endpoint")
    service.update_endpoint(
        session,
        endpoint=endpoint,
        url=str(body.url) if body.url is not None else None,
        event_types=list(body.events) if body.events is not None else None,
        description=body.description,
        active=body.active,
    )
    secret = service.rotate_secret(session, endpoint=endpoint) if body.rotate_secret else None
    return _out(endpoint, secret)


@router.delete(
    "/webhook-endpoints/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook endpoint",
)
def delete_endpoint(endpoint_id: int, principal: CurrentPrincipal, session: DbSession) -> Response:
    """Remove the endpoint and its delivery log."""
    endpoint = service.get_endpoint(session, org_id=principal.org_id, endpoint_id=endpoint_id)
    require_role(principal, *WRITER_ROLES, action="removing a webhook endpoint")
    service.delete_endpoint(session, endpoint=endpoint)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="An endpoint's deliveries",
)
def list_deliveries(
    endpoint_id: int,
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[DeliveryOut]:
    """The endpoint's deliveries, newest first, each with its attempts."""
    endpoint = service.get_endpoint(session, org_id=principal.org_id, endpoint_id=endpoint_id)
    rows, total = service.list_deliveries(session, endpoint=endpoint, params=params)
    return Page(
        items=[DeliveryOut.model_validate(d) for d in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/webhook-deliveries/{delivery_id}/replay",
    response_model=ReplayOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery again",
)
def replay_delivery(delivery_id: int, principal: CurrentPrincipal, session: DbSession) -> ReplayOut:
    """Send the delivery again now (a job); the attempt is added to its log."""
    delivery = service.get_delivery(session, org_id=principal.org_id, delivery_id=delivery_id)
    require_role(principal, *WRITER_ROLES, action="replaying a webhook delivery")
    service.request_replay(session, delivery=delivery)
    return ReplayOut(delivery_id=delivery.id)
