"""The GC's dashboard: every project's subs at a glance, what needs a person, and the review queue.

For risk managers and project managers outside Procore; the same sign-in as the Procore panel.
It refreshes its lists in place, like the panel, so an upload or a lapse shows without reload.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Certificate, Document, PolicyRow
from coverwatch.certificates.review import get_path, review_certificate
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError
from coverwatch.network import service as network
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import Organization, User
from coverwatch.outreach.models import InboundMessage
from coverwatch.outreach.summary import outreach_summary
from coverwatch.projects.models import Project
from coverwatch.storage import get_store
from coverwatch.vendors import service as vendors
from coverwatch.vendors.models import STATUS_LABELS, ProjectVendor, Vendor
from coverwatch.web.panel import (
    session_secret,
    signed_in,
    signin_redirect,
    templates,
    unframable_headers,
)

router = APIRouter(include_in_schema=False)
REVIEWER_ROLES = ("admin", "risk_manager")
# Worst first: what a risk manager should look at before anything else.
ATTENTION = ("expired", "non_compliant", "needs_review", "pending", "expiring")
ROWS = 200


def _context(session: Session, *, user: User, token: str) -> dict[str, Any]:
    org = session.get(Organization, user.org_id)
    counts = vendors.count_by_status(session, org_id=user.org_id)
    attention = []
    rows = session.scalars(
        select(ProjectVendor)
        .where(
            ProjectVendor.org_id == user.org_id,
            ProjectVendor.tracking.is_(True),
            ProjectVendor.status.in_(ATTENTION),
        )
        .order_by(ProjectVendor.status_changed_at.desc())
        .limit(ROWS)
    )
    for pv in rows:
        vendor = session.get(Vendor, pv.vendor_id)
        project = session.get(Project, pv.project_id)
        assert vendor is not None and project is not None
        gaps = compliance.open_deficiencies(session, project_vendor=pv)
        attention.append(
            {
                "id": pv.id,
                "vendor": vendor.legal_name,
                "project": project.name,
                "status": pv.status,
                "status_label": STATUS_LABELS.get(pv.status, pv.status),
                "first_gap": gaps[0].message if gaps else "",
                "more_gaps": max(0, len(gaps) - 1),
                "outreach": outreach_summary(
                    session, project_vendor_id=pv.id, vendor_id=pv.vendor_id
                ),
                "network": network.on_file_summary(session, vendor=vendor),
            }
        )
    attention.sort(key=lambda r: ATTENTION.index(r["status"]))
    today = clock.today()
    expiring = session.execute(
        select(Vendor.legal_name, PolicyRow.type, PolicyRow.expiration_date)
        .join(Certificate, Certificate.id == PolicyRow.certificate_id)
        .join(Vendor, Vendor.id == PolicyRow.vendor_id)
        .where(
            PolicyRow.org_id == user.org_id,
            Certificate.withdrawn_at.is_(None),
            # Still in force: on its expiration date a policy has already lapsed.
            PolicyRow.expiration_date > today,
            PolicyRow.expiration_date <= today + timedelta(days=30),
        )
        .order_by(PolicyRow.expiration_date)
        .limit(ROWS)
    ).all()
    queue = [
        {
            "certificate": certificate,
            "vendor": vendor.legal_name,
            "paths": list(certificate.needs_review),
            "reasons": (certificate.data or {}).get("warnings") or [],
            "values": {p: get_path(certificate.data, p) for p in certificate.needs_review},
        }
        for certificate, vendor, _ids in certificates.waiting_for_review(
            session, org_id=user.org_id, limit=50
        )
    ]
    inbound = session.scalars(
        select(InboundMessage)
        .where(InboundMessage.org_id == user.org_id, InboundMessage.state == "review")
        .order_by(InboundMessage.id.desc())
        .limit(50)
    ).all()
    return {
        "user": user,
        "org": org,
        "counts": [(s, STATUS_LABELS.get(s, s), counts.get(s, 0)) for s in STATUS_LABELS],
        "tracked": sum(counts.values()),
        "attention": attention,
        "expiring": [
            {"vendor": name, "coverage": kind.replace("_", " "), "ends": ends}
            for name, kind, ends in dict.fromkeys(expiring)
        ],
        "queue": queue,
        "inbound": inbound,
        "can_review": user.role in REVIEWER_ROLES,
        "form_token": signin.form_token(session_secret(), token),
    }


@router.get("/dashboard", response_class=HTMLResponse, response_model=None)
def dashboard(request: Request, session: DbSession) -> Response:
    """The organization's compliance at a glance."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect("/dashboard")
    user, token = signed
    context = _context(session, user=user, token=token)
    context["reviewed"] = request.query_params.get("reviewed")
    return templates.TemplateResponse(
        request, "dashboard.html", context, headers=unframable_headers()
    )


