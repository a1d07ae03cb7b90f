"""The one source of "now": business dates and timestamps, with an offset for time travel.

Tests and the demo move time forward to show renewals and lapses; production never sets it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """The current time, UTC-aware, shifted by the travel offset."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date in UTC, shifted by the travel offset."""
    return now().date()


def travel(
    *, days: float = 0, hours: float = 0, to: date | None = None, at: datetime | None = None
) -> None:
    """Shift the clock by `days` and `hours`, so that today is `to`, or so that now is `at`."""
    global _offset
    if at is not None:
        _offset = at - datetime.now(UTC)
    elif to is not None:
        _offset = datetime.combine(to, datetime.now(UTC).timetz()) - datetime.now(UTC)
    else:
        _offset += timedelta(days=days, hours=hours)


def reset() -> None:
    """Back to real time."""
    global _offset
    _offset = timedelta(0)


def end_of_day(day: date) -> datetime:
    """The first instant after `day` (UTC), the bound for "on file by that day"."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
