"""HTTP endpoints for compliance: the verdict now and as of a date, approval, waivers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy import select

from coverwatch import clock
from coverwatch.compliance import service, waivers
from coverwatch.compliance.models import Evaluation
from coverwatch.compliance.schemas import ComplianceOut, EvaluationOut, WaiverIn, WaiverOut
from coverwatch.orgs.auth import CurrentPrincipal, DbSession
from coverwatch.pagination import Page, PageParams, page_of, page_params, paginate, paginate_list
from coverwatch.vendors import service as vendors
from coverwatch.vendors.schemas import ProjectVendorOut

router = APIRouter(prefix="/project-vendors/{project_vendor_id}", tags=["compliance"])

BLOCKED_EXAMPLE = {
    "error": {
        "code": "approval_blocked",
        "message": "Acme Roofing, LLC cannot be approved: Not compliant",
        "details": {
            "status": "non_compliant",
            "deficiencies": [
                {
                    "key": "limit_below_minimum:general_liability:each_occurrence",
                    "code": "limit_below_minimum",
                    "coverage": "general_liability",
                    "limit": "each_occurrence",
                    "required": 2000000,
                    "actual": 500000,
                    "message": "General liability each occurrence is $500,000; this project "
                    "requires $2,000,000.",
                    "uncertain": False,
                }
            ],
        },
    }
}


@router.get("/compliance", response_model=ComplianceOut, summary="Compliance now or as of a date")
def compliance_status(
    session: DbSession,
    principal: CurrentPrincipal,
    project_vendor_id: int,
    as_of: date | None = Query(
        None, description="A past date: the verdict from what was on file and in force that day"
    ),
) -> ComplianceOut:
    """The verdict with open and waived deficiencies and warnings."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    if as_of is None or as_of == clock.today():
        evaluation = service.latest_evaluation(session, project_vendor=project_vendor)
        if evaluation is None or evaluation.as_of != clock.today():
            evaluation = service.evaluate_project_vendor(
                session, project_vendor=project_vendor, trigger="read", actor=principal.actor
            )
        result = evaluation.result
        return ComplianceOut(project_vendor_id=project_vendor.id, recorded=True, **_verdict(result))
    computed = service.status_as_of(session, project_vendor=project_vendor, as_of=as_of)
    return ComplianceOut(
        project_vendor_id=project_vendor.id,
        recorded=False,
        **_verdict(computed.model_dump(mode="json")),
    )


@router.get("/evaluations", response_model=Page[EvaluationOut], summary="Evaluation history")
def list_evaluations(
    session: DbSession,
    principal: CurrentPrincipal,
    project_vendor_id: int,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[EvaluationOut]:
    """Every recorded evaluation, newest first, with the template version it used."""
    vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    rows, total = paginate(
        session,
        select(Evaluation)
        .where(
            Evaluation.project_vendor_id == project_vendor_id, Evaluation.org_id == principal.org_id
        )
        .order_by(Evaluation.id.desc()),
        params,
    )
    return Page(
        items=[EvaluationOut.model_validate(e) for e in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/approve",
    response_model=ProjectVendorOut,
    summary="Approve a vendor for work",
    responses={
        409: {
            "description": "Not compliant: the open deficiencies",
            "content": {"application/json": {"example": BLOCKED_EXAMPLE}},
        },
        403: {"description": "Your role cannot approve"},
    },
)
def approve(
    session: DbSession, principal: CurrentPrincipal, project_vendor_id: int
) -> ProjectVendorOut:
    """Approve only a compliant vendor; otherwise 409 with its open deficiencies."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    service.approve(session, project_vendor=project_vendor, principal=principal)
    return ProjectVendorOut.model_validate(
        service.describe_project_vendor(session, project_vendor=project_vendor)
    )


@router.get("/waivers", response_model=Page[WaiverOut], summary="List waivers")
def list_waivers(
    session: DbSession,
    principal: CurrentPrincipal,
    project_vendor_id: int,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[WaiverOut]:
    """Every waiver given on this project vendor, revoked ones included, oldest first."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    # A project vendor has a few waivers at most: paged in memory.
    rows, total = paginate_list(
        waivers.list_waivers(session, project_vendor=project_vendor), params
    )
    return page_of([WaiverOut.model_validate(w) for w in rows], params=params, total=total)


@router.post(
    "/waivers",
    response_model=WaiverOut,
    status_code=status.HTTP_201_CREATED,
    summary="Waive one deficiency",
    responses={403: {"description": "Only a risk manager or an admin can waive"}},
)
def create_waiver(
    session: DbSession, principal: CurrentPrincipal, project_vendor_id: int, body: WaiverIn
) -> WaiverOut:
    """Waive one open deficiency, with a reason and an end date; the status is recomputed."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    waiver = waivers.create_waiver(
        session,
        project_vendor=project_vendor,
        principal=principal,
        deficiency_key=body.deficiency_key,
        reason=body.reason,
        ends_on=body.ends_on,
    )
    return WaiverOut.model_validate(waiver)


@router.delete("/waivers/{waiver_id}", response_model=WaiverOut, summary="Revoke a waiver")
def revoke_waiver(
    session: DbSession, principal: CurrentPrincipal, project_vendor_id: int, waiver_id: int
) -> WaiverOut:
    """End a waiver now; the deficiency is open again."""
    project_vendor = vendors.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    waiver = waivers.revoke_waiver(
        session, project_vendor=project_vendor, waiver_id=waiver_id, principal=principal
    )
    return WaiverOut.model_validate(waiver)


def _verdict(result: dict) -> dict:
    return {
        "as_of": result["as_of"],
        "status": result["status"],
        "deficiencies": result.get("deficiencies", []),
        "waived": result.get("waived", []),
        "warnings": result.get("warnings", []),
        "template_key": result.get("template_key", ""),
        "earliest_expiration": result.get("earliest_expiration"),
    }
