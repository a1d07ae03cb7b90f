"""HTTP endpoints for vendors and their assignment to projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from coverwatch.compliance import service as compliance
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role, writer_roles
from coverwatch.pagination import Page, PageParams, page_params
from coverwatch.projects import service as projects
from coverwatch.vendors import service
from coverwatch.vendors.models import STATUSES, Vendor
from coverwatch.vendors.schemas import (
    AssignmentIn,
    ContactOut,
    ProjectVendorOut,
    VendorIn,
    VendorOut,
    VendorPatch,
)

router = APIRouter(tags=["vendors"])


def vendor_out(session: DbSession, vendor: Vendor) -> VendorOut:
    """A vendor in the API's shape."""
    return VendorOut(
        id=vendor.id,
        legal_name=vendor.legal_name,
        dba_names=list(vendor.dba_names or []),
        contacts=[
            ContactOut.model_validate(c) for c in service.contacts_of(session, vendor=vendor)
        ],
        external_ids=projects.external_ids(
            session, org_id=vendor.org_id, entity_type="vendor", entity_id=vendor.id
        ),
        created_at=vendor.created_at,
    )


@router.get("/vendors", response_model=Page[VendorOut], summary="List vendors")
def list_vendors(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
    search: str | None = Query(None, description="Part of the legal name"),
) -> Page[VendorOut]:
    """Your organization's vendors, by name."""
    rows, total = service.list_vendors(
        session, org_id=principal.org_id, params=params, search=search
    )
    return Page(
        items=[vendor_out(session, v) for v in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/vendors",
    response_model=VendorOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a vendor",
)
def create_vendor(session: DbSession, principal: CurrentPrincipal, body: VendorIn) -> VendorOut:
    """A new vendor with its contacts (office, insurance agent)."""
    require_role(principal, *writer_roles(), action="creating a vendor")
    vendor = service.create_vendor(
        session, org_id=principal.org_id, actor=principal.actor, data=body
    )
    return vendor_out(session, vendor)


@router.get("/vendors/{vendor_id}", response_model=VendorOut, summary="Get a vendor")
def get_vendor(session: DbSession, principal: CurrentPrincipal, vendor_id: int) -> VendorOut:
    """One vendor with its contacts."""
    return vendor_out(
        session, service.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
    )


@router.patch("/vendors/{vendor_id}", response_model=VendorOut, summary="Change a vendor")
def update_vendor(
    session: DbSession, principal: CurrentPrincipal, vendor_id: int, body: VendorPatch
) -> VendorOut:
    """Change names or contacts; a name change re-evaluates the vendor everywhere."""
    require_role(principal, *writer_roles(), action="changing a vendor")
    vendor = service.get_vendor(session, org_id=principal.org_id, vendor_id=vendor_id)
    if service.update_vendor(session, vendor=vendor, actor=principal.actor, patch=body):
        compliance.reevaluate_vendor(
            session,
            org_id=principal.org_id,
            vendor_id=vendor.id,
            trigger="vendor_changed",
            actor=principal.actor,
        )
    return vendor_out(session, vendor)


@router.get(
    "/projects/{project_id}/vendors",
    response_model=Page[ProjectVendorOut],
    summary="List a project's vendors",
)
def list_project_vendors(
    session: DbSession,
    principal: CurrentPrincipal,
    project_id: int,
    params: Annotated[PageParams, Depends(page_params)],
    status_filter: str | None = Query(
        None, alias="status", description="One of: " + ", ".join(STATUSES)
    ),
    include_removed: bool = False,
) -> Page[ProjectVendorOut]:
    """The vendors on one project with their status and open deficiencies."""
    projects.get_project(session, org_id=principal.org_id, project_id=project_id)
    rows, total = service.list_project_vendors(
        session,
        org_id=principal.org_id,
        params=params,
        project_id=project_id,
        status=status_filter,
        include_removed=include_removed,
    )
    return Page(
        items=[
            ProjectVendorOut.model_validate(
                compliance.describe_project_vendor(session, project_vendor=pv)
            )
            for pv in rows
        ],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "/projects/{project_id}/vendors",
    response_model=ProjectVendorOut,
    status_code=status.HTTP_201_CREATED,
    summary="Assign a vendor to a project",
)
def assign_vendor(
    session: DbSession, principal: CurrentPrincipal, project_id: int, body: AssignmentIn
) -> ProjectVendorOut:
    """Put a vendor on a project: tracking starts and coverage on file is evaluated at once."""
    require_role(principal, *writer_roles(), action="assigning a vendor")
    project = projects.get_project(session, org_id=principal.org_id, project_id=project_id)
    vendor = service.get_vendor(session, org_id=principal.org_id, vendor_id=body.vendor_id)
    project_vendor = service.assign(
        session, project=project, vendor=vendor, actor=principal.actor, trade=body.trade
    )
    compliance.evaluate_project_vendor(
        session, project_vendor=project_vendor, trigger="assigned", actor=principal.actor
    )
    return ProjectVendorOut.model_validate(
        compliance.describe_project_vendor(session, project_vendor=project_vendor)
    )


@router.get(
    "/project-vendors", response_model=Page[ProjectVendorOut], summary="List project vendors"
)
def list_all_project_vendors(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
    status_filter: str | None = Query(
        None, alias="status", description="One of: " + ", ".join(STATUSES)
    ),
    vendor_id: int | None = None,
    include_removed: bool = False,
) -> Page[ProjectVendorOut]:
    """Every vendor on every project, filtered by status or vendor."""
    rows, total = service.list_project_vendors(
        session,
        org_id=principal.org_id,
        params=params,
        vendor_id=vendor_id,
        status=status_filter,
        include_removed=include_removed,
    )
    return Page(
        items=[
            ProjectVendorOut.model_validate(
                compliance.describe_project_vendor(session, project_vendor=pv)
            )
            for pv in rows
        ],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.get(
    "/project-vendors/{project_vendor_id}",
    response_model=ProjectVendorOut,
    summary="Get a project vendor",
)
def get_project_vendor(
    session: DbSession, principal: CurrentPrincipal, project_vendor_id: int
) -> ProjectVendorOut:
    """One vendor on one project, with status and open deficiencies."""
    project_vendor = service.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    return ProjectVendorOut.model_validate(
        compliance.describe_project_vendor(session, project_vendor=project_vendor)
    )


@router.delete(
    "/project-vendors/{project_vendor_id}",
    response_model=ProjectVendorOut,
    summary="Remove a vendor from a project",
)
def remove_project_vendor(
    session: DbSession, principal: CurrentPrincipal, project_vendor_id: int
) -> ProjectVendorOut:
    """Stop tracking (and every email) for this vendor on this project; history is kept."""
    require_role(principal, *writer_roles(), action="removing a vendor")
    project_vendor = service.get_project_vendor(
        session, org_id=principal.org_id, project_vendor_id=project_vendor_id
    )
    service.remove(session, project_vendor=project_vendor, actor=principal.actor)
    return ProjectVendorOut.model_validate(
        compliance.describe_project_vendor(session, project_vendor=project_vendor)
    )
