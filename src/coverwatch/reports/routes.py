"""HTTP: the time-saved report and its assumptions, the calendar feed and its private URL."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from fastapi.responses import Response

from coverwatch import clock
from coverwatch.orgs.auth import CurrentPrincipal, DbSession, require_role
from coverwatch.reports import calendar, time_saved
from coverwatch.reports.schemas import Assumptions, CalendarOut, TimeSavedOut

router = APIRouter(tags=["reports"])
# The public feed itself: no sign-in, the token in the path is the key.
feed_router = APIRouter(include_in_schema=False)
SETTINGS_ROLES = ("admin", "risk_manager")


@router.get(
    "/reports/time-saved",
    response_model=TimeSavedOut,
    response_model_by_alias=True,
    summary="Time saved in a period",
)
def time_saved_report(
    principal: CurrentPrincipal,
    session: DbSession,
    start: date | None = Query(None, alias="from", description="First day (UTC); 30 days ago"),
    end: date | None = Query(None, alias="to", description="Last day (UTC), included; today"),
) -> TimeSavedOut:
    """Requests and reminders sent, documents read (and read with no person), deficiencies
    found, the median time from a request to compliant, and the hours saved by the
    organization's assumptions, in total and week by week."""
    first, last = time_saved.period(start, end, today=clock.today())
    return time_saved.report(session, org_id=principal.org_id, start=first, end=last)


@router.get(
    "/reports/assumptions", response_model=Assumptions, summary="Assumptions of the time saved"
)
def get_assumptions(principal: CurrentPrincipal, session: DbSession) -> Assumptions:
    """Minutes a person would spend per review, per email and per follow-up."""
    return time_saved.assumptions_of(session, org_id=principal.org_id)


@router.put("/reports/assumptions", response_model=Assumptions, summary="Change the assumptions")
def put_assumptions(
    principal: CurrentPrincipal, session: DbSession, body: Assumptions
) -> Assumptions:
    """Replace the organization's assumptions (admin or risk manager)."""
    require_role(principal, *SETTINGS_ROLES, action="changing the report's assumptions")
    return time_saved.save_assumptions(
        session, org_id=principal.org_id, value=body, actor=principal.actor
    )


@router.get("/reports/calendar", response_model=CalendarOut, summary="The calendar feed's URL")
def calendar_url(
    principal: CurrentPrincipal,
    session: DbSession,
    project_id: int | None = Query(None, description="One project's feed; else the whole org's"),
) -> CalendarOut:
    """The private iCalendar URL of upcoming coverage ends (admin or risk manager)."""
    require_role(principal, *SETTINGS_ROLES, action="reading the calendar feed's URL")
    url = calendar.feed_url(session, org_id=principal.org_id, project_id=project_id)
    return CalendarOut(url=url, project_id=project_id)


@router.post(
    "/reports/calendar/rotate",
    response_model=CalendarOut,
    summary="Revoke the calendar feed URLs",
)
def rotate_calendar(
    principal: CurrentPrincipal,
    session: DbSession,
    project_id: int | None = Query(None, description="The new URL to answer with"),
) -> CalendarOut:
    """Every feed URL given out so far (the org's and each project's) stops working; the new
    one is returned (admin or risk manager)."""
    require_role(principal, *SETTINGS_ROLES, action="revoking the calendar feed")
    calendar.rotate(session, org_id=principal.org_id, actor=principal.actor)
    url = calendar.feed_url(session, org_id=principal.org_id, project_id=project_id)
    return CalendarOut(url=url, project_id=project_id)


@feed_router.get("/calendar/{token}.ics")
def calendar_feed(session: DbSession, token: str) -> Response:
    """The feed itself: 404 for a forged or revoked token."""
    org_id, project_id = calendar.scope_of_token(session, token=token)
    return Response(
        calendar.feed(session, org_id=org_id, project_id=project_id),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"},
    )
