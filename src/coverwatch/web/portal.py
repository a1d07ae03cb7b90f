"""The vendor portal: what a magic link opens, for the sub or its agent; no account, no password.

Server-rendered and usable without JavaScript: the upload is a plain multipart form, and while a
document is being read the page refreshes itself (a meta refresh) until the answer is there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Certificate
from coverwatch.certificates.tasks import receive_file
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError, InvalidInput, LinkExpired, LinkInvalid
from coverwatch.network import service as network
from coverwatch.orgs.models import Organization
from coverwatch.outreach import cancellations, emails, notices, planner, service
from coverwatch.outreach.models import OutreachRequest
from coverwatch.outreach.tasks import enqueue_delivery
from coverwatch.projects.models import Project
from coverwatch.requirements import messages
from coverwatch.settings import get_settings
from coverwatch.vendors.models import STATUS_LABELS, ProjectVendor, Vendor
from coverwatch.web.panel import templates, unframable_headers

router = APIRouter(include_in_schema=False)
MAX_FILES = 10
# The sub can send its list to a few addresses, not use the page to mail anyone at will.
MAX_AGENT_ADDRESSES = 3


def _page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=unframable_headers()
    )


def _refused(request: Request, token: str, exc: CoverwatchError) -> HTMLResponse:
    expired = isinstance(exc, LinkExpired)
    return _page(
        request,
        "portal_error.html",
        {"token": token, "expired": expired, "message": exc.message},
        status_code=410 if expired else 404,
    )


def _project_vendors(session: Session, *, outreach: OutreachRequest) -> list[ProjectVendor]:
    if outreach.project_vendor_id is not None:
        row = session.get(ProjectVendor, outreach.project_vendor_id)
        return [row] if row is not None else []
    return list(
        session.scalars(
            select(ProjectVendor).where(
                ProjectVendor.vendor_id == outreach.vendor_id, ProjectVendor.tracking.is_(True)
            )
        )
    )


def _context(
    session: Session, *, token: str, outreach: OutreachRequest, audience: str, uploaded: list[int]
) -> dict[str, Any]:
    org = session.get(Organization, outreach.org_id)
    vendor = session.get(Vendor, outreach.vendor_id)
    assert org is not None and vendor is not None
    projects = []
    for pv in _project_vendors(session, outreach=outreach):
        project = session.get(Project, pv.project_id)
        assert project is not None
        evaluation = compliance.latest_evaluation(session, project_vendor=pv)
        # A finding that rests on a value read badly is for a person to check, not a gap.
        deficiencies = [
            compliance.deficiency_json(d)
            for d in compliance.open_deficiencies(session, project_vendor=pv)
            if not d.uncertain
        ]
        short = {d["coverage"] for d in deficiencies}
        used = (evaluation.result or {}).get("policies_used", []) if evaluation else []
        fine = sorted(
            {
                messages.coverage_label(u["coverage"]).capitalize()
                for u in used
                if u.get("role") == "primary" and u["coverage"] not in short
            }
        )
        projects.append(
            {
                "name": project.name,
                "status": pv.status,
                "status_label": STATUS_LABELS.get(pv.status, pv.status),
                "tracking": pv.tracking,
                "needs": notices.needs_for(session, project=project, trade=pv.trade),
                "deficiencies": deficiencies,
                "fine": fine,
            }
        )
    files = [
        c
        for c in (session.get(Certificate, i) for i in uploaded)
        if c is not None and c.vendor_id == vendor.id
    ]
    reading = any(c.state == "received" for c in files)
    read = [c for c in files if c.state == "parsed"]
    agent_default = ""
    if read:
        agent_default = ((read[0].data or {}).get("producer") or {}).get("email") or ""
    agent_default = agent_default or service.agent_address(session, vendor=vendor) or ""
    return {
        "token": token,
        "org": org,
        "logo_url": (org.settings or {}).get("logo_url"),
        "vendor": vendor,
        "outreach": outreach,
        "audience": audience,
        "projects": projects,
        "files": files,
        "reading": reading,
        "read": [_summary(session, certificate=c) for c in read],
        "failed": [c for c in files if c.state == "failed"],
        "agent_default": agent_default,
        "link_expires": messages.day(outreach.link_expires_at.date()),
        "refresh_url": f"/r/{token}?uploaded=" + ",".join(str(c.id) for c in files),
        "max_mb": get_settings().max_upload_bytes // (1024 * 1024),
        "renewals": _renewals(session, outreach=outreach),
        "cancellable": cancellations.cancellable(session, vendor=vendor)
        if audience == "agent"
        else [],
        "today": clock.today().isoformat(),
        "network_consent": network.consent_of(session, vendor=vendor),
    }


def _renewals(session: Session, *, outreach: OutreachRequest) -> list[dict[str, Any]]:
    """Every policy of the vendor awaiting its renewal: one link answers for all of them."""
    if outreach.kind != "renewal":
        return []
    found = service.find_open(
        session,
        org_id=outreach.org_id,
        kind="renewal",
        vendor_id=outreach.vendor_id,
        project_vendor_id=None,
    )
    today = planner.today_of(service.outreach_settings(session, org_id=outreach.org_id))
    rows = [notices.renewal_policy(r.details, today=today) for r in found or [outreach]]
    return sorted(rows, key=lambda p: p["ends"])


def _summary(session: Session, *, certificate: Certificate) -> dict[str, Any]:
    """What was read, as a sub would check it: insured, and each policy's dates and limits."""
    data = certificate.data or {}
    policies = []
    for policy in data.get("policies", []):
        limits = [
            f"{messages.limit_label(policy.get('type'), key)} {messages.money(amount)}"
            for key, amount in (policy.get("limits") or {}).items()
        ]
        policies.append(
            {
                "label": messages.coverage_label(policy.get("type")).capitalize(),
                "number": policy.get("policy_number"),
                "dates": " to ".join(
                    d for d in (policy.get("effective_date"), policy.get("expiration_date")) if d
                ),
                "limits": ", ".join(limits),
            }
        )
    return {
        "id": certificate.id,
        "insured": ((data.get("insured") or {}).get("name")) or "not read",
        "producer": ((data.get("producer") or {}).get("name")) or "",
        "policies": policies,
        "needs_review": bool(certificates.open_flags(session, certificate=certificate)),
    }


