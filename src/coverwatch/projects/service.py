"""Projects and their ids in other systems."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.errors import Conflict, NotFound
from coverwatch.pagination import PageParams, paginate
from coverwatch.projects.models import ExternalRef, Project
from coverwatch.projects.schemas import ProjectIn, ProjectPatch
from coverwatch.requirements import service as requirements

# Changing any of these can change a sub's compliance, so they trigger a re-evaluation.
EVALUATED_FIELDS = ("start_date", "end_date", "certificate_holder", "additional_insureds", "state")


def create_project(session: Session, *, org_id: int, actor: str, data: ProjectIn) -> Project:
    """A new project using one of the organization's templates."""
    template = requirements.get_template(session, org_id=org_id, key=data.template)
    project = Project(
        org_id=org_id,
        template_id=template.id,
        **data.model_dump(exclude={"template", "external_ids"}),
    )
    session.add(project)
    session.flush()
    for system, external_id in data.external_ids.items():
        set_external_id(
            session,
            org_id=org_id,
            entity_type="project",
            entity_id=project.id,
            system=system,
            external_id=external_id,
        )
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="project_created",
        entity_type="project",
        entity_id=project.id,
        after=data.model_dump(mode="json"),
    )
    return project


def update_project(
    session: Session, *, project: Project, actor: str, patch: ProjectPatch
) -> tuple[Project, bool]:
    """Apply a partial change; also says whether compliance must be recomputed."""
    changes = patch.model_dump(exclude_unset=True)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if "template" in changes:
        key = changes.pop("template")
        template = requirements.get_template(session, org_id=project.org_id, key=key)
        if template.id != project.template_id:
            before["template_id"], after["template_id"] = project.template_id, template.id
            project.template_id = template.id
    for field, value in changes.items():
        if getattr(project, field) != value:
            before[field], after[field] = getattr(project, field), value
            setattr(project, field, value)
    start, end = project.start_date, project.end_date
    if start and end and end < start:
        raise Conflict("end_date would be before start_date")
    session.flush()
    if after:
        audit.record(
            session,
            org_id=project.org_id,
            actor=actor,
            action="project_updated",
            entity_type="project",
            entity_id=project.id,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    needs_evaluation = "template_id" in after or any(f in after for f in EVALUATED_FIELDS)
    return project, needs_evaluation


def get_project(session: Session, *, org_id: int, project_id: int) -> Project:
    """One of the organization's projects; another tenant's id is simply not found."""
    project = session.get(Project, project_id)
    if project is None or project.org_id != org_id:
        raise NotFound(f"no project {project_id}")
    return project


def list_projects(
    session: Session, *, org_id: int, params: PageParams
) -> tuple[list[Project], int]:
    """One page of the organization's projects."""
    statement = select(Project).where(Project.org_id == org_id).order_by(Project.id)
    return paginate(session, statement, params)


def external_ids(
    session: Session, *, org_id: int, entity_type: str, entity_id: int
) -> dict[str, str]:
    """The ids other systems use for one row."""
    rows = session.scalars(
        select(ExternalRef).where(
            ExternalRef.org_id == org_id,
            ExternalRef.entity_type == entity_type,
            ExternalRef.entity_id == entity_id,
        )
    )
    return {row.system: row.external_id for row in rows}


def set_external_id(
    session: Session,
    *,
    org_id: int,
    entity_type: str,
    entity_id: int,
    system: str,
    external_id: str,
) -> ExternalRef:
    """Record that `system` knows this row as `external_id`."""
    existing = session.scalar(
        select(ExternalRef).where(
            ExternalRef.org_id == org_id,
            ExternalRef.system == system,
            ExternalRef.entity_type == entity_type,
            ExternalRef.external_id == external_id,
        )
    )
    if existing is not None:
        if existing.entity_id != entity_id:
            raise Conflict(f"{system} id {external_id} already belongs to another {entity_type}")
        return existing
    ref = ExternalRef(
        org_id=org_id,
        system=system,
        entity_type=entity_type,
        entity_id=entity_id,
        external_id=external_id,
    )
    session.add(ref)
    session.flush()
    return ref


def find_by_external_id(
    session: Session, *, org_id: int, entity_type: str, system: str, external_id: str
) -> int | None:
    """Our id for a row another system names, if we have it."""
    return session.scalar(
        select(ExternalRef.entity_id).where(
            ExternalRef.org_id == org_id,
            ExternalRef.system == system,
            ExternalRef.entity_type == entity_type,
            ExternalRef.external_id == external_id,
        )
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}