@router.post("/dashboard/review/{certificate_id}", response_class=HTMLResponse, response_model=None)
async def dashboard_review(request: Request, certificate_id: int) -> Response:
    """Confirm or correct one certificate from the review queue."""
    form = await request.form()
    with session_scope() as session:
        signed = signed_in(request, session)
        if signed is None:
            return signin_redirect("/dashboard")
        user, token = signed
        if not hmac.compare_digest(
            str(form.get("form_token", "")), signin.form_token(session_secret(), token)
        ):
            return _error(request, session, user, token, "The page was out of date.", 403)
        if user.role not in REVIEWER_ROLES:
            return _error(request, session, user, token, "Only a risk manager can review.", 403)
        certificate = session.get(Certificate, certificate_id)
        if certificate is None or certificate.org_id != user.org_id:
            return _error(request, session, user, token, "That certificate is not here.", 404)
        corrections: dict[str, Any] = {}
        for path in certificate.needs_review:
            typed = str(form.get(f"value:{path}", "")).strip()
            current = get_path(certificate.data, path)
            if typed and typed != str(current if current is not None else ""):
                corrections[path] = _typed(typed, like=current)
        try:
            review_certificate(
                session,
                certificate=certificate,
                corrections=corrections,
                note=str(form.get("note", "")),
                actor=f"user:{user.email}",
            )
            compliance.reevaluate_vendor(
                session,
                org_id=user.org_id,
                vendor_id=certificate.vendor_id,
                trigger="certificate_reviewed",
                actor=f"user:{user.email}",
            )
        except CoverwatchError as exc:
            session.rollback()
            return _error(request, session, user, token, exc.message.capitalize() + ".", 422)
    return RedirectResponse(f"/dashboard?reviewed={certificate_id}", status_code=303)


def _typed(text: str, *, like: Any) -> Any:
    # Amounts come back as integers ("1,000,000" or "$1,000,000"); everything else as text.
    digits = text.replace(",", "").replace("$", "").strip()
    if isinstance(like, int) or (like is None and digits.isdigit()):
        return int(digits) if digits.isdigit() else text
    return text


def _error(
    request: Request, session: Session, user: User, token: str, message: str, status: int
) -> HTMLResponse:
    context = _context(session, user=user, token=token)
    context["error"] = message
    return templates.TemplateResponse(
        request, "dashboard.html", context, status_code=status, headers=unframable_headers()
    )


@router.get("/dashboard/documents/{document_id}", response_model=None)
def dashboard_document(request: Request, session: DbSession, document_id: int) -> Response:
    """The file behind a certificate, for the reviewer to look at (inline)."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect("/dashboard")
    user, _token = signed
    document = session.get(Document, document_id)
    if document is None or document.org_id != user.org_id:
        return Response("Not found", status_code=404)
    return Response(
        get_store().get(document.sha256),
        media_type=document.content_type,
        headers={
            "Content-Disposition": "inline",
            "Content-Security-Policy": "sandbox",
            "X-Content-Type-Options": "nosniff",
        },
    )
