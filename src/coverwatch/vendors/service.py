"""Vendors, their contacts, and assigning them to projects."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.db import utcnow
from coverwatch.errors import Conflict, NotFound
from coverwatch.pagination import PageParams, paginate
from coverwatch.projects import service as projects
from coverwatch.projects.models import Project
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact
from coverwatch.vendors.schemas import ContactIn, VendorIn, VendorPatch


def create_vendor(session: Session, *, org_id: int, actor: str, data: VendorIn) -> Vendor:
    """A new vendor with its contacts."""
    vendor = Vendor(org_id=org_id, legal_name=data.legal_name.strip(), dba_names=data.dba_names)
    session.add(vendor)
    session.flush()
    _replace_contacts(session, vendor=vendor, contacts=data.contacts)
    for system, external_id in data.external_ids.items():
        projects.set_external_id(
            session,
            org_id=org_id,
            entity_type="vendor",
            entity_id=vendor.id,
            system=system,
            external_id=external_id,
        )
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="vendor_created",
        entity_type="vendor",
        entity_id=vendor.id,
        after={"legal_name": vendor.legal_name, "dba_names": data.dba_names},
    )
    return vendor


def update_vendor(session: Session, *, vendor: Vendor, actor: str, patch: VendorPatch) -> bool:
    """Apply a change; says whether names changed (which can change compliance)."""
    before = {"legal_name": vendor.legal_name, "dba_names": list(vendor.dba_names)}
    if patch.legal_name is not None:
        vendor.legal_name = patch.legal_name.strip()
    if patch.dba_names is not None:
        vendor.dba_names = patch.dba_names
    if patch.contacts is not None:
        _replace_contacts(session, vendor=vendor, contacts=patch.contacts)
    session.flush()
    after = {"legal_name": vendor.legal_name, "dba_names": list(vendor.dba_names)}
    audit.record(
        session,
        org_id=vendor.org_id,
        actor=actor,
        action="vendor_updated",
        entity_type="vendor",
        entity_id=vendor.id,
        before=before,
        after=after,
    )
    return before != after


def get_vendor(session: Session, *, org_id: int, vendor_id: int) -> Vendor:
    """One of the organization's vendors."""
    vendor = session.get(Vendor, vendor_id)
    if vendor is None or vendor.org_id != org_id:
        raise NotFound(f"no vendor {vendor_id}")
    return vendor


def list_vendors(
    session: Session, *, org_id: int, params: PageParams, search: str | None = None
) -> tuple[list[Vendor], int]:
    """One page of the organization's vendors, optionally filtered by name."""
    statement = select(Vendor).where(Vendor.org_id == org_id)
    if search:
        statement = statement.where(Vendor.legal_name.ilike(f"%{search}%"))
    return paginate(session, statement.order_by(Vendor.legal_name, Vendor.id), params)


def contacts_of(session: Session, *, vendor: Vendor) -> list[VendorContact]:
    """A vendor's contacts."""
    return list(
        session.scalars(
            select(VendorContact)
            .where(VendorContact.vendor_id == vendor.id)
            .order_by(VendorContact.id)
        )
    )


def assign(
    session: Session, *, project: Project, vendor: Vendor, actor: str, trade: str | None = None
) -> ProjectVendor:
    """Put a vendor on a project (or back on it); the caller evaluates it at once."""
    if project.org_id != vendor.org_id:
        raise NotFound(f"no vendor {vendor.id}")
    existing = session.scalar(
        select(ProjectVendor).where(
            ProjectVendor.project_id == project.id, ProjectVendor.vendor_id == vendor.id
        )
    )
    if existing is not None:
        if existing.tracking:
            raise Conflict(
                f"vendor {vendor.id} is already on project {project.id}",
                details={"project_vendor_id": existing.id},
            )
        existing.tracking, existing.removed_at = True, None
        existing.trade = trade or existing.trade
        project_vendor = existing
    else:
        project_vendor = ProjectVendor(
            org_id=project.org_id, project_id=project.id, vendor_id=vendor.id, trade=trade
        )
        session.add(project_vendor)
    session.flush()
    audit.record(
        session,
        org_id=project.org_id,
        actor=actor,
        action="vendor_assigned",
        entity_type="project_vendor",
        entity_id=project_vendor.id,
        after={"project_id": project.id, "vendor_id": vendor.id, "trade": trade},
    )
    return project_vendor


def remove(session: Session, *, project_vendor: ProjectVendor, actor: str) -> ProjectVendor:
    """Take a vendor off a project: tracking (and every email about it) stops."""
    if project_vendor.tracking:
        project_vendor.tracking = False
        project_vendor.removed_at = utcnow()
        project_vendor.approved = False
        session.flush()
        audit.record(
            session,
            org_id=project_vendor.org_id,
            actor=actor,
            action="vendor_removed",
            entity_type="project_vendor",
            entity_id=project_vendor.id,
            before={"tracking": True},
            after={"tracking": False},
        )
    return project_vendor


def get_project_vendor(session: Session, *, org_id: int, project_vendor_id: int) -> ProjectVendor:
    """One of the organization's project vendors."""
    project_vendor = session.get(ProjectVendor, project_vendor_id)
    if project_vendor is None or project_vendor.org_id != org_id:
        raise NotFound(f"no project vendor {project_vendor_id}")
    return project_vendor


def list_project_vendors(
    session: Session,
    *,
    org_id: int,
    params: PageParams,
    project_id: int | None = None,
    vendor_id: int | None = None,
    status: str | None = None,
    include_removed: bool = False,
) -> tuple[list[ProjectVendor], int]:
    """One page of project vendors, filtered."""
    statement = select(ProjectVendor).where(ProjectVendor.org_id == org_id)
    if project_id is not None:
        statement = statement.where(ProjectVendor.project_id == project_id)
    if vendor_id is not None:
        statement = statement.where(ProjectVendor.vendor_id == vendor_id)
    if status:
        statement = statement.where(ProjectVendor.status == status)
    if not include_removed:
        statement = statement.where(ProjectVendor.tracking.is_(True))
    return paginate(session, statement.order_by(ProjectVendor.id), params)


def count_by_status(session: Session, *, org_id: int) -> dict[str, int]:
    """How many tracked project vendors of the organization are in each status."""
    rows = session.execute(
        select(ProjectVendor.status, func.count())
        .where(ProjectVendor.org_id == org_id, ProjectVendor.tracking.is_(True))
        .group_by(ProjectVendor.status)
    ).all()
    return {status: int(count) for status, count in rows}


def _replace_contacts(session: Session, *, vendor: Vendor, contacts: list[ContactIn]) -> None:
    session.execute(delete(VendorContact).where(VendorContact.vendor_id == vendor.id))
    for contact in contacts:
        session.add(
            VendorContact(org_id=vendor.org_id, vendor_id=vendor.id, **contact.model_dump())
        )
    session.flush()
