"""HTTP endpoints for certificates on file."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from coverwatch.certificates import review, service
from coverwatch.certificates.models import Certificate, Document
from coverwatch.certificates.schemas import parse_certificate_json
from coverwatch.certificates.tasks import receive_file
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope
from coverwatch.errors import InvalidInput, NotFound
from coverwatch.orgs.auth import (
    CurrentPrincipal,
    DbSession,
    get_principal,
    require_role,
    writer_roles,
)
from coverwatch.pagination import Page, PageParams, page_of, page_params
from coverwatch.storage import get_store
from coverwatch.vendors import service as vendors

router = APIRouter(tags=["certificates"])

EXAMPLE_CERTIFICATE: dict[str, Any] = {
    "schema": "coverwatch.certificate/1",
    "certificate_date": "2026-02-10",
    "producer": {"name": "Bayside Insurance Services", "email": "certs@bayside-ins.com"},
    "insured": {"name": "Acme Roofing, LLC", "address": "12 Mill St, Oakland, CA 94607"},
    "insurers": [{"letter": "A", "name": "Granite State Casualty Co", "naic": "23841"}],
    "policies": [
        {
            "type": "general_liability",
            "insurer_letter": "A",
            "policy_number": "GL-4471023",
            "effective_date": "2026-02-01",
            "expiration_date": "2027-02-01",
            "additional_insured": True,
            "waiver_of_subrogation": True,
            "claims_made": False,
            "aggregate_applies_per": "project",
            "limits": {
                "each_occurrence": 2000000,
                "general_aggregate": 4000000,
                "products_completed_operations_aggregate": 4000000,
            },
        }
    ],
    "description_of_operations": "Re: Harbor View Tower. Summit Builders, Inc. is additional "
    "insured per CG 20 10 04 13 and CG 20 37 04 13, primary and non-contributory per CG 20 01.",
    "certificate_holder": {"name": "Summit Builders, Inc.", "address": "1 Main St, Oakland"},
}


class CertificateOut(BaseModel):
    """A certificate on file, with what was read from it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    vendor_id: int
    document_id: int | None
    state: str
    certificate_date: date | None
    confidence: float
    needs_review: list[str]
    received_at: datetime
    withdrawn_at: datetime | None
    error: str | None
    source: str
    data: dict[str, Any]


@router.get(
    "/vendors/{vendor_id}/certificates",
    response_model=Page[CertificateOut],
    summary="List a vendor's certificates",
)
def list_certificates(
    session: DbSession,
    principal: CurrentPrincipal,
    vendor_id: int,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[CertificateOut]:
    """Every certificate on file for the vendor, newest first."""
    vendors.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
    rows, total = service.list_certificates(
        session, org_id=principal.org_id, params=params, vendor_id=vendor_id
    )
    return Page(
        items=[CertificateOut.model_validate(c) for c in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/vendors/{vendor_id}/certificates",
    response_model=CertificateOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a certificate (JSON)",
)
def add_certificate(
    session: DbSession,
    principal: CurrentPrincipal,
    vendor_id: int,
    body: Annotated[dict[str, Any], Body(examples=[EXAMPLE_CERTIFICATE])],
) -> CertificateOut:
    """Put a certificate in the `coverwatch.certificate/1` shape on file; the vendor's projects
    are re-evaluated at once."""
    require_role(principal, *writer_roles(), action="adding a certificate")
    vendor = vendors.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
    data = parse_certificate_json(body)
    # The JSON as received is kept like any uploaded file: the evidence behind the evaluation.
    document = service.store_document(
        session,
        org_id=principal.org_id,
        content=json.dumps(body, sort_keys=True).encode(),
        content_type="application/json",
        filename="certificate.json",
        uploaded_by=principal.actor,
    )
    certificate = service.add_certificate(
        session,
        vendor=vendor,
        data=data,
        actor=principal.actor,
        source="api",
        document_id=document.id,
    )
    compliance.reevaluate_vendor(
        session,
        org_id=principal.org_id,
        vendor_id=vendor.id,
        trigger="certificate_added",
        actor=principal.actor,
    )
    return CertificateOut.model_validate(certificate)


UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "One or more certificate files (PDF, PNG, JPEG, TIFF)",
                        }
                    },
                    "required": ["file"],
                }
            },
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/vendors/{vendor_id}/documents",
    response_model=list[CertificateOut],
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload certificate files",
    openapi_extra=UPLOAD_DOC,
    responses={
        413: {"description": "A file is larger than the upload limit"},
        415: {"description": "A file is not a PDF or an image"},
    },
)
async def upload_documents(request: Request, vendor_id: int) -> list[CertificateOut]:
    """Upload PDFs or photos of certificates; each is stored, then read and evaluated by a job.

    Poll `GET /certificates/{id}` until `state` is `parsed` (or `failed`, with `error`)."""
    # Who is asking, and for which vendor, is settled before a byte of the files is read.
    # The database and the store are blocking: keep them off the event loop.
    await run_in_threadpool(_authorize_upload, request, vendor_id)
    files = await _read_files(request)
    return await run_in_threadpool(_receive_files, request, vendor_id, files)


def _authorize_upload(request: Request, vendor_id: int) -> None:
    with session_scope() as session:
        principal = get_principal(request, session)
        require_role(principal, *writer_roles(), action="uploading a certificate")
        vendors.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)


