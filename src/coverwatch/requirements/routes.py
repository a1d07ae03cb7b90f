"""HTTP endpoints for requirement templates and the insurer rating table."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from coverwatch.compliance import service as compliance
from coverwatch.compliance.preview import preview_template_change
from coverwatch.compliance.schemas import TemplatePreview
from coverwatch.compliance.tasks import enqueue_after_commit
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role
from coverwatch.pagination import Page, PageParams, page_of, page_params, paginate, paginate_list
from coverwatch.requirements import service
from coverwatch.requirements.models import RequirementTemplate, TemplateVersion
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import InsurerRating

router = APIRouter(tags=["templates"])
EDITOR_ROLES = ("admin", "risk_manager")


class TemplateOut(BaseModel):
    """A template with the rules of its current version."""

    id: int
    key: str
    name: str
    based_on: str | None
    version: int
    spec: dict[str, Any]
    created_at: datetime


class TemplateIn(BaseModel):
    """A new template: a copy of another (`based_on`) or a full `spec`."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$", examples=["ground-up-hospital"])
    name: str | None = Field(default=None, examples=["Ground-up, healthcare owner"])
    based_on: str | None = Field(default=None, examples=["ground-up"])
    spec: dict[str, Any] | None = None


class VersionOut(BaseModel):
    """One saved version of a template."""

    version: int
    created_by: str
    created_at: datetime
    spec: dict[str, Any]


def template_out(session: DbSession, template: RequirementTemplate) -> TemplateOut:
    """A template in the API's shape."""
    version = service.version_at(session, template=template)
    return TemplateOut(
        id=template.id,
        key=template.key,
        name=template.name,
        based_on=template.based_on,
        version=version.version,
        spec=version.spec,
        created_at=template.created_at,
    )


@router.get("/templates", response_model=Page[TemplateOut], summary="List templates")
def list_templates(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[TemplateOut]:
    """Your organization's requirement templates, by key."""
    # An organization has a handful of templates: paged in memory, only the page is described.
    rows, total = paginate_list(service.list_templates(session, org_id=principal.org_id), params)
    return page_of([template_out(session, t) for t in rows], params=params, total=total)


@router.get("/templates/builtin", response_model=Page[dict[str, Any]], summary="The built-in packs")
def builtin_templates(
    principal: CurrentPrincipal, params: Annotated[PageParams, Depends(page_params)]
) -> Page[dict[str, Any]]:
    """The four built-in packs as shipped (your copies may differ)."""
    rows, total = paginate_list(list(BUILTIN_TEMPLATES.values()), params)
    return page_of([spec.model_dump(mode="json") for spec in rows], params=params, total=total)


@router.post(
    "/templates",
    response_model=TemplateOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a template",
)
def create_template(
    session: DbSession, principal: CurrentPrincipal, body: TemplateIn
) -> TemplateOut:
    """A new template, copied from another or given in full."""
    require_role(principal, *EDITOR_ROLES, action="creating a template")
    template = service.create_template(
        session,
        org_id=principal.org_id,
        actor=principal.actor,
        key=body.key,
        name=body.name,
        based_on=body.based_on,
        spec=body.spec,
    )
    return template_out(session, template)


@router.get("/templates/{key}", response_model=TemplateOut, summary="Get a template")
def get_template(session: DbSession, principal: CurrentPrincipal, key: str) -> TemplateOut:
    """One template and its current rules."""
    return template_out(session, service.get_template(session, org_id=principal.org_id, key=key))


@router.put(
    "/templates/{key}",
    response_model=TemplateOut | TemplatePreview,
    summary="Edit a template (or preview the edit)",
)
def update_template(
    session: DbSession,
    principal: CurrentPrincipal,
    key: str,
    spec: dict[str, Any],
    dry_run: bool = Query(
        False, description="Only say whose status would change; save nothing, tell no one"
    ),
) -> TemplateOut | TemplatePreview:
    """Save new rules as a new version; every vendor on its projects is re-evaluated.

    Emails a change causes wait `COVERWATCH_TEMPLATE_CHANGE_GRACE_MINUTES`, so an edit put
    right within that time tells no one.
    """
    require_role(principal, *EDITOR_ROLES, action="editing a template")
    template = service.get_template(session, org_id=principal.org_id, key=key)
    if dry_run:
        parsed = service.parse_spec({**spec, "key": template.key})
        return preview_template_change(session, template=template, spec=parsed)
    service.update_template(session, template=template, actor=principal.actor, spec=spec)
    ids = compliance.mark_template_users_dirty(session, template=template)
    enqueue_after_commit(session, ids, trigger="template_changed")
    return template_out(session, template)


@router.get(
    "/templates/{key}/versions", response_model=Page[VersionOut], summary="A template's versions"
)
def template_versions(
    session: DbSession,
    principal: CurrentPrincipal,
    key: str,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[VersionOut]:
    """Every version of a template, newest first."""
    template = service.get_template(session, org_id=principal.org_id, key=key)
    rows, total = paginate(
        session,
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(TemplateVersion.version.desc()),
        params,
    )
    items = [
        VersionOut(version=r.version, created_by=r.created_by, created_at=r.created_at, spec=r.spec)
        for r in rows
    ]
    return page_of(items, params=params, total=total)


@router.get("/insurer-ratings", response_model=Page[InsurerRating], summary="Insurer ratings")
def list_ratings(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[InsurerRating]:
    """Your organization's insurer rating table (AM Best letter and size), by name."""
    # Every evaluation reads the whole table too: it is small enough to page in memory.
    rows, total = paginate_list(
        service.ratings_for_engine(session, org_id=principal.org_id), params
    )
    return page_of(rows, params=params, total=total)


@router.put("/insurer-ratings", response_model=InsurerRating, summary="Set an insurer's rating")
def set_rating(
    session: DbSession, principal: CurrentPrincipal, body: InsurerRating
) -> InsurerRating:
    """Add or change one insurer's rating; applies at the next evaluation."""
    require_role(principal, *EDITOR_ROLES, action="editing insurer ratings")
    service.upsert_rating(session, org_id=principal.org_id, actor=principal.actor, rating=body)
    return body
