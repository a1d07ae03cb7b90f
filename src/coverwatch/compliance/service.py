"""Evaluating project vendors, their status, the approval gate, waivers and history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coverwatch import clock, events
from coverwatch.audit import service as audit
from coverwatch.certificates import service as certificates
from coverwatch.certificates.models import Certificate
from coverwatch.compliance.models import DeficiencyRow, Evaluation, Waiver
from coverwatch.db import utcnow
from coverwatch.errors import ApprovalBlocked, NotFound
from coverwatch.orgs.auth import require_role
from coverwatch.orgs.service import Principal
from coverwatch.projects.models import Project
from coverwatch.requirements import service as requirements
from coverwatch.requirements.engine import evaluate
from coverwatch.requirements.models import RequirementTemplate
from coverwatch.requirements.schemas import (
    EvaluationResult,
    ProjectFacts,
    TemplateSpec,
    VendorFacts,
    WaiverFacts,
)
from coverwatch.vendors.models import STATUS_LABELS, ProjectVendor, Vendor

# A sub may be approved while its coverage is good; "expiring" is still good, only a warning.
APPROVABLE = ("compliant", "expiring")
APPROVER_ROLES = ("admin", "risk_manager", "project_manager")


def project_facts(project: Project) -> ProjectFacts:
    """What the engine needs to know of a project."""
    return ProjectFacts(
        name=project.name,
        number=project.number,
        address=project.address,
        state=project.state,
        start_date=project.start_date,
        end_date=project.end_date,
        certificate_holder=project.certificate_holder,
        additional_insureds=list(project.additional_insureds or []),
    )


def vendor_facts(vendor: Vendor) -> VendorFacts:
    """What the engine needs to know of a vendor."""
    return VendorFacts(legal_name=vendor.legal_name, dba_names=list(vendor.dba_names or []))


def evaluate_project_vendor(
    session: Session, *, project_vendor: ProjectVendor, trigger: str, actor: str = "system"
) -> Evaluation:
    """Evaluate now, record the evaluation, and move the status if it changed."""
    today = clock.today()
    project = session.get(Project, project_vendor.project_id)
    assert project is not None
    template = session.get(RequirementTemplate, project.template_id)
    assert template is not None
    version = requirements.version_at(session, template=template)
    result, on_file = verdict(
        session,
        project_vendor=project_vendor,
        spec=TemplateSpec.model_validate(version.spec),
        as_of=today,
    )
    evaluation = Evaluation(
        org_id=project_vendor.org_id,
        project_vendor_id=project_vendor.id,
        as_of=today,
        status=result.status,
        template_version_id=version.id,
        certificate_ids=[c.id for c in on_file],
        result=result.model_dump(mode="json"),
        trigger=trigger,
    )
    session.add(evaluation)
    session.flush()
    for deficiency, waived in [(d, False) for d in result.deficiencies] + [
        (d, True) for d in result.waived
    ]:
        session.add(
            DeficiencyRow(
                org_id=project_vendor.org_id,
                evaluation_id=evaluation.id,
                key=deficiency.key,
                code=deficiency.code,
                coverage=deficiency.coverage,
                limit=deficiency.limit,
                required=_text(deficiency.required),
                actual=_text(deficiency.actual),
                message=deficiency.message,
                uncertain=deficiency.uncertain,
                waived=waived,
            )
        )
    project_vendor.last_evaluation_id = evaluation.id
    project_vendor.dirty_since = None
    _move_status(
        session, project_vendor=project_vendor, status=result.status, actor=actor, trigger=trigger
    )
    session.flush()
    events.emit(
        session,
        events.Evaluated(
            org_id=project_vendor.org_id,
            project_vendor_id=project_vendor.id,
            status=result.status,
            trigger=trigger,
        ),
    )
    return evaluation


def reevaluate_vendor(
    session: Session, *, org_id: int, vendor_id: int, trigger: str, actor: str = "system"
) -> list[Evaluation]:
    """Re-evaluate every project a vendor is tracked on (after a certificate or name change)."""
    rows = session.scalars(
        select(ProjectVendor).where(
            ProjectVendor.org_id == org_id,
            ProjectVendor.vendor_id == vendor_id,
            ProjectVendor.tracking.is_(True),
        )
    )
    return [
        evaluate_project_vendor(session, project_vendor=pv, trigger=trigger, actor=actor)
        for pv in rows
    ]


def reevaluate_project(
    session: Session, *, project: Project, trigger: str, actor: str = "system"
) -> list[Evaluation]:
    """Re-evaluate every vendor tracked on a project (after its dates or template changed)."""
    rows = session.scalars(
        select(ProjectVendor).where(
            ProjectVendor.project_id == project.id, ProjectVendor.tracking.is_(True)
        )
    )
    return [
        evaluate_project_vendor(session, project_vendor=pv, trigger=trigger, actor=actor)
        for pv in rows
    ]


def mark_template_users_dirty(session: Session, *, template: RequirementTemplate) -> list[int]:
    """Flag every tracked vendor on projects using `template` for re-evaluation by jobs."""
    rows = list(
        session.scalars(
            select(ProjectVendor)
            .join(Project, Project.id == ProjectVendor.project_id)
            .where(Project.template_id == template.id, ProjectVendor.tracking.is_(True))
        )
    )
    now = utcnow()
    for row in rows:
        row.dirty_since = row.dirty_since or now
    session.flush()
    return [row.id for row in rows]


def latest_evaluation(session: Session, *, project_vendor: ProjectVendor) -> Evaluation | None:
    """The most recent evaluation of a project vendor."""
    if project_vendor.last_evaluation_id is None:
        return None
    return session.get(Evaluation, project_vendor.last_evaluation_id)


def open_deficiencies(session: Session, *, project_vendor: ProjectVendor) -> list[DeficiencyRow]:
    """The deficiencies of the latest evaluation that are not waived."""
    if project_vendor.last_evaluation_id is None:
        return []
    return list(
        session.scalars(
            select(DeficiencyRow)
            .where(
                DeficiencyRow.evaluation_id == project_vendor.last_evaluation_id,
                DeficiencyRow.waived.is_(False),
            )
            .order_by(DeficiencyRow.id)
        )
    )


def approve(
    session: Session, *, project_vendor: ProjectVendor, principal: Principal
) -> ProjectVendor:
    """Approve a sub for work, only if it is compliant right now (409 otherwise)."""
    require_role(principal, *APPROVER_ROLES, action="approving a vendor")
    if not project_vendor.tracking:
        raise NotFound(f"project vendor {project_vendor.id} was removed from the project")
    # Decide on a fresh evaluation: the last one may predate an expiry or a template edit.
    evaluation = evaluate_project_vendor(
        session, project_vendor=project_vendor, trigger="approval", actor=principal.actor
    )
    if evaluation.status not in APPROVABLE:
        vendor = session.get(Vendor, project_vendor.vendor_id)
        name = vendor.legal_name if vendor else "This vendor"
        label = STATUS_LABELS.get(evaluation.status, evaluation.status)
        raise ApprovalBlocked(
            f"{name} cannot be approved: {label}",
            details={
                "status": evaluation.status,
                "deficiencies": [
                    deficiency_json(d)
                    for d in open_deficiencies(session, project_vendor=project_vendor)
                ],
            },
        )
    if not project_vendor.approved:
        project_vendor.approved = True
        project_vendor.approved_at = utcnow()
        project_vendor.approved_by = principal.actor
        session.flush()
        audit.record(
            session,
            org_id=project_vendor.org_id,
            actor=principal.actor,
            action="vendor_approved",
            entity_type="project_vendor",
            entity_id=project_vendor.id,
            before={"approved": False},
            after={"approved": True, "status": evaluation.status},
        )
        events.emit(
            session,
            events.VendorApproved(
                org_id=project_vendor.org_id,
                project_vendor_id=project_vendor.id,
                actor=principal.actor,
            ),
        )
    return project_vendor


def status_as_of(
    session: Session, *, project_vendor: ProjectVendor, as_of: date
) -> EvaluationResult:
    """The verdict for `as_of`, from what was on file and in force that day (for claims)."""
    moment = clock.end_of_day(as_of)
    project = session.get(Project, project_vendor.project_id)
    vendor = session.get(Vendor, project_vendor.vendor_id)
    template = session.get(RequirementTemplate, project.template_id) if project else None
    assert project is not None and vendor is not None and template is not None
    version = requirements.version_at(session, template=template, moment=moment)
    result, _on_file = verdict(
        session,
        project_vendor=project_vendor,
        spec=TemplateSpec.model_validate(version.spec),
        as_of=as_of,
        moment=moment,
    )
    return result


def verdict(
    session: Session,
    *,
    project_vendor: ProjectVendor,
    spec: TemplateSpec,
    as_of: date,
    moment: datetime | None = None,
) -> tuple[EvaluationResult, list[Certificate]]:
    """The engine's verdict on a project vendor under `spec`, and the certificates it read."""
    project = session.get(Project, project_vendor.project_id)
    vendor = session.get(Vendor, project_vendor.vendor_id)
    assert project is not None and vendor is not None
    on_file = certificates.on_file(
        session, org_id=project_vendor.org_id, vendor_id=project_vendor.vendor_id, moment=moment
    )
    shared = certificates.shared_view(
        session, org_id=vendor.org_id, vendor_id=vendor.id, moment=moment
    )
    result = evaluate(
        certificates=certificates.current_view(on_file) + shared,
        template=spec,
        as_of=as_of,
        project=project_facts(project),
        vendor=vendor_facts(vendor),
        trade=project_vendor.trade,
        waivers=_waiver_facts(session, project_vendor=project_vendor, as_of=as_of, moment=moment),
        ratings=requirements.ratings_for_engine(session, org_id=project_vendor.org_id),
    )
    return result, on_file


