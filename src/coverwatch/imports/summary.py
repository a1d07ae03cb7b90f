"""An import's summary: each staged vendor's status previewed by the engine, and the counts.

The preview records nothing: it evaluates the staged certificates (and any already on file for a
vendor the organization has) as the engine would once they are on file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.certificates.copies import combine
from coverwatch.certificates.schemas import CertificateData
from coverwatch.compliance.service import project_facts
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.imports.staging import action_of
from coverwatch.pagination import PageParams, paginate
from coverwatch.projects.models import Project
from coverwatch.requirements import service as requirements
from coverwatch.requirements.engine import evaluate
from coverwatch.requirements.models import RequirementTemplate
from coverwatch.requirements.names import same_entity
from coverwatch.requirements.schemas import TemplateSpec, VendorFacts
from coverwatch.vendors.models import Vendor

DEFICIENT = ("non_compliant", "expired")
COMPLIANT = ("compliant", "expiring")


def progress(session: Session, *, run: ImportRun) -> dict[str, int]:
    """How many of the import's files are in each state."""
    rows = session.execute(
        select(ImportFile.state, func.count())
        .where(ImportFile.import_id == run.id)
        .group_by(ImportFile.state)
    ).all()
    counts = {state: int(n) for state, n in rows}
    counts["total"] = sum(counts.values())
    return counts


def summarize(session: Session, *, run: ImportRun) -> dict[str, Any]:
    """Preview each staged vendor's status with the engine and count what the import does."""
    files = list(session.scalars(select(ImportFile).where(ImportFile.import_id == run.id)))
    rows = list(session.scalars(select(ImportVendor).where(ImportVendor.import_id == run.id)))
    specs: dict[int, tuple[Project, TemplateSpec]] = {}
    statuses = dict.fromkeys(("compliant", "deficient", "needs_review", "missing"), 0)
    today = clock.today()
    for row in rows:
        mine = [f for f in files if f.import_vendor_id == row.id and f.state == "read"]
        documents = [CertificateData.model_validate(f.data) for f in mine]
        row.legal_name = _legal_name(row, mine)
        row.action = action_of(session, row=row, files=mine)
        vendor = session.get(Vendor, row.vendor_id) if row.vendor_id else None
        if vendor is not None:
            on_file = certificates.on_file(session, org_id=run.org_id, vendor_id=vendor.id)
            documents += [CertificateData.model_validate(c.data) for c in on_file]
        if row.project_id is None:
            row.preview_status = "pending" if not documents else None
        else:
            project, spec = specs.get(row.project_id) or _spec_of(session, row.project_id)
            specs[row.project_id] = (project, spec)
            documents.sort(key=lambda d: d.certificate_date or today, reverse=True)
            result = evaluate(
                certificates=combine(documents),
                template=spec,
                as_of=today,
                project=project_facts(project),
                vendor=VendorFacts(
                    legal_name=vendor.legal_name if vendor else row.legal_name,
                    dba_names=list(vendor.dba_names or []) if vendor else [],
                ),
                trade=row.values.get("trade"),
                ratings=requirements.ratings_for_engine(session, org_id=run.org_id),
            )
            row.preview_status = result.status
        status = row.preview_status
        if status in COMPLIANT:
            statuses["compliant"] += 1
        elif status in DEFICIENT:
            statuses["deficient"] += 1
        elif status == "needs_review":
            statuses["needs_review"] += 1
        elif status == "pending":
            statuses["missing"] += 1
    session.flush()
    by_state = {
        s: sum(1 for f in files if f.state == s)
        for s in ("read", "failed", "skipped", "duplicate", "waiting")
    }
    certificate_files = [f for f in files if f.state in ("read", "failed")]
    matched = sum(1 for f in certificate_files if f.import_vendor_id is not None)
    actions = [r.action for r in rows]
    run.summary = {
        "vendors": {
            "rows": len(rows) + sum(len(r.duplicate_rows) for r in rows),
            "vendors": len(rows),
            "create": actions.count("create"),
            "update": actions.count("update"),
            "unchanged": actions.count("unchanged"),
            "merged_rows": sum(len(r.duplicate_rows) for r in rows),
            "with_problems": sum(1 for r in rows if r.problems),
        },
        "files": {
            "total": len(files),
            **by_state,
            "matched": matched,
            "unmatched": len(certificate_files) - matched,
        },
        "statuses": statuses,
        "not_on_a_project": sum(1 for r in rows if r.project_id is None),
    }
    session.flush()
    return run.summary


def _spec_of(session: Session, project_id: int) -> tuple[Project, TemplateSpec]:
    project = session.get(Project, project_id)
    assert project is not None
    template = session.get(RequirementTemplate, project.template_id)
    assert template is not None
    return project, requirements.current_spec(session, template=template)


def _legal_name(row: ImportVendor, files: list[ImportFile]) -> str:
    """The list's name, or the certificate's when the list only spelt it nearly right."""
    if row.vendor_id is not None or any(
        f.insured_name and same_entity(f.insured_name, row.name) for f in files
    ):
        return row.name
    for file in sorted(files, key=lambda f: -(f.match_score or 0)):
        flags = file.data.get("needs_review") or []
        if file.insured_name and not any(str(p).startswith("/insured") for p in flags):
            return file.insured_name
    return row.name


def list_vendors(
    session: Session, *, run: ImportRun, params: PageParams
) -> tuple[list[ImportVendor], int]:
    """One page of the import's staged vendors, in list order."""
    statement = select(ImportVendor).where(
        ImportVendor.import_id == run.id, ImportVendor.org_id == run.org_id
    )
    return paginate(session, statement.order_by(ImportVendor.row_number), params)


def list_files(
    session: Session, *, run: ImportRun, params: PageParams, queue: bool = False
) -> tuple[list[ImportFile], int]:
    """One page of the import's files; with `queue`, only those waiting for a person."""
    statement = select(ImportFile).where(
        ImportFile.import_id == run.id, ImportFile.org_id == run.org_id
    )
    if queue:
        statement = statement.where(
            ImportFile.state.in_(("read", "failed")), ImportFile.import_vendor_id.is_(None)
        )
    return paginate(session, statement.order_by(ImportFile.path, ImportFile.id), params)
