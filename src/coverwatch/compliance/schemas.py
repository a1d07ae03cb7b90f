"""API shapes of the compliance domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WaiverIn(BaseModel):
    """Waive one open deficiency until a date, with a reason."""

    deficiency_key: str = Field(examples=["limit_below_minimum:umbrella:each_occurrence"])
    reason: str = Field(
        min_length=3,
        max_length=2000,
        examples=["Owner accepted $4M umbrella for this scope in the prime contract, sec. 11.2"],
    )
    ends_on: date = Field(examples=["2027-06-30"])


class WaiverOut(BaseModel):
    """A waiver as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_vendor_id: int
    deficiency_key: str
    reason: str
    ends_on: date
    created_by: str
    created_at: datetime
    revoked_at: datetime | None


class EvaluationOut(BaseModel):
    """A recorded evaluation: the verdict, what it used, and when."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_vendor_id: int
    as_of: date
    status: str
    template_version_id: int
    certificate_ids: list[int]
    trigger: str
    created_at: datetime
    result: dict[str, Any]


class ComplianceOut(BaseModel):
    """The verdict on a project vendor, now or as of a past date."""

    project_vendor_id: int
    as_of: date
    status: str = Field(examples=["non_compliant"])
    deficiencies: list[dict[str, Any]]
    waived: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    template_key: str
    earliest_expiration: date | None
    recorded: bool = Field(
        description="True when this is the stored latest evaluation; false when recomputed "
        "from what was on file that day"
    )


class StatusChange(BaseModel):
    """One sub whose status or fix list a template edit would change."""

    project_vendor_id: int
    vendor_id: int
    vendor_name: str
    project_id: int
    project_name: str
    status: str
    status_label: str
    would_be: str
    would_be_label: str
    new_gaps: list[str] = Field(default_factory=list)
    gaps_gone: list[str] = Field(default_factory=list)


class TemplatePreview(BaseModel):
    """What saving a template edit would do; nothing was saved and no one was told."""

    dry_run: bool = True
    key: str
    version: int = Field(description="The current version, which stays current")
    changes: list[StatusChange]
    unchanged: int
    checked: int
    complete: bool = Field(description="False when the template has more subs than one preview")
