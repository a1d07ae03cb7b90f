"""API shapes of vendors, their contacts and project assignments."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coverwatch.email_addresses import EmailAddress


class ContactIn(BaseModel):
    """A person to write to about the vendor's insurance."""

    role: Literal["office", "insurance_agent", "other"] = Field(examples=["office"])
    name: str = Field(default="", max_length=200, examples=["Dana Ruiz"])
    email: EmailAddress | None = Field(
        default=None,
        examples=["dana@acmeroofing.com"],
        description="Checked as an address (not for delivery) and kept normalised, in lower case",
    )
    phone: str | None = Field(default=None, max_length=64, examples=["510-555-0142"])


class ContactOut(ContactIn):
    """A contact as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    # As stored: addresses kept before they were checked are shown, not refused.
    email: str | None = None


class VendorIn(BaseModel):
    """A vendor as created through the API."""

    legal_name: str = Field(min_length=1, max_length=300, examples=["Acme Roofing, LLC"])
    dba_names: list[str] = Field(default_factory=list, examples=[["Acme Exteriors"]])
    contacts: list[ContactIn] = Field(default_factory=list)
    external_ids: dict[str, str] = Field(default_factory=dict, examples=[{"procore": "88121"}])


class VendorPatch(BaseModel):
    """A partial change to a vendor."""

    legal_name: str | None = Field(default=None, min_length=1, max_length=300)
    dba_names: list[str] | None = None
    contacts: list[ContactIn] | None = Field(
        default=None, description="When given, replaces all contacts"
    )


class VendorOut(BaseModel):
    """A vendor as the API returns it."""

    id: int
    legal_name: str
    dba_names: list[str]
    contacts: list[ContactOut]
    external_ids: dict[str, str]
    created_at: datetime


class AssignmentIn(BaseModel):
    """Assign a vendor to a project; tracking starts at once."""

    vendor_id: int = Field(examples=[12])
    trade: str | None = Field(default=None, max_length=100, examples=["roofing"])


class DeficiencyOut(BaseModel):
    """One open or waived gap, in words a sub can act on."""

    key: str = Field(examples=["limit_below_minimum:general_liability:each_occurrence"])
    code: str = Field(examples=["limit_below_minimum"])
    coverage: str | None = Field(examples=["general_liability"])
    limit: str | None = Field(examples=["each_occurrence"])
    required: int | str | None = Field(examples=[2000000])
    actual: int | str | None = Field(examples=[500000])
    message: str
    uncertain: bool = False


class ProjectVendorOut(BaseModel):
    """A vendor on a project, with its compliance status and approval."""

    id: int
    project_id: int
    vendor_id: int
    vendor_name: str
    trade: str | None
    status: Literal["pending", "needs_review", "non_compliant", "expiring", "expired", "compliant"]
    status_changed_at: datetime
    approved: bool
    approved_at: datetime | None
    approved_by: str | None
    tracking: bool
    deficiencies: list[DeficiencyOut]
    evaluated_at: datetime | None
