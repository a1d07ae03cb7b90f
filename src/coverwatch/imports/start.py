"""Start tracking: put a confirmed import's vendors, assignments and certificates on file.

This is the hold that keeps an import from emailing anyone: until a person confirms the
summary, nothing staged is a vendor, a project vendor or a certificate, so neither the
evaluation events that start outreach nor the outreach timer can see it. Confirming marks the
import `starting`; a job then applies it a batch of vendors per transaction, and each vendor is
applied once (`applied_at`), so a retried job or a second import of the same files changes
nothing. Evaluating what changed emits the usual events: collection requests, fix lists and
renewals then follow as for any vendor.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.audit import service as audit
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Document
from coverwatch.certificates.schemas import CertificateData
from coverwatch.compliance import service as compliance
from coverwatch.errors import Conflict, InvalidCertificate
from coverwatch.imports.errors import ImportNotReady
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.imports.staging import TAX_ID_SYSTEM, contacts_to_add, new_document
from coverwatch.projects import service as projects
from coverwatch.projects.models import Project
from coverwatch.requirements.names import same_entity
from coverwatch.vendors import service as vendors
from coverwatch.vendors.models import ProjectVendor, Vendor
from coverwatch.vendors.schemas import ContactIn, VendorIn, VendorPatch

BATCH = 50


def confirm(session: Session, *, run: ImportRun, actor: str) -> bool:
    """A person confirmed the summary; whether a job must now apply the import."""
    if run.state in ("starting", "tracking"):
        return False  # confirmed already: a second click changes nothing
    if run.state != "ready":
        raise ImportNotReady(f"import {run.id} is {run.state}: its summary is not ready to confirm")
    run.state = "starting"
    run.confirmed_at, run.confirmed_by = clock.now(), actor
    session.flush()
    audit.record(
        session,
        org_id=run.org_id,
        actor=actor,
        action="import_confirmed",
        entity_type="import",
        entity_id=run.id,
        after={"summary": run.summary},
    )
    return True


def pending_vendor_ids(session: Session, *, run: ImportRun, limit: int = BATCH) -> list[int]:
    """The next staged vendors not yet applied."""
    return list(
        session.scalars(
            select(ImportVendor.id)
            .where(ImportVendor.import_id == run.id, ImportVendor.applied_at.is_(None))
            .order_by(ImportVendor.id)
            .limit(limit)
        )
    )


def apply_vendor(session: Session, *, run: ImportRun, row: ImportVendor) -> dict[str, Any]:
    """Put one staged vendor on file; what changed (nothing when it was applied already)."""
    done: dict[str, Any] = {
        "created": False,
        "updated": False,
        "certificates": 0,
        "assigned": False,
    }
    if row.applied_at is not None:
        return done
    actor = f"import:{run.id}"
    vendor = _find_vendor(session, run=run, row=row)
    if vendor is None:
        vendor = vendors.create_vendor(
            session,
            org_id=run.org_id,
            actor=actor,
            data=VendorIn(
                legal_name=row.legal_name or row.name,
                contacts=contacts_to_add(session, row=row, vendor_id=None),
            ),
        )
        done["created"] = True
    else:
        extra = contacts_to_add(session, row=row, vendor_id=vendor.id)
        if extra:
            have = vendors.contacts_of(session, vendor=vendor)
            kept = [ContactIn(role=h.role, name=h.name, email=h.email, phone=h.phone) for h in have]
            vendors.update_vendor(
                session, vendor=vendor, actor=actor, patch=VendorPatch(contacts=kept + extra)
            )
            done["updated"] = True
    row.vendor_id = vendor.id
    tax_id = "".join(ch for ch in row.values.get("tax_id", "") if ch.isdigit())
    if tax_id:
        try:
            projects.set_external_id(
                session,
                org_id=run.org_id,
                entity_type="vendor",
                entity_id=vendor.id,
                system=TAX_ID_SYSTEM,
                external_id=tax_id,
            )
        except Conflict:
            row.problems = [*row.problems, f"tax id {tax_id} belongs to another vendor"]
    done["assigned"] = _assign(session, run=run, row=row, vendor=vendor, actor=actor)
    done["certificates"] = _put_on_file(session, run=run, row=row, vendor=vendor, actor=actor)
    if done["assigned"] or done["certificates"] or done["updated"]:
        done["updated"] = done["updated"] or not done["created"]
        compliance.reevaluate_vendor(
            session, org_id=run.org_id, vendor_id=vendor.id, trigger="imported", actor=actor
        )
    row.applied_at = clock.now()
    session.flush()
    return done


def finish(session: Session, *, run: ImportRun, totals: dict[str, int]) -> None:
    """Every staged vendor is applied: the import is tracking, with what it did."""
    run.state = "tracking"
    run.summary = {**run.summary, "result": totals}
    session.flush()
    audit.record(
        session,
        org_id=run.org_id,
        actor=run.confirmed_by or "system",
        action="import_applied",
        entity_type="import",
        entity_id=run.id,
        after=totals,
    )


def _find_vendor(session: Session, *, run: ImportRun, row: ImportVendor) -> Vendor | None:
    if row.vendor_id is not None:
        vendor = session.get(Vendor, row.vendor_id)
        if vendor is not None and vendor.org_id == run.org_id:
            return vendor
    # Another import (or a person) may have created it since this one was run.
    for vendor in session.scalars(select(Vendor).where(Vendor.org_id == run.org_id)):
        if same_entity(vendor.legal_name, row.legal_name or row.name) or same_entity(
            vendor.legal_name, row.name
        ):
            return vendor
    return None


def _assign(
    session: Session, *, run: ImportRun, row: ImportVendor, vendor: Vendor, actor: str
) -> bool:
    if row.project_id is None:
        return False
    project = session.get(Project, row.project_id)
    if project is None or project.org_id != run.org_id:
        return False
    tracked = session.scalar(
        select(ProjectVendor.id).where(
            ProjectVendor.project_id == project.id,
            ProjectVendor.vendor_id == vendor.id,
            ProjectVendor.tracking.is_(True),
        )
    )
    if tracked is not None:
        return False
    vendors.assign(
        session, project=project, vendor=vendor, actor=actor, trade=row.values.get("trade")
    )
    return True


def _put_on_file(
    session: Session, *, run: ImportRun, row: ImportVendor, vendor: Vendor, actor: str
) -> int:
    files = session.scalars(
        select(ImportFile).where(
            ImportFile.import_id == run.id,
            ImportFile.import_vendor_id == row.id,
            ImportFile.state.in_(("read", "failed")),
        )
    )
    added = 0
    for file in files:
        if not new_document(session, file=file, vendor_id=vendor.id):
            continue
        if file.state == "read":
            certificates.add_certificate(
                session,
                vendor=vendor,
                data=CertificateData.model_validate(file.data),
                actor=actor,
                source="import",
                document_id=file.document_id,
            )
        else:
            # A file a person assigned though it could not be read: on the vendor's record,
            # as unreadable, so the request for a readable one says why.
            document = session.get(Document, file.document_id)
            assert document is not None
            certificate = certificates.receive_document(
                session, vendor=vendor, document=document, actor=actor, source="import"
            )
            certificates.mark_failed(
                session,
                certificate=certificate,
                error=InvalidCertificate(file.error or "could not be read"),
            )
        added += 1
    return added