def _receive_files(
    request: Request, vendor_id: int, files: list[tuple[str, bytes]]
) -> list[CertificateOut]:
    with session_scope() as session:
        principal = get_principal(request, session)
        vendor = vendors.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
        # One bad file refuses the whole request (the transaction rolls back): nothing half-done.
        received = [
            receive_file(
                session,
                vendor=vendor,
                filename=name,
                content=content,
                actor=principal.actor,
                source="api",
            ).id
            for name, content in files
        ]
    with session_scope() as session:
        return [CertificateOut.model_validate(session.get(Certificate, i)) for i in received]


async def _read_files(request: Request) -> list[tuple[str, bytes]]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=20)
        uploads = [v for v in form.getlist("file") if isinstance(v, StarletteUpload)]
        if not uploads:
            raise InvalidInput("send the certificate as a form field named 'file'")
        return [(u.filename or "upload", await u.read()) for u in uploads]
    body = await request.body()
    return [(request.headers.get("x-filename", "upload"), body)]


@router.get(
    "/certificates/{certificate_id}", response_model=CertificateOut, summary="Get a certificate"
)
def get_certificate(
    session: DbSession, principal: CurrentPrincipal, certificate_id: int
) -> CertificateOut:
    """One certificate with its parsed content."""
    return CertificateOut.model_validate(
        service.get_certificate(session, org_id=principal.org_id, certificate_id=certificate_id)
    )


class ReviewIn(BaseModel):
    """A reviewer's answer: corrected values by path; paths not given are confirmed as read."""

    corrections: dict[str, Any] = Field(
        default_factory=dict,
        examples=[{"/policies/0/limits/each_occurrence": 1000000}],
        description="Path (as listed in needs_review) to the right value; null removes a limit",
    )
    note: str = Field(default="", max_length=500)


class ReviewItemOut(BaseModel):
    """A certificate waiting for a person, with what to check and why."""

    certificate: CertificateOut
    vendor_name: str
    project_vendor_ids: list[int]
    reasons: list[str]


REVIEWER_ROLES = ("admin", "risk_manager")


@router.post(
    "/certificates/{certificate_id}/review",
    response_model=CertificateOut,
    summary="Confirm or correct a certificate under review",
)
def review_certificate(
    session: DbSession, principal: CurrentPrincipal, certificate_id: int, body: ReviewIn
) -> CertificateOut:
    """Apply a reviewer's corrections (or confirm it as read); the vendor is evaluated again."""
    require_role(principal, *REVIEWER_ROLES, action="reviewing a certificate")
    certificate: Certificate = service.get_certificate(
        session, org_id=principal.org_id, certificate_id=certificate_id
    )
    review.review_certificate(
        session,
        certificate=certificate,
        corrections=body.corrections,
        note=body.note,
        actor=principal.actor,
    )
    compliance.reevaluate_vendor(
        session,
        org_id=principal.org_id,
        vendor_id=certificate.vendor_id,
        trigger="certificate_reviewed",
        actor=principal.actor,
    )
    return CertificateOut.model_validate(certificate)


@router.get(
    "/review-queue", response_model=Page[ReviewItemOut], summary="Certificates waiting for a person"
)
def review_queue(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ReviewItemOut]:
    """Certificates on file with fields the reader was unsure of, oldest first."""
    # The queue is filtered in Python (its flags are JSON, and copies on file answer some of
    # them): it is the few certificates a person must look at, so it is read whole and paged.
    waiting = service.waiting_for_review(session, org_id=principal.org_id, limit=None)
    start = (params.page - 1) * params.per_page
    items = []
    for certificate, vendor, project_vendor_ids in waiting[start : start + params.per_page]:
        warnings = (certificate.data or {}).get("warnings") or []
        items.append(
            ReviewItemOut(
                certificate=CertificateOut.model_validate(certificate),
                vendor_name=vendor.legal_name,
                project_vendor_ids=project_vendor_ids,
                reasons=[str(w) for w in warnings],
            )
        )
    return page_of(items, params=params, total=len(waiting))


@router.delete(
    "/certificates/{certificate_id}",
    response_model=CertificateOut,
    summary="Withdraw a certificate",
)
def withdraw_certificate(
    session: DbSession, principal: CurrentPrincipal, certificate_id: int
) -> CertificateOut:
    """Take a certificate off file from now on (sent for the wrong vendor); history keeps it."""
    require_role(principal, *writer_roles(), action="withdrawing a certificate")
    certificate: Certificate = service.get_certificate(
        session, org_id=principal.org_id, certificate_id=certificate_id
    )
    service.withdraw(session, certificate=certificate, actor=principal.actor)
    compliance.reevaluate_vendor(
        session,
        org_id=principal.org_id,
        vendor_id=certificate.vendor_id,
        trigger="certificate_withdrawn",
        actor=principal.actor,
    )
    return CertificateOut.model_validate(certificate)


@router.get(
    "/documents/{document_id}",
    summary="Download a stored document",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_document(
    session: DbSession, principal: CurrentPrincipal, document_id: int
) -> Response:
    """The file exactly as it was received (certificate PDF, photo or JSON)."""
    document = session.get(Document, document_id)
    if document is None or document.org_id != principal.org_id:
        raise NotFound(f"no document {document_id}")
    return Response(
        get_store().get(document.sha256),
        media_type=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename or document.sha256}"',
            "X-Content-SHA256": document.sha256,
        },
    )
