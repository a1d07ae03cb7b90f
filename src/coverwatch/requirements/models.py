"""Requirement templates of an organization, each edit kept as a new immutable version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow


class RequirementTemplate(Base):
    """An organization's template (its own copy of a built-in pack, or its own)."""

    __tablename__ = "requirement_templates"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    based_on: Mapped[str | None] = mapped_column(String(64), default=None)
    current_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TemplateVersion(Base):
    """One version of a template's rules; evaluations record which one they used."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("requirement_templates.id"), index=True)
    version: Mapped[int]
    spec: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(200), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InsurerRatingRow(Base):
    """An insurer's AM Best rating as the organization records it."""

    __tablename__ = "insurer_ratings"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    naic: Mapped[str | None] = mapped_column(String(16), default=None)
    best_rating: Mapped[str] = mapped_column(String(8))
    financial_size: Mapped[str | None] = mapped_column(String(8), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
