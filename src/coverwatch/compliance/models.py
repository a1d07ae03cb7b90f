"""Evaluations (immutable), their deficiencies, and waivers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow


class Evaluation(Base):
    """The verdict on one project vendor at one moment; never updated after it is written."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    project_vendor_id: Mapped[int] = mapped_column(ForeignKey("project_vendors.id"), index=True)
    as_of: Mapped[date]
    status: Mapped[str] = mapped_column(String(32))
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"))
    certificate_ids: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    trigger: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DeficiencyRow(Base):
    """One gap found by an evaluation, open or waived."""

    __tablename__ = "deficiencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64))
    coverage: Mapped[str | None] = mapped_column(String(64), default=None)
    limit: Mapped[str | None] = mapped_column(String(64), default=None)
    required: Mapped[str | None] = mapped_column(String(200), default=None)
    actual: Mapped[str | None] = mapped_column(String(200), default=None)
    message: Mapped[str] = mapped_column(Text)
    uncertain: Mapped[bool] = mapped_column(default=False)
    waived: Mapped[bool] = mapped_column(default=False)


class Waiver(Base):
    """A risk manager's decision to accept one deficiency, with a reason and an end date."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    project_vendor_id: Mapped[int] = mapped_column(ForeignKey("project_vendors.id"), index=True)
    deficiency_key: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    ends_on: Mapped[date]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