def _uploaded(value: str) -> list[int]:
    return [int(v) for v in value.split(",")[:MAX_FILES] if v.isdigit()]


@router.get("/r/{token}", response_class=HTMLResponse)
def portal(request: Request, token: str, uploaded: str = "") -> HTMLResponse:
    """The page a magic link opens: who asks, what is needed, the upload, then the answer."""
    with session_scope() as session:
        try:
            outreach, audience = service.request_of_token(session, token=token)
        except (LinkInvalid, LinkExpired) as exc:
            return _refused(request, token, exc)
        context = _context(
            session, token=token, outreach=outreach, audience=audience, uploaded=_uploaded(uploaded)
        )
        return _page(request, "portal.html", context)


@router.post("/r/{token}/upload", response_model=None)
async def portal_upload(request: Request, token: str) -> Response:
    """Store the files, start reading them, and show the page that waits for the answer."""
    try:
        await run_in_threadpool(_check_link, token)
    except (LinkInvalid, LinkExpired) as exc:
        return _refused(request, token, exc)
    form = await request.form(max_files=MAX_FILES)
    files = [
        (u.filename or "upload", await u.read())
        for u in form.getlist("file")
        if isinstance(u, UploadFile) and (u.filename or u.size)
    ]
    received, errors = await run_in_threadpool(_receive, token, files)
    if not received:
        with session_scope() as session:
            outreach, audience = service.request_of_token(session, token=token)
            context = _context(
                session, token=token, outreach=outreach, audience=audience, uploaded=[]
            )
        context["errors"] = errors or ["Choose a file to upload first."]
        return _page(request, "portal.html", context, status_code=422)
    query = ",".join(str(i) for i in received)
    suffix = f"&refused={len(errors)}" if errors else ""
    return RedirectResponse(f"/r/{token}?uploaded={query}{suffix}", status_code=303)


def _check_link(token: str) -> None:
    with session_scope() as session:
        service.request_of_token(session, token=token)


def _receive(token: str, files: list[tuple[str, bytes]]) -> tuple[list[int], list[str]]:
    received, errors = [], []
    with session_scope() as session:
        outreach, audience = service.request_of_token(session, token=token)
        vendor = session.get(Vendor, outreach.vendor_id)
        assert vendor is not None
        for name, content in files:
            try:
                certificate = receive_file(
                    session,
                    vendor=vendor,
                    filename=name,
                    content=content,
                    actor=f"portal:{audience}",
                    source="portal",
                )
            except CoverwatchError as exc:
                errors.append(exc.message)
                continue
            received.append(certificate.id)
    return received, errors


