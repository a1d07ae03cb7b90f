"""The policy period: which days a policy's two printed dates cover.

A standard policy's declarations (ISO's common policy declarations, IL DS 00) put the start and
the end of the period at 12:01 a.m. standard time at the named insured's mailing address, on the
effective date and on the expiration date; the ACORD 25 prints both dates as the policy shows
them. So the effective date is covered from its first minute, and the expiration date is not: it
is the first day without coverage, and the day before it is the last day covered.
"""

from __future__ import annotations

from datetime import date, timedelta


def has_started(effective: date, day: date) -> bool:
    """Whether a policy effective on `effective` covers `day` or an earlier day."""
    return effective <= day


def has_ended(expiration: date, day: date) -> bool:
    """Whether a policy expiring on `expiration` has stopped covering by `day`."""
    return expiration <= day


def last_covered_day(expiration: date) -> date:
    """The last day a policy expiring on `expiration` covers."""
    return expiration - timedelta(days=1)


def days_left(expiration: date, day: date) -> int:
    """Days of coverage left from `day` on, `day` included (1 on the last covered day)."""
    return (expiration - day).days
