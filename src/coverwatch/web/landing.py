"""The landing page at `/`: what coverwatch is, and the way to each of its parts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from coverwatch import __version__
from coverwatch.web.panel import templates, unframable_headers

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, response_model=None)
def landing(request: Request) -> Response:
    """Links to the dashboard, the mailbox, the API docs and, in the demo, the Procore sandbox."""
    return templates.TemplateResponse(
        request,
        "landing.html",
        {
            "version": __version__,
            "sandbox_admin_url": getattr(request.app.state, "sandbox_admin_url", None),
        },
        headers=unframable_headers(),
    )
