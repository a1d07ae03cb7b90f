"""The dashboard's report page: time saved in a period (with a chart), its assumptions, the
calendar feed of coverage ends.

The chart is an SVG drawn here, on the server: no script and no chart library to load.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.errors import CoverwatchError
from coverwatch.orgs import signin
from coverwatch.orgs.auth import DbSession
from coverwatch.orgs.models import Organization, User
from coverwatch.reports import calendar, time_saved
from coverwatch.reports.schemas import Assumptions, Week
from coverwatch.web.panel import (
    session_secret,
    signed_in,
    signin_redirect,
    templates,
    unframable_headers,
)

router = APIRouter(include_in_schema=False)
EDITOR_ROLES = ("admin", "risk_manager")
PATH = "/dashboard/reports"
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 640, 220, 24, 36


def chart(weeks: list[Week]) -> dict[str, Any]:
    """Bars of the hours saved per week, in SVG coordinates (the tallest fills the height)."""
    tallest = max((w.hours_saved for w in weeks), default=0.0) or 1.0
    room = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH / max(1, len(weeks))
    bars = []
    for i, week in enumerate(weeks):
        height = round(room * week.hours_saved / tallest, 1)
        bars.append(
            {
                "x": round(i * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(CHART_TOP + room - height, 1),
                "height": height,
                "middle": round(i * slot + slot / 2, 1),
                "hours": week.hours_saved,
                "label": week.start.strftime("%b %-d"),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_BOTTOM,
        "bars": bars,
        # Week labels every few bars when there are many, so they never overlap.
        "label_every": max(1, len(weeks) // 12),
    }


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _page(
    request: Request, session: Session, *, user: User, token: str, **context: Any
) -> HTMLResponse:
    org = session.get(Organization, user.org_id)
    status = int(context.pop("status_code", 200))
    query = request.query_params
    error = context.pop("error", None)
    try:
        start, end = time_saved.period(
            _day(query.get("from")), _day(query.get("to")), today=clock.today()
        )
    except CoverwatchError as exc:
        error, status = error or f"{exc.message.capitalize()}; showing the last 30 days.", 422
        start, end = time_saved.period(None, None, today=clock.today())
    report = time_saved.report(session, org_id=user.org_id, start=start, end=end)
    can_edit = user.role in EDITOR_ROLES
    base = {
        "org": org,
        "user": user,
        "can_edit": can_edit,
        "form_token": signin.form_token(session_secret(), token),
        "report": report,
        "chart": chart(report.weeks),
        "feed_url": calendar.feed_url(session, org_id=user.org_id) if can_edit else None,
        "error": error,
    }
    return templates.TemplateResponse(
        request,
        "dashboard_reports.html",
        {**base, **context},
        status_code=status,
        headers=unframable_headers(),
    )


@router.get(PATH, response_class=HTMLResponse, response_model=None)
def reports_page(request: Request, session: DbSession) -> Response:
    """Time saved in a period (the last 30 days unless `from`/`to` say otherwise)."""
    signed = signed_in(request, session)
    if signed is None:
        return signin_redirect(PATH)
    user, token = signed
    return _page(request, session, user=user, token=token, saved=request.query_params.get("saved"))


async def _edit(request: Request, action: str) -> Response:
    form = await request.form()
    with session_scope() as session:
        signed = signed_in(request, session)
        if signed is None:
            return signin_redirect(PATH)
        user, token = signed

        def again(message: str, status_code: int) -> HTMLResponse:
            return _page(
                request, session, user=user, token=token, error=message, status_code=status_code
            )

        if not hmac.compare_digest(
            str(form.get("form_token", "")), signin.form_token(session_secret(), token)
        ):
            return again("The page was out of date; nothing was changed.", 403)
        if user.role not in EDITOR_ROLES:
            return again("Only a risk manager or an admin can change this.", 403)
        actor = f"user:{user.email}"
        if action == "rotate":
            calendar.rotate(session, org_id=user.org_id, actor=actor)
        else:
            try:
                value = Assumptions.model_validate(
                    {key: form.get(key) for key in Assumptions.model_fields}
                )
            except ValidationError:
                return again("Each assumption is a whole number of minutes, 0 to 600.", 422)
            time_saved.save_assumptions(session, org_id=user.org_id, value=value, actor=actor)
    return RedirectResponse(f"{PATH}?saved={action}", status_code=303)


@router.post(f"{PATH}/assumptions", response_class=HTMLResponse, response_model=None)
async def assumptions_post(request: Request) -> Response:
    """Save the minutes per review, email and follow-up."""
    return await _edit(request, "assumptions")


@router.post(f"{PATH}/calendar/rotate", response_class=HTMLResponse, response_model=None)
async def calendar_rotate_post(request: Request) -> Response:
    """Revoke the calendar feed URLs given out so far; the page shows the new one."""
    return await _edit(request, "rotate")
