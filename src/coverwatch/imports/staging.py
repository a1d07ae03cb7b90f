"""The vendor list staged as one row per vendor: duplicates merged, projects and vendors found.

A vendor's key is its tax id when the list gives one, else its name as folded words; a row
naming a vendor the organization already has updates it rather than creating a second one.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.certificates.models import Certificate
from coverwatch.imports.matching import words
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.projects.models import ExternalRef, Project
from coverwatch.requirements.names import fold, same_entity
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact
from coverwatch.vendors.schemas import ContactIn

TAX_ID_SYSTEM = "tax_id"


def stage_vendors(
    session: Session, *, run: ImportRun, rows: list[tuple[int, dict[str, str]]]
) -> None:
    """One staged vendor per vendor key of the list, with what is wrong with its rows."""
    projects = list(session.scalars(select(Project).where(Project.org_id == run.org_id)))
    existing = list(
        session.execute(select(Vendor.id, Vendor.legal_name).where(Vendor.org_id == run.org_id))
    )
    by_tax_id = dict(
        session.execute(
            select(ExternalRef.external_id, ExternalRef.entity_id).where(
                ExternalRef.org_id == run.org_id,
                ExternalRef.system == TAX_ID_SYSTEM,
                ExternalRef.entity_type == "vendor",
            )
        ).all()
    )
    staged: dict[str, ImportVendor] = {}
    nameless: list[int] = []
    for number, values in rows:
        name = values.get("vendor_name", "").strip()
        if not name or not words(name):
            nameless.append(number)
            continue
        tax_id = _digits(values.get("tax_id", ""))
        key = (f"tax:{tax_id}" if tax_id else words(name))[:300]
        same = staged.get(key) or next(
            (s for s in staged.values() if same_entity(s.name, name)), None
        )
        if same is not None:
            merged = dict(same.values)
            for field, value in values.items():
                merged.setdefault(field, value)
            same.values = merged
            same.duplicate_rows = [*same.duplicate_rows, number]
            continue
        problems: list[str] = []
        clean = dict(values)
        for field in ("contact_email", "agent_email"):
            if field in clean and not _valid_email(clean[field]):
                problems.append(f"row {number}: {clean.pop(field)!r} is not an email address")
        project_id = run.project_id
        if clean.get("project"):
            project = _project_named(projects, clean["project"])
            project_id = project.id if project else None
            if project is None:
                problems.append(
                    f"row {number}: no project named {clean['project']!r}; not put on a project"
                )
        vendor_id = by_tax_id.get(tax_id) if tax_id else None
        if vendor_id is None:
            vendor_id = next((i for i, legal in existing if same_entity(legal, name)), None)
        row = ImportVendor(
            org_id=run.org_id,
            import_id=run.id,
            row_number=number,
            vendor_key=key,
            name=name[:300],
            legal_name=name[:300],
            values=clean,
            duplicate_rows=[],
            problems=problems,
            project_id=project_id,
            vendor_id=vendor_id,
        )
        session.add(row)
        staged[key] = row
    session.flush()
    for row in staged.values():
        row.action = action_of(session, row=row, files=[])
    if nameless:
        run.summary = {**run.summary, "rows_without_name": nameless}
    session.flush()


def contacts_of_row(row: ImportVendor) -> list[ContactIn]:
    """The office contact and the insurance agent a row names."""
    values = row.values
    contacts = []
    if values.get("contact_name") or values.get("contact_email") or values.get("contact_phone"):
        contacts.append(
            ContactIn(
                role="office",
                name=values.get("contact_name", "")[:200],
                email=values.get("contact_email") or None,
                phone=(values.get("contact_phone") or None) and values["contact_phone"][:64],
            )
        )
    if values.get("agent_name") or values.get("agent_email"):
        contacts.append(
            ContactIn(
                role="insurance_agent",
                name=values.get("agent_name", "")[:200],
                email=values.get("agent_email") or None,
            )
        )
    return contacts


def contacts_to_add(
    session: Session, *, row: ImportVendor, vendor_id: int | None
) -> list[ContactIn]:
    """The row's contacts the vendor does not have yet (by role and email, or role and name)."""
    wanted = contacts_of_row(row)
    if vendor_id is None:
        return wanted
    have = list(session.scalars(select(VendorContact).where(VendorContact.vendor_id == vendor_id)))
    return [
        c
        for c in wanted
        if not any(
            h.role == c.role
            and (
                (h.email or "").lower() == (c.email or "").lower()
                if c.email
                else fold(h.name) == fold(c.name)
            )
            for h in have
        )
    ]


def action_of(session: Session, *, row: ImportVendor, files: list[ImportFile]) -> str:
    """create, update or unchanged: what confirming the import would do to this vendor."""
    if row.vendor_id is None:
        return "create"
    if contacts_to_add(session, row=row, vendor_id=row.vendor_id):
        return "update"
    if row.project_id is not None and not session.scalar(
        select(ProjectVendor.id).where(
            ProjectVendor.project_id == row.project_id,
            ProjectVendor.vendor_id == row.vendor_id,
            ProjectVendor.tracking.is_(True),
        )
    ):
        return "update"
    if any(new_document(session, file=f, vendor_id=row.vendor_id) for f in files):
        return "update"
    return "unchanged"


def new_document(session: Session, *, file: ImportFile, vendor_id: int) -> bool:
    """Whether a file is not yet on file for the vendor (the same bytes are put on file once)."""
    return file.document_id is not None and not session.scalar(
        select(Certificate.id).where(
            Certificate.vendor_id == vendor_id, Certificate.document_id == file.document_id
        )
    )


def _project_named(projects: list[Project], text: str) -> Project | None:
    wanted = words(text)
    for project in projects:
        if words(project.name) == wanted or (project.number and fold(project.number) == fold(text)):
            return project
    return None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _valid_email(text: str) -> bool:
    try:
        ContactIn(role="office", email=text)
    except ValidationError:
        return False
    return True
