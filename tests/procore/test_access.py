"""A 404 may mean "no access", and a 403 from the whole company means the app was removed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from coverwatch.audit.models import AuditEvent
from coverwatch.db import session_scope
from coverwatch.procore import service
from coverwatch.procore.errors import ProcoreForbidden, ProcoreNotFound
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from coverwatch.procore.sync import sync_connection
from coverwatch.vendors.models import ProjectVendor
from tests.procore.conftest import Linked


def _tracked(linked: Linked) -> tuple[dict[str, Any], dict[str, Any]]:
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id)
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    return project, vendor


def _deliver(linked: Linked, project_id: int, vendor_id: int, ulid: str) -> ProcoreDelivery:
    """A Project Vendors delete as Procore sends it (a late or replayed one)."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None
        secret = service.ensure_webhook_secret(connection)
    body = {
        "id": 1, "ulid": ulid, "api_version": "v2.0", "event_type": "delete",
        "resource_name": "Project Vendors", "resource_id": vendor_id,
        "company_id": linked.company_id, "project_id": project_id,
    }  # fmt: skip
    url = f"{linked.receiver_url}/webhooks/procore"
    response = httpx.post(url, json=body, headers={"Authorization": secret}, timeout=30)
    assert response.status_code == 200, response.text
    with session_scope() as session:
        return session.scalars(
            select(ProcoreDelivery).where(ProcoreDelivery.event_key == ulid)
        ).one()


def _tracking() -> list[bool]:
    with session_scope() as session:
        return [pv.tracking for pv in session.scalars(select(ProjectVendor))]


def test_the_sandbox_hides_projects_not_permitted(linked: Linked) -> None:
    shown, hidden = (linked.admin.project(linked.company_id, n) for n in ("Shown", "Hidden"))
    linked.admin.permit(linked.company_id, [shown["id"]])
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None
    client = service.client_for(connection)
    assert [p["id"] for p in client.projects()] == [shown["id"]]
    with pytest.raises(ProcoreNotFound):
        client.project(hidden["id"])
    with pytest.raises(ProcoreNotFound):
        list(client.project_vendors(hidden["id"]))
    linked.admin.uninstall(linked.company_id)
    with pytest.raises(ProcoreForbidden) as refused:
        client.project(shown["id"])
    assert refused.value.body == {"errors": "App is not connected to this company"}


def test_a_404_on_a_project_no_longer_permitted_does_not_stop_tracking(linked: Linked) -> None:
    project, vendor = _tracked(linked)
    linked.admin.app_update(linked.company_id)  # permitted projects reset to none
    delivery = _deliver(linked, project["id"], vendor["id"], "01JQAPPUPDATE0000000000001")
    assert delivery.outcome == "no_access"
    assert _tracking() == [True]
    # A 404 for the vendor on a project still seen does stop it.
    linked.admin.permit(linked.company_id, [project["id"]])
    linked.admin.remove_from_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    assert _tracking() == [False]


def test_the_nightly_sync_leaves_projects_it_cannot_see_alone(linked: Linked) -> None:
    _tracked(linked)
    other = linked.admin.project(linked.company_id, "Other")
    linked.admin.permit(linked.company_id, [other["id"]])
    report = sync_connection(linked.connection_id)
    assert (report.projects, report.stopped) == (1, 0)
    assert _tracking() == [True]


def test_an_uninstall_disconnects_and_later_jobs_do_nothing(linked: Linked) -> None:
    project, vendor = _tracked(linked)
    linked.admin.uninstall(linked.company_id)
    delivery = _deliver(linked, project["id"], vendor["id"], "01JQUNINSTALL0000000000001")
    assert delivery.outcome == "disconnected"
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None and not connection.active
        assert "App is not connected to this company" in (connection.disconnected_reason or "")
        actions = set(session.scalars(select(AuditEvent.action)))
        assert "procore_disconnected" in actions
    asked = linked.admin.stats()["requests"]
    assert sync_connection(linked.connection_id).projects == 0
    assert linked.admin.stats()["requests"] == asked
    assert _tracking() == [True]
