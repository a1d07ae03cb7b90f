"""The mailbox page: every email coverwatch wrote for the organization, as the recipient sees it.

Without SMTP (the embedded default, the demo) this is where mail is kept; with SMTP it is the
sent-mail log. Only the organization's signed-in users see it: the emails carry magic links.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from coverwatch.orgs.auth import DbSession
from coverwatch.outreach.models import OutboundEmail
from coverwatch.settings import get_settings
from coverwatch.web.panel import signed_in, signin_redirect, templates, unframable_headers

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/mailbox", response_class=HTMLResponse, response_model=None)
def mailbox(request: Request, session: DbSession, to: str = "") -> Response:
    """The newest emails, optionally only those to one address."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect("/mailbox")
    user, _token = signed
    statement = select(OutboundEmail).where(OutboundEmail.org_id == user.org_id)
    if to:
        statement = statement.where(OutboundEmail.to_address == to.strip().lower())
    emails = list(session.scalars(statement.order_by(OutboundEmail.id.desc()).limit(PAGE)))
    return templates.TemplateResponse(
        request,
        "mailbox.html",
        {"user": user, "emails": emails, "to": to, "smtp": bool(get_settings().smtp_url)},
        headers=unframable_headers(),
    )


@router.get("/mailbox/{email_id}", response_class=HTMLResponse, response_model=None)
def mailbox_email(request: Request, session: DbSession, email_id: int) -> Response:
    """One email: its headers, its HTML as rendered by a mail client, and its text."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect(f"/mailbox/{email_id}")
    user, _token = signed
    email = session.get(OutboundEmail, email_id)
    if email is None or email.org_id != user.org_id:
        return templates.TemplateResponse(
            request,
            "mailbox.html",
            {"user": user, "emails": [], "missing": email_id, "to": ""},
            status_code=404,
            headers=unframable_headers(),
        )
    return templates.TemplateResponse(
        request, "mailbox_email.html", {"user": user, "email": email}, headers=unframable_headers()
    )
