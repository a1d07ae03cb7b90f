"""HTTP: outreach requests and their links, the email log, cadence settings, inbound review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.errors import NotFound
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role, writer_roles
from coverwatch.outreach import inbound, service, tasks
from coverwatch.outreach.cadence import OutreachSettings
from coverwatch.outreach.models import OutboundEmail, OutreachNotice, OutreachRequest
from coverwatch.outreach.schemas import (
    EmailOut,
    InboundFile,
    InboundOut,
    NoticeOut,
    RequestOut,
    RunOut,
)
from coverwatch.pagination import Page, PageParams, page_params, paginate

router = APIRouter(tags=["outreach"])
SETTINGS_ROLES = ("admin", "risk_manager")
tasks.subscribe()


def _request_out(
    session: Session, request: OutreachRequest, *, with_links: bool = False
) -> RequestOut:
    out = RequestOut.model_validate(request)
    out.notices = [
        NoticeOut.model_validate(n)
        for n in session.scalars(
            select(OutreachNotice)
            .where(OutreachNotice.request_id == request.id)
            .order_by(OutreachNotice.id)
        )
    ]
    if with_links and request.kind != "lapse":
        out.sub_link = service.link_for(request, audience="sub")
        out.agent_link = service.link_for(request, audience="agent")
    return out


@router.get("/outreach/requests", response_model=Page[RequestOut], summary="List outreach requests")
def list_requests(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    vendor_id: int | None = None,
    project_id: int | None = None,
    kind: str | None = Query(None, description="collection, deficiency, renewal or lapse"),
    state: str | None = Query(None, description="open or closed"),
) -> Page[RequestOut]:
    """Requests to vendors, newest first, filtered."""
    statement = select(OutreachRequest).where(OutreachRequest.org_id == principal.org_id)
    for column, value in (
        (OutreachRequest.vendor_id, vendor_id),
        (OutreachRequest.project_id, project_id),
        (OutreachRequest.kind, kind),
        (OutreachRequest.state, state),
    ):
        if value is not None:
            statement = statement.where(column == value)
    rows, total = paginate(session, statement.order_by(OutreachRequest.id.desc()), params)
    return Page(
        items=[_request_out(session, r) for r in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.get(
    "/outreach/requests/{request_id}", response_model=RequestOut, summary="An outreach request"
)
def get_request(request_id: int, principal: CurrentPrincipal, session: DbSession) -> RequestOut:
    """One request with its notices; writers also get its links, to pass on by other means."""
    request = service.get_request(session, org_id=principal.org_id, request_id=request_id)
    return _request_out(session, request, with_links=principal.role in writer_roles())


@router.post(
    "/outreach/requests/{request_id}/revoke-links",
    response_model=RequestOut,
    summary="Revoke a request's links",
)
def revoke_links(request_id: int, principal: CurrentPrincipal, session: DbSession) -> RequestOut:
    """Every link sent so far stops working; the next email carries a new one."""
    require_role(principal, *writer_roles(), action="revoking links")
    request = service.get_request(session, org_id=principal.org_id, request_id=request_id)
    service.revoke_links(session, request=request, actor=principal.actor)
    return _request_out(session, request, with_links=True)


@router.get("/outreach/emails", response_model=Page[EmailOut], summary="List emails sent")
def list_emails(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    to: str | None = Query(None, description="Only emails to this address"),
    state: str | None = Query(None, description="queued, sending, sent, kept or failed"),
) -> Page[EmailOut]:
    """The email log, newest first (without bodies)."""
    statement = select(OutboundEmail).where(OutboundEmail.org_id == principal.org_id)
    if to:
        statement = statement.where(OutboundEmail.to_address == to.strip().lower())
    if state:
        statement = statement.where(OutboundEmail.state == state)
    rows, total = paginate(session, statement.order_by(OutboundEmail.id.desc()), params)
    return Page(
        items=[EmailOut.model_validate(e) for e in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.get("/outreach/emails/{email_id}", response_model=EmailOut, summary="One email")
def get_email(email_id: int, principal: CurrentPrincipal, session: DbSession) -> EmailOut:
    """One email with its text body."""
    email = session.get(OutboundEmail, email_id)
    if email is None or email.org_id != principal.org_id:
        raise NotFound(f"no email {email_id}")
    out = EmailOut.model_validate(email)
    out.text_body = email.text_body
    return out


@router.get(
    "/outreach/settings", response_model=OutreachSettings, summary="Cadences and business hours"
)
def get_settings(principal: CurrentPrincipal, session: DbSession) -> OutreachSettings:
    """Your organization's cadences, time zone, business hours and reply-to."""
    return service.outreach_settings(session, org_id=principal.org_id)


@router.put("/outreach/settings", response_model=OutreachSettings, summary="Change cadences")
def put_settings(
    body: OutreachSettings, principal: CurrentPrincipal, session: DbSession
) -> OutreachSettings:
    """Replace the cadences (days), time zone, business hours and reply-to."""
    require_role(principal, *SETTINGS_ROLES, action="changing outreach settings")
    return service.save_outreach_settings(
        session, org_id=principal.org_id, value=body, actor=principal.actor
    )


@router.post("/outreach/run", response_model=RunOut, summary="Run outreach now")
def run_now(principal: CurrentPrincipal) -> RunOut:
    """Open, close and send what is due now for your organization (the timer does this too)."""
    require_role(principal, *writer_roles(), action="running outreach")
    return RunOut(emails_created=tasks.plan_all(org_id=principal.org_id))


@router.get("/inbound-messages", response_model=Page[InboundOut], summary="Inbound email")
def list_inbound(
    principal: CurrentPrincipal,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    state: str | None = Query(None, description="matched, review or done"),
) -> Page[InboundOut]:
    """Email received at your address; `review` holds what could not be filed on its own."""
    rows, total = inbound.list_messages(
        session, org_id=principal.org_id, state=state, params=params
    )
    return Page(
        items=[InboundOut.model_validate(m) for m in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/inbound-messages/{message_id}/file",
    response_model=InboundOut,
    summary="File a message from the review queue",
)
def file_inbound(
    message_id: int, body: InboundFile, principal: CurrentPrincipal, session: DbSession
) -> InboundOut:
    """Attach a reviewed message's files to a vendor (they are read like any upload)."""
    require_role(principal, *writer_roles(), action="filing inbound email")
    message = inbound.file_message(
        session,
        org_id=principal.org_id,
        message_id=message_id,
        vendor_id=body.vendor_id,
        request_id=body.request_id,
        actor=principal.actor,
    )
    return InboundOut.model_validate(message)
