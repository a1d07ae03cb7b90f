"""An organization's requirement templates (versioned) and its insurer rating table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.errors import Conflict, InvalidInput, NotFound
from coverwatch.requirements.models import InsurerRatingRow, RequirementTemplate, TemplateVersion
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import InsurerRating, TemplateSpec


def install_builtin_templates(session: Session, *, org_id: int) -> list[RequirementTemplate]:
    """Give an organization its own editable copy of every built-in pack."""
    installed = []
    for key, spec in BUILTIN_TEMPLATES.items():
        exists = session.scalar(
            select(RequirementTemplate).where(
                RequirementTemplate.org_id == org_id, RequirementTemplate.key == key
            )
        )
        if exists is None:
            installed.append(
                _create(session, org_id=org_id, spec=spec, based_on=key, actor="system")
            )
    return installed


def parse_spec(raw: dict[str, Any]) -> TemplateSpec:
    """A template spec from JSON, or InvalidInput listing what is wrong."""
    try:
        return TemplateSpec.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(
            "the template is not valid",
            details=exc.errors(include_url=False, include_context=False, include_input=False),
        ) from exc


def create_template(
    session: Session,
    *,
    org_id: int,
    actor: str,
    key: str,
    name: str | None = None,
    based_on: str | None = None,
    spec: dict[str, Any] | None = None,
) -> RequirementTemplate:
    """A new template: a copy of a built-in or existing one, or a spec given in full."""
    if session.scalar(
        select(RequirementTemplate).where(
            RequirementTemplate.org_id == org_id, RequirementTemplate.key == key
        )
    ):
        raise Conflict(f"a template with key {key!r} already exists")
    if spec is not None:
        parsed = parse_spec({**spec, "key": key, **({"name": name} if name else {})})
    elif based_on is not None:
        source = BUILTIN_TEMPLATES.get(based_on)
        if source is None:
            source = current_spec(
                session, template=get_template(session, org_id=org_id, key=based_on)
            )
        parsed = source.model_copy(update={"key": key, "name": name or source.name})
    else:
        raise InvalidInput("give either `spec` or `based_on`")
    return _create(session, org_id=org_id, spec=parsed, based_on=based_on, actor=actor)


def update_template(
    session: Session, *, template: RequirementTemplate, actor: str, spec: dict[str, Any]
) -> TemplateVersion:
    """Save an edit as a new version; earlier evaluations keep pointing at theirs."""
    parsed = parse_spec({**spec, "key": template.key})
    template.current_version += 1
    template.name = parsed.name
    version = TemplateVersion(
        org_id=template.org_id,
        template_id=template.id,
        version=template.current_version,
        spec=parsed.model_dump(mode="json"),
        created_by=actor,
    )
    session.add(version)
    session.flush()
    audit.record(
        session,
        org_id=template.org_id,
        actor=actor,
        action="template_updated",
        entity_type="requirement_template",
        entity_id=template.id,
        before={"version": template.current_version - 1},
        after={"version": template.current_version},
    )
    return version


def list_templates(session: Session, *, org_id: int) -> list[RequirementTemplate]:
    """All of an organization's templates."""
    return list(
        session.scalars(
            select(RequirementTemplate)
            .where(RequirementTemplate.org_id == org_id)
            .order_by(RequirementTemplate.key)
        )
    )


def get_template(
    session: Session, *, org_id: int, key: str | None = None, template_id: int | None = None
) -> RequirementTemplate:
    """One of the organization's templates, by key or id."""
    statement = select(RequirementTemplate).where(RequirementTemplate.org_id == org_id)
    if template_id is not None:
        statement = statement.where(RequirementTemplate.id == template_id)
    else:
        statement = statement.where(RequirementTemplate.key == key)
    template = session.scalar(statement)
    if template is None:
        raise NotFound(f"no requirement template {key or template_id!r}")
    return template


def version_at(
    session: Session, *, template: RequirementTemplate, moment: datetime | None = None
) -> TemplateVersion:
    """The version in force at `moment` (the current one when None)."""
    statement = select(TemplateVersion).where(TemplateVersion.template_id == template.id)
    if moment is not None:
        statement = statement.where(TemplateVersion.created_at <= moment)
    version = session.scalar(statement.order_by(TemplateVersion.version.desc()).limit(1))
    if version is None:
        # Asked about a time before the template existed: its first version is the best answer.
        version = session.scalar(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template.id)
            .order_by(TemplateVersion.version)
            .limit(1)
        )
    if version is None:
        raise NotFound(f"template {template.key!r} has no versions")
    return version


def current_spec(session: Session, *, template: RequirementTemplate) -> TemplateSpec:
    """The rules of the template's current version."""
    return TemplateSpec.model_validate(version_at(session, template=template).spec)


def list_ratings(session: Session, *, org_id: int) -> list[InsurerRatingRow]:
    """The organization's insurer rating table."""
    return list(
        session.scalars(
            select(InsurerRatingRow)
            .where(InsurerRatingRow.org_id == org_id)
            .order_by(InsurerRatingRow.name)
        )
    )


def ratings_for_engine(session: Session, *, org_id: int) -> list[InsurerRating]:
    """The rating table in the engine's shape."""
    return [
        InsurerRating(
            name=row.name,
            naic=row.naic,
            best_rating=row.best_rating,
            financial_size=row.financial_size,
        )
        for row in list_ratings(session, org_id=org_id)
    ]


def upsert_rating(
    session: Session, *, org_id: int, actor: str, rating: InsurerRating
) -> InsurerRatingRow:
    """Add or change one insurer's rating."""
    row = session.scalar(
        select(InsurerRatingRow).where(
            InsurerRatingRow.org_id == org_id, InsurerRatingRow.name == rating.name
        )
    )
    before = None
    if row is None:
        row = InsurerRatingRow(org_id=org_id, name=rating.name, best_rating=rating.best_rating)
        session.add(row)
    else:
        before = {"best_rating": row.best_rating, "financial_size": row.financial_size}
    row.naic = rating.naic
    row.best_rating = rating.best_rating
    row.financial_size = rating.financial_size
    session.flush()
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="insurer_rating_set",
        entity_type="insurer_rating",
        entity_id=row.id,
        before=before,
        after=rating.model_dump(),
    )
    return row


def _create(
    session: Session, *, org_id: int, spec: TemplateSpec, based_on: str | None, actor: str
) -> RequirementTemplate:
    template = RequirementTemplate(
        org_id=org_id, key=spec.key, name=spec.name, based_on=based_on, current_version=1
    )
    session.add(template)
    session.flush()
    session.add(
        TemplateVersion(
            org_id=org_id,
            template_id=template.id,
            version=1,
            spec=spec.model_dump(mode="json"),
            created_by=actor,
        )
    )
    session.flush()
    return template