@router.post("/r/{token}/agent", response_class=HTMLResponse)
def portal_send_to_agent(
    request: Request, token: str, email: str = Form(""), uploaded: str = Form("")
) -> HTMLResponse:
    """Send the current fix list to the agent's address (prefilled from the certificate)."""
    with session_scope() as session:
        try:
            outreach, audience = service.request_of_token(session, token=token)
        except (LinkInvalid, LinkExpired) as exc:
            return _refused(request, token, exc)
        try:
            address = service.check_address(email)
            target = _deficiency_request(session, outreach=outreach)
            if target is None:
                raise InvalidInput("there is nothing to fix right now, so nothing was sent")
            tried = emails.agents_told(session, request=target)
            if address not in tried and len(tried) >= MAX_AGENT_ADDRESSES:
                raise InvalidInput("this list was already sent to several addresses")
            sent, new = emails.send_agent_list(session, request=target, address=address)
            if new:
                enqueue_delivery(session, [sent.id])
        except InvalidInput as exc:
            context = _context(
                session,
                token=token,
                outreach=outreach,
                audience=audience,
                uploaded=_uploaded(uploaded),
            )
            context["agent_error"] = exc.message
            return _page(request, "portal.html", context, status_code=422)
        context = _context(
            session, token=token, outreach=outreach, audience=audience, uploaded=_uploaded(uploaded)
        )
        context["agent_sent"] = address if new else None
        context["agent_already"] = None if new else address
        return _page(request, "portal.html", context)


def _deficiency_request(session: Session, *, outreach: OutreachRequest) -> OutreachRequest | None:
    if outreach.kind == "deficiency" and outreach.state == "open":
        return outreach
    if outreach.project_vendor_id is None:
        return None
    found = service.find_open(
        session,
        org_id=outreach.org_id,
        kind="deficiency",
        vendor_id=outreach.vendor_id,
        project_vendor_id=outreach.project_vendor_id,
    )
    return found[0] if found else None


@router.post("/r/{token}/renew", response_class=HTMLResponse)
def portal_renew_link(request: Request, token: str) -> HTMLResponse:
    """An expired link asks for a new one: it goes to the addresses on file, not to the page."""
    with session_scope() as session:
        try:
            outreach, audience = service.request_of_signed_token(session, token=token)
        except LinkInvalid as exc:
            return _refused(request, token, exc)
        sent = emails.send_new_link(session, request=outreach, audience=audience)
        enqueue_delivery(session, [e.id for e in sent if e.state == "queued"])
        masked = [_mask(e.to_address) for e in sent]
        return _page(request, "portal_error.html", {"token": token, "renewed": masked})


def _mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}{'•' * max(1, len(local) - 1)}@{domain}"


@router.post("/r/{token}/cancellation", response_class=HTMLResponse)
def portal_report_cancellation(
    request: Request, token: str, policy: str = Form(""), effective: str = Form("")
) -> HTMLResponse:
    """The agent's link can report a cancelled policy; the GC is told and the status follows."""
    with session_scope() as session:
        try:
            outreach, audience = service.request_of_token(session, token=token)
        except (LinkInvalid, LinkExpired) as exc:
            return _refused(request, token, exc)
        try:
            if audience != "agent":
                raise InvalidInput("only the insurance agent's link can report a cancellation")
            try:
                day = date.fromisoformat(effective)
            except ValueError as exc:
                raise InvalidInput("give the date the cancellation takes effect") from exc
            _certificate, alerts = cancellations.report_cancellation(
                session,
                request=outreach,
                policy_key=policy,
                effective=day,
                actor=f"portal:agent:{outreach.id}",
            )
            enqueue_delivery(session, alerts)
        except InvalidInput as exc:
            session.rollback()
            context = _context(
                session, token=token, outreach=outreach, audience=audience, uploaded=[]
            )
            context["cancellation_error"] = exc.message
            return _page(request, "portal.html", context, status_code=422)
        context = _context(session, token=token, outreach=outreach, audience=audience, uploaded=[])
        context["cancellation_recorded"] = True
        return _page(request, "portal.html", context)
