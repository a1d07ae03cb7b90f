"""A sub compliant on one Procore project and added to another is decided with no new upload."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.outreach.models import OutreachRequest
from coverwatch.vendors.models import ProjectVendor
from tests.certificates.factories import current_certificate
from tests.procore.conftest import Linked


def _project_vendors() -> list[tuple[int, str]]:
    with session_scope() as session:
        rows = session.scalars(select(ProjectVendor).order_by(ProjectVendor.id))
        return [(pv.project_id, pv.status) for pv in rows]


def _requests() -> list[tuple[str, int | None, str]]:
    with session_scope() as session:
        rows = session.scalars(select(OutreachRequest).order_by(OutreachRequest.id))
        return [(r.kind, r.project_id, r.state) for r in rows]


def test_sub_added_to_a_second_procore_project_is_compliant_from_what_is_on_file(
    linked: Linked, client: TestClient
) -> None:
    admin = linked.admin
    first = admin.project(linked.company_id, "Harbor View Tower", start_date="2026-03-01")
    vendor = admin.vendor(linked.company_id, "Acme Roofing, LLC")
    admin.add_to_project(first["id"], vendor["id"])
    admin.wait_for_deliveries()
    [(first_id, status)] = _project_vendors()
    assert status == "pending"

    with session_scope() as session:
        vendor_id = session.scalars(select(ProjectVendor.vendor_id)).one()
    body = current_certificate(holder_name=None).model_dump(mode="json", by_alias=True)
    answer = client.post(
        f"/api/v1/vendors/{vendor_id}/certificates",
        headers=linked.tenant.headers("admin"),
        json=body,
    )
    assert answer.status_code == 201, answer.text
    assert _project_vendors() == [(first_id, "compliant")]
    admin.wait_for_deliveries()

    second = admin.project(linked.company_id, "Bayside Clinic", start_date="2026-04-01")
    admin.add_to_project(second["id"], vendor["id"])
    admin.wait_for_deliveries()

    rows = _project_vendors()
    assert [status for _, status in rows] == ["compliant", "compliant"]
    second_id = rows[1][0]
    # One collection request ever (the first project's, closed by the upload); none for the second.
    assert _requests() == [("collection", first_id, "closed")]
    assert all(project_id != second_id for _, project_id, _ in _requests())
    # Procore shows the verdict on the second project too, written back at once.
    summaries = [
        r
        for r in admin.insurances()
        if r["project_id"] == second["id"] and r["origin_id"].endswith("-summary")
    ]
    assert [r["status"] for r in summaries] == ["compliant"]
