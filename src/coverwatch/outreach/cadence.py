"""When each email of a request is due: the cadences of domain.md, pure (no database).

A request's steps are numbered from 0. Collection and deficiency steps fall a number of days
after the request opened; renewal steps a number of days before the policy's expiration date
(0: on its last covered day, the day before). When several steps are due at once (a sub added
20 days before expiry, a worker that was down), only the latest is sent: one email that says
the current thing, not a burst of stale ones.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BaseModel, Field, field_validator

from coverwatch.requirements.period import last_covered_day

DEFAULT_TIMEZONE = "America/New_York"


class OutreachSettings(BaseModel):
    """An organization's outreach: cadences (days), business hours, time zone, reply-to."""

    collection: list[int] = Field(default=[0, 2, 5, 8], description="Days after the request")
    collection_copy_manager_from: int = Field(
        default=3, ge=0, description="From this collection step on, the project manager is copied"
    )
    deficiency: list[int] = Field(default=[0, 3, 6, 9], description="Days after the notice")
    renewal: list[int] = Field(
        default=[60, 30, 14, 7, 0],
        description="Days before a policy's expiration date (0: its last day covered)",
    )
    timezone: str = Field(default=DEFAULT_TIMEZONE, description="For business hours and days")
    business_hours: tuple[int, int] = Field(default=(8, 17), description="Local [start, end) hour")
    holidays: str | None = Field(
        default=None,
        description=(
            "Public holidays on which no reminder goes: a country code (US, CA), with a "
            "subdivision after a dash (US-CA); none by default"
        ),
        examples=["US", "US-NY"],
    )
    weekly_digest_day: int = Field(default=0, ge=0, le=6, description="0 = Monday")
    reply_to: str | None = Field(
        default=None, max_length=254, description="Where replies to outreach emails go"
    )

    @field_validator("collection", "deficiency")
    @classmethod
    def _after(cls, days: list[int]) -> list[int]:
        if not days or days[0] != 0 or sorted(set(days)) != days or days[-1] > 365:
            raise ValueError("steps must start at 0 and grow, within a year")
        return days

    @field_validator("renewal")
    @classmethod
    def _before(cls, days: list[int]) -> list[int]:
        if not days or sorted(set(days), reverse=True) != days or days[0] > 365 or days[-1] < 0:
            raise ValueError("renewal steps must be days before expiry, largest first, 0 to 365")
        return days

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {name!r}") from exc
        return name

    @field_validator("holidays")
    @classmethod
    def _calendar(cls, value: str | None) -> str | None:
        if not value:
            return None
        country, _, subdivision = value.upper().partition("-")
        try:
            holidays.country_holidays(country, subdiv=subdivision or None)
        except NotImplementedError as exc:
            raise ValueError(f"no public holiday calendar for {value!r}") from exc
        return value.upper()

    @field_validator("business_hours")
    @classmethod
    def _hours(cls, hours: tuple[int, int]) -> tuple[int, int]:
        start, end = hours
        if not 0 <= start < end <= 24:
            raise ValueError("business hours are [start, end) with 0 <= start < end <= 24")
        return hours


def settings_of(settings: dict[str, Any] | None) -> OutreachSettings:
    """The cadences stored in an organization's settings, or the defaults."""
    return OutreachSettings.model_validate((settings or {}).get("outreach", {}))


def step_day(*, kind: str, step: int, anchor: date, cadences: OutreachSettings) -> date:
    """The day a step falls due."""
    if kind == "renewal":
        # Counted back from the expiration date, the first day without coverage; 0 falls on the
        # last day covered, the day before: on the expiration date itself the policy has lapsed.
        return min(anchor - timedelta(days=cadences.renewal[step]), last_covered_day(anchor))
    return anchor + timedelta(days=_offsets(kind, cadences)[step])


def due_step(
    *,
    kind: str,
    anchor: date,
    today: date,
    done: Iterable[int],
    cadences: OutreachSettings,
    last_sent: date | None = None,
) -> int | None:
    """The step to send today, if any: the latest one due that is past every step already sent.

    After a step went late (a weekend, a day already used), the next one keeps its spacing from
    the day the late one actually went, so reminders never come on two days running.
    """
    offsets = _offsets(kind, cadences)
    last_done = max(done, default=-1)
    due = [
        step
        for step in range(len(offsets))
        if step_day(kind=kind, step=step, anchor=anchor, cadences=cadences) <= today
    ]
    if not due or due[-1] <= last_done:
        return None
    step = due[-1]
    spacing = timedelta(days=offsets[step] - offsets[last_done]) if last_done >= 0 else None
    if kind != "renewal" and spacing and last_sent is not None and today < last_sent + spacing:
        return None
    return step


def is_last_step(*, kind: str, step: int, cadences: OutreachSettings) -> bool:
    """Whether nothing follows this step."""
    return step >= len(_offsets(kind, cadences)) - 1


def _offsets(kind: str, cadences: OutreachSettings) -> list[int]:
    if kind == "collection":
        return cadences.collection
    if kind == "deficiency":
        return cadences.deficiency
    if kind == "renewal":
        return cadences.renewal
    return [0]  # a lapse alert is told once


@dataclass(frozen=True)
class LocalTime:
    """Business days and hours in one time zone, less its public holidays."""

    zone: ZoneInfo
    hours: tuple[int, int] = (8, 17)
    workdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    holidays: Container[date] = frozenset()

    def day_of(self, moment: datetime) -> date:
        """The local calendar day of a moment."""
        return moment.astimezone(self.zone).date()

    def is_business_time(self, moment: datetime) -> bool:
        """Whether a moment falls in local business hours on a workday."""
        local = moment.astimezone(self.zone)
        start, end = self.hours
        return (
            local.weekday() in self.workdays
            and start <= local.hour < end
            and local.date() not in self.holidays
        )

    def next_business_time(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` in business hours."""
        local = moment.astimezone(self.zone)
        # A long weekend around a holiday season still ends within a few weeks.
        for _ in range(30):
            if self.is_business_time(local):
                return local
            opening = datetime.combine(local.date(), time(self.hours[0]), self.zone)
            local = opening if local < opening else opening + timedelta(days=1)
        return local


def local_time(cadences: OutreachSettings) -> LocalTime:
    """The business calendar of an organization's cadences."""
    calendar: Container[date] = frozenset()
    if cadences.holidays:
        country, _, subdivision = cadences.holidays.partition("-")
        calendar = holidays.country_holidays(country, subdiv=subdivision or None)
    return LocalTime(
        zone=ZoneInfo(cadences.timezone), hours=cadences.business_hours, holidays=calendar
    )
