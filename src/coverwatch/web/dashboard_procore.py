"""The dashboard's Procore page: each connection's state, hooks, refusals and odd deliveries.

What an admin needs to see when Procore stops telling us things: a trigger Procore refused, a
hook whose deliveries are refused (a rotated secret?), deliveries we could not use, projects
no longer permitted, and a connection Procore disconnected.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import Organization
from coverwatch.procore import commitments, service, tracking
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from coverwatch.web.panel import signed_in, signin_redirect, templates, unframable_headers

router = APIRouter(include_in_schema=False)
PATH = "/dashboard/procore"
VIEW_ROLES = ("admin", "risk_manager")
RECENT = 20


def _connection_view(session: Session, connection: ProcoreConnection) -> dict[str, Any]:
    recent = select(ProcoreDelivery).where(ProcoreDelivery.connection_id == connection.id)
    anomalous = session.scalars(
        recent.where(ProcoreDelivery.outcome == "anomalous")
        .order_by(ProcoreDelivery.id.desc())
        .limit(RECENT)
    )
    hidden = session.scalars(
        select(ProcoreDelivery.project_id)
        .where(
            ProcoreDelivery.connection_id == connection.id,
            ProcoreDelivery.outcome == "no_access",
        )
        .distinct()
    )
    return {
        "connection": connection,
        "tracked": tracking.describe(commitments.rule_for(connection)),
        "procore_emails": "on" if connection.keep_procore_notifications else "off",
        "scopes": sorted((connection.install_report or {}).items()),
        "anomalous": list(anomalous),
        "not_permitted": sorted(p for p in hidden if p),
    }


@router.get(PATH, response_class=HTMLResponse, response_model=None)
def procore_page(request: Request, session: DbSession) -> Response:
    """Every Procore connection of the organization, as Procore last answered us."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect(PATH)
    user, _token = signed
    allowed = user.role in VIEW_ROLES
    connections = service.list_connections(session, org_id=user.org_id) if allowed else []
    return templates.TemplateResponse(
        request,
        "dashboard_procore.html",
        {
            "org": session.get(Organization, user.org_id),
            "user": user,
            "allowed": allowed,
            "connections": [_connection_view(session, c) for c in connections],
        },
        status_code=200 if allowed else 403,
        headers=unframable_headers(),
    )
