"""API shapes of projects."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coverwatch.email_addresses import EmailAddress


class ProjectIn(BaseModel):
    """A project as created through the API."""

    name: str = Field(min_length=1, max_length=300, examples=["Harbor View Tower"])
    number: str | None = Field(default=None, max_length=64, examples=["2026-014"])
    address: str | None = Field(default=None, max_length=500, examples=["400 Harbor Blvd, Oakland"])
    state: str | None = Field(default=None, min_length=2, max_length=2, examples=["CA"])
    start_date: date | None = Field(default=None, examples=["2026-03-01"])
    end_date: date | None = Field(default=None, examples=["2028-06-30"])
    certificate_holder: str | None = Field(
        default=None, max_length=500, examples=["Summit Builders, Inc."]
    )
    additional_insureds: list[str] = Field(
        default_factory=list, examples=[["Summit Builders, Inc.", "Harbor View Owner LLC"]]
    )
    template: str = Field(examples=["ground-up"], description="Key of one of your templates")
    manager_email: EmailAddress | None = Field(
        default=None,
        examples=["pm@summit.example"],
        description="The project manager: copied on unanswered requests, told of lapses",
    )
    external_ids: dict[str, str] = Field(default_factory=dict, examples=[{"procore": "5123"}])

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProjectIn:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class ProjectPatch(BaseModel):
    """A partial change to a project; omitted fields stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=300)
    number: str | None = None
    address: str | None = None
    state: str | None = Field(default=None, min_length=2, max_length=2)
    start_date: date | None = None
    end_date: date | None = None
    certificate_holder: str | None = None
    additional_insureds: list[str] | None = None
    template: str | None = None
    manager_email: EmailAddress | None = None


class ProjectOut(BaseModel):
    """A project as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    number: str | None
    address: str | None
    state: str | None
    start_date: date | None
    end_date: date | None
    certificate_holder: str | None
    additional_insureds: list[str]
    template: str
    manager_email: str | None = None
    external_ids: dict[str, str]
    created_at: datetime
