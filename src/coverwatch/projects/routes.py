"""HTTP endpoints for projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from coverwatch.compliance import service as compliance
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role, writer_roles
from coverwatch.pagination import Page, PageParams, page_params
from coverwatch.projects import service
from coverwatch.projects.models import Project
from coverwatch.projects.schemas import ProjectIn, ProjectOut, ProjectPatch
from coverwatch.requirements.models import RequirementTemplate

router = APIRouter(prefix="/projects", tags=["projects"])


def project_out(session: DbSession, project: Project) -> ProjectOut:
    """A project in the API's shape."""
    template = session.get(RequirementTemplate, project.template_id)
    return ProjectOut.model_validate(
        {
            **{c: getattr(project, c) for c in ProjectOut.model_fields if hasattr(project, c)},
            "template": template.key if template else "",
            "external_ids": service.external_ids(
                session, org_id=project.org_id, entity_type="project", entity_id=project.id
            ),
        }
    )


@router.get("", response_model=Page[ProjectOut], summary="List projects")
def list_projects(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ProjectOut]:
    """Your organization's projects, oldest first."""
    rows, total = service.list_projects(session, org_id=principal.org_id, params=params)
    return Page(
        items=[project_out(session, p) for p in rows],
        page=params.page,
        per_page=params.per_page,
        total=total,
    )


@router.post(
    "", response_model=ProjectOut, status_code=status.HTTP_201_CREATED, summary="Create a project"
)
def create_project(session: DbSession, principal: CurrentPrincipal, body: ProjectIn) -> ProjectOut:
    """A new project; `template` is the key of one of your requirement templates."""
    require_role(principal, *writer_roles(), action="creating a project")
    project = service.create_project(
        session, org_id=principal.org_id, actor=principal.actor, data=body
    )
    return project_out(session, project)


@router.get("/{project_id}", response_model=ProjectOut, summary="Get a project")
def get_project(session: DbSession, principal: CurrentPrincipal, project_id: int) -> ProjectOut:
    """One project."""
    return project_out(
        session, service.get_project(session, org_id=principal.org_id, project_id=project_id)
    )


@router.patch("/{project_id}", response_model=ProjectOut, summary="Change a project")
def update_project(
    session: DbSession, principal: CurrentPrincipal, project_id: int, body: ProjectPatch
) -> ProjectOut:
    """Change a project; new dates, holder or template re-evaluate its vendors at once."""
    require_role(principal, *writer_roles(), action="changing a project")
    project = service.get_project(session, org_id=principal.org_id, project_id=project_id)
    project, needs_evaluation = service.update_project(
        session, project=project, actor=principal.actor, patch=body
    )
    if needs_evaluation:
        compliance.reevaluate_project(
            session, project=project, trigger="project_changed", actor=principal.actor
        )
    return project_out(session, project)
