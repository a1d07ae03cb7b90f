"""The calendar feed: coverage ends per organization and per project, at a revocable URL."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from icalendar import Calendar

from coverwatch import clock
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    TUESDAY_MORNING,
    add_project,
    add_vendor,
    assign,
    file_certificate,
)


def _url(client: TestClient, tenant: Tenant, *, project_id: int | None = None) -> str:
    params = {"project_id": project_id} if project_id else {}
    answer = client.get(
        "/api/v1/reports/calendar", headers=tenant.headers("risk_manager"), params=params
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["url"])


def _feed(client: TestClient, url: str) -> Calendar:
    answer = client.get(urlsplit(url).path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(answer.content)


def _events(calendar: Calendar) -> list[tuple[str, date, date]]:
    return sorted(
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in calendar.events
    )


def _two_projects(client: TestClient, tenant: Tenant) -> tuple[int, int, int]:
    """Acme on two projects (its policies end in 90 days), Bolt on one (200 days)."""
    clock.travel(at=TUESDAY_MORNING)
    tower = add_project(client, tenant)
    clinic = add_project(client, tenant, name="Bayside Clinic")
    acme = add_vendor(client, tenant)
    bolt = add_vendor(client, tenant, name="Bolt Electric Inc", office="office@bolt.example")
    assign(client, tenant, project_id=tower, vendor_id=acme)
    assign(client, tenant, project_id=clinic, vendor_id=acme)
    assign(client, tenant, project_id=clinic, vendor_id=bolt)
    file_certificate(client, tenant, acme, expires_in_days=90)
    file_certificate(client, tenant, bolt, insured="Bolt Electric Inc", expires_in_days=200)
    return tower, clinic, acme


def test_feed_has_an_all_day_event_per_line_on_the_first_day_without_coverage(
    client: TestClient, tenant: Tenant
) -> None:
    tower, _clinic, _acme = _two_projects(client, tenant)
    ends = clock.today() + timedelta(days=90)
    calendar = _feed(client, _url(client, tenant))
    assert "coverage ends" in str(calendar["x-wr-calname"])
    events = _events(calendar)
    acme = [e for e in events if "Acme Roofing, LLC" in e[0]]
    bolt = [e for e in events if "Bolt Electric Inc" in e[0]]
    assert acme and bolt and len(events) == len(acme) + len(bolt)
    assert {start for _, start, _ in acme} == {ends}
    assert all(end - start == timedelta(days=1) for _, start, end in events)
    assert all(isinstance(start, date) and not hasattr(start, "hour") for _, start, _ in events)
    gl = next(e for e in calendar.events if e["summary"].endswith("general liability"))
    assert str(gl["summary"]).startswith("Coverage ends: Acme Roofing, LLC")
    text = str(gl["description"])
    assert "Policy number: " in text and "not shown" not in text
    assert "Projects: Bayside Clinic, Harbor View Tower" in text
    assert f"Last covered day: {(ends - timedelta(days=1)).isoformat()}" in text
    # Per project: only the subs on it.
    tower_events = _events(_feed(client, _url(client, tenant, project_id=tower)))
    assert tower_events == acme


def test_rotating_revokes_every_url_and_bad_tokens_answer_404(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    tower, _clinic, _acme = _two_projects(client, tenant)
    org_url, project_url = _url(client, tenant), _url(client, tenant, project_id=tower)
    assert _url(client, tenant) == org_url  # stable until rotated
    rotated = client.post("/api/v1/reports/calendar/rotate", headers=tenant.headers("admin"))
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["url"] != org_url
    for old in (org_url, project_url):
        assert client.get(urlsplit(old).path).status_code == 404
    assert _feed(client, rotated.json()["url"]).events
    forged = urlsplit(rotated.json()["url"]).path.replace(".ics", "x.ics")
    assert client.get(forged).status_code == 404
    assert client.get("/calendar/nonsense.ics").status_code == 404
    # Roles: only an admin or a risk manager sees or rotates the URL.
    for role in ("project_manager", "viewer"):
        headers = tenant.headers(role)
        assert client.get("/api/v1/reports/calendar", headers=headers).status_code == 403
        answer = client.post("/api/v1/reports/calendar/rotate", headers=headers)
        assert answer.status_code == 403
    # Another organization's project is not found; its own feed has none of these subs.
    answer = client.get(
        "/api/v1/reports/calendar",
        headers=other_tenant.headers("admin"),
        params={"project_id": tower},
    )
    assert answer.status_code == 404
    theirs = client.get("/api/v1/reports/calendar", headers=other_tenant.headers("admin"))
    assert _feed(client, theirs.json()["url"]).events == []


def test_a_renewal_on_file_moves_the_end_and_past_ends_are_left_out(
    client: TestClient, tenant: Tenant
) -> None:
    _tower, _clinic, acme_id = _two_projects(client, tenant)
    file_certificate(client, tenant, acme_id, expires_in_days=455)
    starts = {
        s for summary, s, _ in _events(_feed(client, _url(client, tenant))) if "Acme" in summary
    }
    assert starts == {clock.today() + timedelta(days=455)}
    clock.travel(days=460)
    assert _events(_feed(client, _url(client, tenant))) == []
