"""API shapes of what the network shares about a vendor."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class SharedPolicyOut(BaseModel):
    """One policy on file in the network: its line, insurer, dates and limits, nothing else."""

    coverage: str = Field(examples=["general_liability"])
    policy_number: str | None = Field(examples=["GL-100200"])
    insurer: str | None = Field(examples=["Cascade Mutual Insurance Co"])
    effective_date: date | None
    expiration_date: date | None = Field(description="The first day without coverage")
    limits: dict[str, int] = Field(examples=[{"each_occurrence": 2000000}])
    endorsements: list[str] = Field(default_factory=list, examples=[["CG 20 10", "CG 20 37"]])


class ConsentOut(BaseModel):
    """That the vendor lets its coverage be reused for other GCs who ask, and since when."""

    scope: str = Field(examples=["coverage"])
    granted_at: datetime


class NetworkOut(BaseModel):
    """What the network holds for one of your vendors, shown before any email is sent.

    Without the vendor's consent this says nothing (`on_file_in_network` false, no coverage),
    exactly as for a vendor no other organization knows.
    """

    vendor_id: int
    on_file_in_network: bool
    consent: ConsentOut | None
    coverage: list[SharedPolicyOut]
