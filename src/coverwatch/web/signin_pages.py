"""The sign-in pages: email and password (a popup when the panel opens it), and sign-out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coverwatch.errors import Unauthorized
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.web.panel import (
    safe_next,
    session_secret,
    set_session_cookie,
    templates,
    unframable_headers,
)

router = APIRouter(include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> HTMLResponse:
    """Email and password; opened in a popup by the panel."""
    return templates.TemplateResponse(
        request,
        "signin.html",
        {
            "popup": request.query_params.get("popup") == "1",
            "next": safe_next(request.query_params.get("next")),
            "email": "",
            "ask_organization": False,
        },
        headers=unframable_headers(),
    )


@router.post("/signin", response_class=HTMLResponse)
def signin_submit(
    request: Request,
    session: DbSession,
    email: str = Form(""),
    password: str = Form(""),
    organization: str = Form(""),
    popup: str = Form(""),
    next: str = Form("/procore/panel"),
) -> HTMLResponse:
    """Check the password; set the session cookie; in a popup, tell the panel and close."""
    context: dict[str, Any] = {
        "popup": popup == "1",
        "next": safe_next(next),
        "email": email,
        "ask_organization": bool(organization),
    }
    try:
        user = signin.sign_in(
            session, email=email, password=password, organization=organization or None
        )
    except Unauthorized as exc:
        needs_org = bool(exc.details and exc.details.get("needs_organization"))
        context.update(error=exc.message, ask_organization=needs_org or bool(organization))
        return templates.TemplateResponse(
            request,
            "signin.html",
            context,
            status_code=exc.status_code,
            headers=unframable_headers(),
        )
    token = signin.make_token(session_secret(), user=user)
    context.update(
        done=True,
        user=user,
        handoff=signin.make_token(session_secret(), user=user, purpose="handoff"),
    )
    response = templates.TemplateResponse(
        request, "signin.html", context, headers=unframable_headers()
    )
    set_session_cookie(response, token, partitioned=False)
    return response


@router.post("/signout", response_model=None)
def signout(next: str = Form("/signin")) -> Response:
    """Forget the session: both the top-level and the partitioned cookie."""
    response = RedirectResponse(safe_next(next), status_code=303)
    for partitioned in (False, True):
        set_session_cookie(response, "", partitioned=partitioned, max_age=0)
    return response
