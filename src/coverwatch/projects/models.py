"""Projects, with their requirement settings and ids in other systems."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow


class Project(Base):
    """A construction project whose subcontractors must carry the template's insurance."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    number: Mapped[str | None] = mapped_column(String(64), default=None)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    state: Mapped[str | None] = mapped_column(String(2), default=None)
    start_date: Mapped[date | None] = mapped_column(default=None)
    end_date: Mapped[date | None] = mapped_column(default=None)
    certificate_holder: Mapped[str | None] = mapped_column(String(500), default=None)
    additional_insureds: Mapped[list[Any]] = mapped_column(default=list)
    template_id: Mapped[int] = mapped_column(ForeignKey("requirement_templates.id"), index=True)
    # Copied on collection reminders that go unanswered and told of lapses.
    manager_email: Mapped[str | None] = mapped_column(String(254), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ExternalRef(Base):
    """An id that another system (Procore, an ERP) uses for one of our rows."""

    __tablename__ = "external_refs"
    __table_args__ = (UniqueConstraint("org_id", "system", "entity_type", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    system: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(index=True)
    external_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
