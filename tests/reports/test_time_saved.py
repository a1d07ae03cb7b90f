"""The time-saved report through HTTP: counted from what coverwatch did, tenant by tenant."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.outreach.tasks import plan_all
from tests.orgs.factories import Tenant
from tests.outreach.factories import AGENT, SUB, TUESDAY_MORNING, add_sub, emails_to
from tests.samples import drawn_certificate


def _upload(client: TestClient, tenant: Tenant, vendor_id: int, umbrella: int) -> None:
    pdf, _data = drawn_certificate(umbrella=umbrella)
    answer = client.post(
        f"/api/v1/vendors/{vendor_id}/documents",
        headers=tenant.headers("admin"),
        files={"file": ("coi.pdf", pdf, "application/pdf")},
    )
    assert answer.status_code == 202, answer.text


def _report(client: TestClient, tenant: Tenant, role: str = "viewer", **params: str) -> Any:
    answer = client.get("/api/v1/reports/time-saved", headers=tenant.headers(role), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _a_sub_asked_reminded_fixed(client: TestClient, tenant: Tenant) -> None:
    """Asked on a Tuesday, reminded on Thursday, deficient on Friday, compliant on Friday."""
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    clock.travel(days=2)
    plan_all()
    clock.travel(days=1)
    # Roofing on this project wants a $10M umbrella.
    _upload(client, tenant, sub.vendor_id, umbrella=5_000_000)
    _upload(client, tenant, sub.vendor_id, umbrella=10_000_000)


def test_counts_median_and_hours_saved_with_editable_assumptions(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    _a_sub_asked_reminded_fixed(client, tenant)
    assert [e.kind for e in emails_to(SUB)] == ["collection", "collection", "deficiency"]
    assert [e.kind for e in emails_to(AGENT)] == ["deficiency"]
    today = clock.today()
    report = _report(client, tenant, **{"from": (today - timedelta(days=6)).isoformat()})
    assert report["from"] == (today - timedelta(days=6)).isoformat()
    assert report["to"] == today.isoformat()
    assert report["requests_sent"] == 3  # collection to the sub; the fix list to sub and agent
    assert report["reminders_sent"] == 1
    assert report["documents_read"] == 2
    assert report["read_without_person"] == 2
    assert report["deficiencies_found"] == 2  # umbrella each occurrence and aggregate
    assert report["became_compliant"] == 1
    assert report["median_hours_to_compliant"] == 72.0
    # 2 reviews x 20 min + 3 emails x 5 + 1 follow-up x 10 = 65 minutes.
    assert report["minutes_saved"] == {"reviews": 40, "emails": 15, "follow_ups": 10}
    assert report["hours_saved"] == 1.1
    assert report["assumptions"] == {
        "minutes_per_review": 20,
        "minutes_per_email": 5,
        "minutes_per_follow_up": 10,
    }
    assert sum(w["requests_sent"] for w in report["weeks"]) == 3
    assert sum(w["hours_saved"] for w in report["weeks"]) == 1.1

    changed = {"minutes_per_review": 30, "minutes_per_email": 6, "minutes_per_follow_up": 12}
    for role in ("viewer", "project_manager"):
        answer = client.put(
            "/api/v1/reports/assumptions", headers=tenant.headers(role), json=changed
        )
        assert answer.status_code == 403
    answer = client.put(
        "/api/v1/reports/assumptions", headers=tenant.headers("risk_manager"), json=changed
    )
    assert answer.status_code == 200, answer.text
    shown = client.get("/api/v1/reports/assumptions", headers=tenant.headers("viewer")).json()
    assert shown == changed
    assert _report(client, tenant)["hours_saved"] == 1.5  # (60 + 18 + 12) / 60
    bad = {**changed, "minutes_per_review": -1}
    answer = client.put("/api/v1/reports/assumptions", headers=tenant.headers("admin"), json=bad)
    assert answer.status_code == 422

    # Another organization counts none of it, and keeps the default assumptions.
    theirs = _report(client, other_tenant)
    assert (theirs["requests_sent"], theirs["documents_read"], theirs["hours_saved"]) == (0, 0, 0)
    assert theirs["assumptions"]["minutes_per_review"] == 20


def test_the_period_bounds_what_is_counted(client: TestClient, tenant: Tenant) -> None:
    _a_sub_asked_reminded_fixed(client, tenant)
    today = clock.today()
    before = _report(
        client,
        tenant,
        **{
            "from": (today - timedelta(days=60)).isoformat(),
            "to": (today - timedelta(days=4)).isoformat(),
        },
    )
    assert (before["requests_sent"], before["reminders_sent"], before["documents_read"]) == (
        0,
        0,
        0,
    )
    assert before["median_hours_to_compliant"] is None
    first_day = _report(
        client,
        tenant,
        **{
            "from": (today - timedelta(days=3)).isoformat(),
            "to": (today - timedelta(days=3)).isoformat(),
        },
    )
    assert (first_day["requests_sent"], first_day["reminders_sent"]) == (1, 0)
    answer = client.get(
        "/api/v1/reports/time-saved",
        headers=tenant.headers("admin"),
        params={"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()},
    )
    assert answer.status_code == 422
    assert client.get("/api/v1/reports/time-saved").status_code == 401