def deficiency_json(row: DeficiencyRow) -> dict[str, Any]:
    """A stored deficiency in the API's shape."""
    return {
        "key": row.key,
        "code": row.code,
        "coverage": row.coverage,
        "limit": row.limit,
        "required": _number(row.required),
        "actual": _number(row.actual),
        "message": row.message,
        "uncertain": row.uncertain,
    }


def _waiver_facts(
    session: Session, *, project_vendor: ProjectVendor, as_of: date, moment: datetime | None = None
) -> list[WaiverFacts]:
    statement = select(Waiver).where(
        Waiver.project_vendor_id == project_vendor.id, Waiver.ends_on >= as_of
    )
    if moment is None:
        statement = statement.where(Waiver.revoked_at.is_(None))
    else:
        statement = statement.where(
            Waiver.created_at < moment,
            or_(Waiver.revoked_at.is_(None), Waiver.revoked_at >= moment),
        )
    return [
        WaiverFacts(key=w.deficiency_key, ends_on=w.ends_on) for w in session.scalars(statement)
    ]


def _move_status(
    session: Session, *, project_vendor: ProjectVendor, status: str, actor: str, trigger: str
) -> None:
    previous = project_vendor.status
    if previous == status:
        return
    project_vendor.status = status
    project_vendor.status_changed_at = utcnow()
    audit.record(
        session,
        org_id=project_vendor.org_id,
        actor=actor,
        action="status_changed",
        entity_type="project_vendor",
        entity_id=project_vendor.id,
        before={"status": previous},
        after={"status": status, "trigger": trigger},
    )
    events.emit(
        session,
        events.StatusChanged(
            org_id=project_vendor.org_id,
            project_vendor_id=project_vendor.id,
            before=previous,
            after=status,
            trigger=trigger,
        ),
    )
    if project_vendor.approved and status not in APPROVABLE:
        # A lapse or a worse certificate takes the approval away: the block is real.
        project_vendor.approved = False
        audit.record(
            session,
            org_id=project_vendor.org_id,
            actor="system",
            action="approval_withdrawn",
            entity_type="project_vendor",
            entity_id=project_vendor.id,
            before={"approved": True},
            after={"approved": False, "status": status},
        )


def _text(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> int | str | None:
    if value is not None and value.isdigit():
        return int(value)
    return value


def describe_project_vendor(session: Session, *, project_vendor: ProjectVendor) -> dict[str, Any]:
    """A project vendor with its vendor name, status and open deficiencies (API shape)."""
    vendor = session.get(Vendor, project_vendor.vendor_id)
    evaluation = latest_evaluation(session, project_vendor=project_vendor)
    return {
        "id": project_vendor.id,
        "project_id": project_vendor.project_id,
        "vendor_id": project_vendor.vendor_id,
        "vendor_name": vendor.legal_name if vendor else "",
        "trade": project_vendor.trade,
        "status": project_vendor.status,
        "status_changed_at": project_vendor.status_changed_at,
        "approved": project_vendor.approved,
        "approved_at": project_vendor.approved_at,
        "approved_by": project_vendor.approved_by,
        "tracking": project_vendor.tracking,
        "deficiencies": [
            deficiency_json(d) for d in open_deficiencies(session, project_vendor=project_vendor)
        ],
        "evaluated_at": evaluation.created_at if evaluation else None,
    }
