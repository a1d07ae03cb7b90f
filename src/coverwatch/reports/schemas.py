"""API shapes of the reports: time saved and its assumptions, the calendar feed's URL."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Assumptions(BaseModel):
    """What a person would spend on each thing coverwatch did instead, in minutes."""

    minutes_per_review: int = Field(
        default=20,
        ge=0,
        le=600,
        description="Reading one certificate against the requirements by hand",
    )
    minutes_per_email: int = Field(
        default=5, ge=0, le=600, description="Writing one request for a certificate or a fix"
    )
    minutes_per_follow_up: int = Field(
        default=10,
        ge=0,
        le=600,
        description="Checking whether a request was answered and chasing it",
    )


class Week(BaseModel):
    """One week of the period (Monday first; the first and last may be partial)."""

    start: date
    requests_sent: int
    reminders_sent: int
    read_without_person: int
    hours_saved: float


class TimeSavedOut(BaseModel):
    """What coverwatch did for an organization in a period, and the hours it saved."""

    period_from: date = Field(serialization_alias="from")
    period_to: date = Field(serialization_alias="to")
    requests_sent: int = Field(description="First emails of requests to subs and agents")
    reminders_sent: int = Field(description="Later steps of those requests")
    documents_read: int = Field(description="Uploaded or emailed files read automatically")
    read_without_person: int = Field(description="Of those, read with nothing left for a person")
    deficiencies_found: int = Field(description="Distinct gaps found per sub and project")
    median_hours_to_compliant: float | None = Field(
        description="From the first request to compliant, over subs that became compliant"
    )
    became_compliant: int = Field(description="Subs that became compliant after a request")
    hours_saved: float
    minutes_saved: dict[str, int] = Field(
        description="Minutes saved by reviews, emails, follow-ups"
    )
    assumptions: Assumptions
    weeks: list[Week]


class CalendarOut(BaseModel):
    """The private address of a calendar feed (anyone with it can read the feed)."""

    url: str
    project_id: int | None = None
