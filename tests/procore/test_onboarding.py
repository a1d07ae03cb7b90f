"""A sub added to a Procore project is tracked in coverwatch with no one initiating anything."""

from __future__ import annotations

from sqlalchemy import func, select

from coverwatch.db import session_scope
from coverwatch.outreach.models import OutreachNotice, OutreachRequest
from coverwatch.procore.models import ProcoreDelivery
from coverwatch.projects.models import ExternalRef, Project
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact
from tests.procore.conftest import Linked


def _project_vendors() -> list[ProjectVendor]:
    with session_scope() as session:
        return list(session.scalars(select(ProjectVendor).order_by(ProjectVendor.id)))


def _collection_requests() -> int:
    """Collection requests opened, each with the email that carries its link."""
    with session_scope() as session:
        requests = session.scalars(
            select(OutreachRequest).where(OutreachRequest.kind == "collection")
        ).all()
        told = session.scalar(
            select(func.count(func.distinct(OutreachNotice.request_id))).where(
                OutreachNotice.step == 0
            )
        )
        assert told == len(requests)
        return len(requests)


def test_vendor_added_in_procore_becomes_a_pending_project_vendor(linked: Linked) -> None:
    admin = linked.admin
    project = admin.project(linked.company_id, "Harbor View Tower", start_date="2026-03-01")
    vendor = admin.vendor(linked.company_id, "Acme Roofing, LLC", trade_name="Acme Exteriors")
    admin.add_to_project(project["id"], vendor["id"])
    admin.wait_for_deliveries()

    [project_vendor] = _project_vendors()
    assert project_vendor.status == "pending" and project_vendor.tracking
    assert _collection_requests() == 1
    with session_scope() as session:
        ours = session.get(Project, project_vendor.project_id)
        sub = session.get(Vendor, project_vendor.vendor_id)
        assert ours is not None and ours.name == "Harbor View Tower" and ours.state == "CA"
        assert sub is not None and sub.legal_name == "Acme Roofing, LLC"
        assert sub.dba_names == ["Acme Exteriors"]
        emails = set(session.scalars(select(VendorContact.email)))
        assert emails == {"dana@acmeroofing.example", "office@acmeroofing.example"}
        refs = {(r.entity_type, r.external_id) for r in session.scalars(select(ExternalRef))}
        assert ("project", str(project["id"])) in refs and ("vendor", str(vendor["id"])) in refs


def test_duplicates_give_one_project_vendor_and_one_request(linked: Linked) -> None:
    linked.admin.configure(duplicate_rate=1.0)  # every delivery is sent twice
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id)
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    assert linked.admin.stats()["duplicates_sent"] >= 1
    assert len(_project_vendors()) == 1
    assert _collection_requests() == 1


def test_removal_in_procore_stops_tracking(linked: Linked) -> None:
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id)
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    linked.admin.remove_from_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    [project_vendor] = _project_vendors()
    assert not project_vendor.tracking


def test_out_of_order_deliveries_end_in_procores_current_state(linked: Linked) -> None:
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id)
    # Delivery is switched off while the GC adds, removes and adds again; then all arrive
    # in a random order, and each is resolved by reading what Procore has now.
    linked.admin.configure(shuffle=True, duplicate_rate=0.5)
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.remove_from_project(project["id"], vendor["id"])
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    [project_vendor] = _project_vendors()
    assert project_vendor.tracking and project_vendor.status == "pending"


def test_company_vendor_update_refreshes_names_and_contacts(linked: Linked) -> None:
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id, "Acme Roofing, LLC")
    linked.admin.add_to_project(project["id"], vendor["id"])
    linked.admin.wait_for_deliveries()
    linked.admin.update_vendor(
        vendor["id"],
        name="Acme Roofing & Sheet Metal, LLC",
        primary_contact={"first_name": "Lee", "email_address": "lee@acme.example"},
    )
    linked.admin.wait_for_deliveries()
    with session_scope() as session:
        sub = session.scalars(select(Vendor)).one()
        assert sub.legal_name == "Acme Roofing & Sheet Metal, LLC"
        emails = set(session.scalars(select(VendorContact.email)))
        assert "lee@acme.example" in emails and "dana@acmeroofing.example" not in emails
        outcomes = [d.outcome for d in session.scalars(select(ProcoreDelivery))]
        assert "vendor_updated" in outcomes
    # An address typed into Procore that is not one is left out; the contact and the sync go on.
    linked.admin.update_vendor(
        vendor["id"],
        email_address="office at acme",
        primary_contact={"first_name": "Lee", "email_address": "Lee <Lee@Acme.example>"},
    )
    linked.admin.wait_for_deliveries()
    with session_scope() as session:
        contacts = session.scalars(select(VendorContact)).all()
        assert [c.email for c in contacts] == [None] and "Lee" in contacts[0].name
    linked.admin.update_vendor(
        vendor["id"], primary_contact={"first_name": "Lee", "email_address": "Lee@Acme.example"}
    )
    linked.admin.wait_for_deliveries()
    with session_scope() as session:
        assert set(session.scalars(select(VendorContact.email))) == {"lee@acme.example"}


def test_work_order_contracts_start_tracking_where_the_gc_turns_it_on(linked: Linked) -> None:
    from tests.procore.factories import make_connection

    make_connection(
        org_id=linked.tenant.org_id,
        sandbox_url=linked.sandbox_url,
        company_id=linked.company_id,
        work_order_contracts=True,
    )
    from coverwatch.procore.hooks import install_hooks

    install_hooks(linked.connection_id, destination_url=f"{linked.receiver_url}/webhooks/procore")
    project = linked.admin.project(linked.company_id)
    vendor = linked.admin.vendor(linked.company_id, "Bay Electric, Inc.")
    linked.admin._call(
        "POST",
        "/work_order_contracts",
        json={"project_id": project["id"], "vendor_id": vendor["id"], "title": "Electrical"},
    )
    linked.admin.wait_for_deliveries()
    [project_vendor] = _project_vendors()
    assert project_vendor.tracking
