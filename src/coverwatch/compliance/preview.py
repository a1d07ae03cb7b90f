"""What a template edit would do before it is saved: whose status or fix list would change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.compliance import service
from coverwatch.compliance.schemas import StatusChange, TemplatePreview
from coverwatch.projects.models import Project
from coverwatch.requirements.models import RequirementTemplate
from coverwatch.requirements.schemas import TemplateSpec
from coverwatch.vendors.models import STATUS_LABELS, ProjectVendor, Vendor

# A preview evaluates every tracked sub of the template's projects; past this many it says so.
PREVIEW_LIMIT = 2000


def preview_template_change(
    session: Session, *, template: RequirementTemplate, spec: TemplateSpec
) -> TemplatePreview:
    """Evaluate the template's tracked subs under `spec`, writing nothing."""
    rows = session.execute(
        select(ProjectVendor, Project, Vendor)
        .join(Project, Project.id == ProjectVendor.project_id)
        .join(Vendor, Vendor.id == ProjectVendor.vendor_id)
        .where(
            Project.template_id == template.id,
            ProjectVendor.org_id == template.org_id,
            ProjectVendor.tracking.is_(True),
        )
        .order_by(ProjectVendor.id)
        .limit(PREVIEW_LIMIT + 1)
    ).all()
    today = clock.today()
    changes, unchanged = [], 0
    for project_vendor, project, vendor in rows[:PREVIEW_LIMIT]:
        result, _ = service.verdict(session, project_vendor=project_vendor, spec=spec, as_of=today)
        now = {
            d.key: d.message
            for d in service.open_deficiencies(session, project_vendor=project_vendor)
            if not d.uncertain
        }
        then = {d.key: d.message for d in result.deficiencies if not d.uncertain}
        if result.status == project_vendor.status and now.keys() == then.keys():
            unchanged += 1
            continue
        changes.append(
            StatusChange(
                project_vendor_id=project_vendor.id,
                vendor_id=vendor.id,
                vendor_name=vendor.legal_name,
                project_id=project.id,
                project_name=project.name,
                status=project_vendor.status,
                status_label=STATUS_LABELS.get(project_vendor.status, project_vendor.status),
                would_be=result.status,
                would_be_label=STATUS_LABELS.get(result.status, result.status),
                new_gaps=[m for k, m in then.items() if k not in now],
                gaps_gone=[m for k, m in now.items() if k not in then],
            )
        )
    return TemplatePreview(
        key=template.key,
        version=template.current_version,
        changes=changes,
        unchanged=unchanged,
        checked=min(len(rows), PREVIEW_LIMIT),
        complete=len(rows) <= PREVIEW_LIMIT,
    )
