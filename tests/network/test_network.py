"""The network through HTTP: one roofer known to two GCs, shared only with the roofer's consent.

Summit Builders (A) holds Acme Roofing's certificate; Other Contracting (B) then asks for Acme.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from coverwatch import clock
from coverwatch.app import create_app
from coverwatch.db import make_engine, session_scope, use_engine
from coverwatch.network.models import NetworkConsent, NetworkLink
from coverwatch.projects import service as projects
from tests.network.factories import (
    B_HOLDER,
    B_OFFICE,
    a_holds_acme,
    api,
    assert_kept_private,
    b_assign,
    b_project,
    b_vendor,
    consent,
    everything_b_sees,
)
from tests.orgs.factories import Tenant, make_tenant
from tests.outreach.factories import AGENT, TUESDAY_MORNING, emails_to

# Magic links and reply addresses carry random tokens; everything else must match exactly.
TOKENS = (
    (re.compile(r"/r/[A-Za-z0-9_.\-]+"), "/r/TOKEN"),
    (re.compile(r"\+[A-Za-z0-9]+@"), "+TOKEN@"),
)


def _b_asks_for_acme(client: TestClient, b: Tenant, **vendor: Any) -> tuple[int, int, int]:
    project_id = b_project(client, b)
    vendor_id = b_vendor(client, b, **vendor)
    project_vendor = b_assign(client, b, project_id=project_id, vendor_id=vendor_id)
    return project_id, vendor_id, int(project_vendor["id"])


@contextmanager
def _world(folder: Path, template: Path) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    """A database of its own with Summit (A) and Other Contracting (B)."""
    folder.mkdir()
    shutil.copy(template, folder / "coverwatch.db")
    engine = make_engine(f"sqlite:///{folder / 'coverwatch.db'}")
    use_engine(engine)
    try:
        with session_scope() as session:
            a = make_tenant(session, name="Summit Builders, Inc.")
            b = make_tenant(session, name="Other Contracting Co")
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            yield client, a, b
    finally:
        engine.dispose()


def _normalised(seen: dict[str, Any]) -> str:
    text = json.dumps(seen, sort_keys=True)
    for pattern, replacement in TOKENS:
        text = pattern.sub(replacement, text)
    return text


def test_without_consent_b_sees_exactly_what_it_would_if_no_one_else_knew_the_roofer(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One still moment for both worlds, so that every timestamp B sees is the same.
    monkeypatch.setattr(clock, "now", lambda: TUESDAY_MORNING)
    answers = []
    for name, office in (
        ("Acme Roofing, LLC", "office@acme-roofing.example"),
        ("Zenith Plumbing, Inc.", "office@zenith-plumbing.example"),
    ):
        with _world(tmp_path / name.split()[0], sqlite_template) as (client, a, b):
            # A knows Acme (first world) or only an unrelated plumber (second world).
            a_holds_acme(client, a, name=name, office=office)
            project_id, vendor_id, project_vendor_id = _b_asks_for_acme(client, b)
            seen = everything_b_sees(
                client,
                b,
                vendor_id=vendor_id,
                project_id=project_id,
                project_vendor_id=project_vendor_id,
            )
            seen["emails to B's sub"] = [
                (e.kind, e.subject, e.text_body) for e in emails_to(B_OFFICE)
            ]
            with session_scope() as session:
                links = len(session.scalars(select(NetworkLink)).all())
            answers.append((seen, links))
    (known, linked), (unknown, _) = answers
    assert linked == 2, "Acme is matched across the two GCs in the first world"
    assert known[f"/vendors/{vendor_id}/network"] == {
        "vendor_id": vendor_id,
        "on_file_in_network": False,
        "consent": None,
        "coverage": [],
    }
    assert known[f"/project-vendors/{project_vendor_id}"]["status"] == "pending"
    assert [kind for kind, _, _ in known["emails to B's sub"]] == ["collection"]
    assert _normalised(known) == _normalised(unknown)


def test_consent_on_the_sub_page_is_recorded_and_b_is_decided_from_the_coverage_on_file(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub, link = a_holds_acme(client, tenant)
    a_before = api(client, tenant, f"/project-vendors/{sub.project_vendor_id}")
    page = client.get(link)
    assert 'id="network-allow"' in page.text
    answer = consent(client, link)
    assert 'id="network-allowed"' in answer and 'id="network-stop"' in answer
    with session_scope() as session:
        [row] = session.scalars(select(NetworkConsent)).all()
        assert (row.granted_by, row.granted_role, row.scope) == (
            "office@acme-roofing.example",
            "sub",
            "coverage",
        )
        assert row.withdrawn_at is None and row.granted_at is not None
    audit = api(client, tenant, "/audit-events?per_page=200")["items"]
    assert [e["action"] for e in audit].count("network_consent_granted") == 1

    _project_id, vendor_id, project_vendor_id = _b_asks_for_acme(client, other_tenant)
    shown = api(client, other_tenant, f"/vendors/{vendor_id}/network")
    assert shown["on_file_in_network"] is True and shown["consent"]["scope"] == "coverage"
    lines = {p["coverage"]: p for p in shown["coverage"]}
    assert set(lines) == {"general_liability", "auto_liability", "umbrella", "workers_comp"}
    assert lines["general_liability"]["limits"]["each_occurrence"] == 2_000_000
    assert lines["general_liability"]["expiration_date"] is not None

    status = api(client, other_tenant, f"/project-vendors/{project_vendor_id}")
    # Coverage on file meets B's limits: what B lacks is a certificate made out to it.
    codes = {d["code"]: d for d in status["deficiencies"]}
    assert status["status"] == "non_compliant"
    assert set(codes) == {"certificate_holder_mismatch", "additional_insured_missing"}
    holder = codes["certificate_holder_mismatch"]
    assert holder["required"] == B_HOLDER
    assert (
        f"Ask your agent for a certificate naming “{B_HOLDER}” as certificate holder"
        in (holder["message"])
    )
    # B's sub is asked for the fix, not for a certificate from scratch.
    assert [e.kind for e in emails_to(B_OFFICE)] == ["deficiency"]
    evaluations = api(client, other_tenant, f"/project-vendors/{project_vendor_id}/evaluations")[
        "items"
    ]
    assert evaluations[0]["certificate_ids"] == []
    # A's own decision is its own: untouched by the sharing.
    assert api(client, tenant, f"/project-vendors/{sub.project_vendor_id}") == a_before


def test_what_b_needs_beyond_the_coverage_on_file_is_asked_too(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    project_id = b_project(client, other_tenant)
    vendor_id = b_vendor(client, other_tenant)
    # Roofing on a ground-up project wants a larger umbrella than Acme carries.
    status = b_assign(
        client, other_tenant, project_id=project_id, vendor_id=vendor_id, trade="roofing"
    )
    keys = {d["key"] for d in status["deficiencies"]}
    assert "limit_below_minimum:umbrella:each_occurrence" in keys
    assert "certificate_holder_mismatch:-:-" in keys


def test_the_network_matches_by_tax_id_or_by_name_with_domain_or_agent(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    by_name_and_domain = b_vendor(client, other_tenant)
    by_name_and_agent = b_vendor(client, other_tenant, office="acme@gmail.com", agent=AGENT)
    same_name_only = b_vendor(client, other_tenant, office="roofs@acme-roofing-co.example")
    other_name = b_vendor(client, other_tenant, name="Acme Roofing Holdings, LLC")
    for vendor_id, expected in (
        (by_name_and_domain, True),
        (by_name_and_agent, True),
        (same_name_only, False),
        (other_name, False),
    ):
        assert (
            api(client, other_tenant, f"/vendors/{vendor_id}/network")["on_file_in_network"]
            is expected
        ), vendor_id


def test_a_tax_id_matches_whatever_the_names_and_addresses(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub, link = a_holds_acme(client, tenant)
    # Summit's record gets the roofer's tax id later (as a bulk import sets it).
    with session_scope() as session:
        projects.set_external_id(
            session,
            org_id=tenant.org_id,
            entity_type="vendor",
            entity_id=sub.vendor_id,
            system="tax_id",
            external_id="941234567",
        )
    consent(client, link)
    same_tax_id = b_vendor(
        client, other_tenant, name="Acme Exteriors", office="x@gmail.com", tax_id="94-1234567"
    )
    other_tax_id = b_vendor(client, other_tenant, tax_id="94-7654321")
    assert (
        api(client, other_tenant, f"/vendors/{same_tax_id}/network")["on_file_in_network"] is True
    )
    assert (
        api(client, other_tenant, f"/vendors/{other_tax_id}/network")["on_file_in_network"] is False
    )


def test_withdrawal_through_the_link_stops_the_sharing_and_b_asks_again(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    _project_id, vendor_id, project_vendor_id = _b_asks_for_acme(client, other_tenant)
    assert (
        api(client, other_tenant, f"/project-vendors/{project_vendor_id}")["status"]
        == "non_compliant"
    )
    answer = consent(client, link, allow=False)
    assert 'id="network-stopped"' in answer and 'id="network-allow"' in answer
    assert api(client, other_tenant, f"/project-vendors/{project_vendor_id}")["status"] == "pending"
    assert api(client, other_tenant, f"/vendors/{vendor_id}/network") == {
        "vendor_id": vendor_id,
        "on_file_in_network": False,
        "consent": None,
        "coverage": [],
    }
    assert [e.kind for e in emails_to(B_OFFICE)] == ["deficiency", "collection"]
    with session_scope() as session:
        [row] = session.scalars(select(NetworkConsent)).all()
        assert row.withdrawn_at is not None and row.withdrawn_by == "office@acme-roofing.example"
    audit = api(client, tenant, "/audit-events?per_page=200")["items"]
    assert {"network_consent_granted", "network_consent_withdrawn"} <= {e["action"] for e in audit}


def test_after_consent_b_never_sees_a_s_projects_contacts_emails_or_holder(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    consent(client, link)
    project_id, vendor_id, project_vendor_id = _b_asks_for_acme(client, other_tenant)
    seen = everything_b_sees(
        client,
        other_tenant,
        vendor_id=vendor_id,
        project_id=project_id,
        project_vendor_id=project_vendor_id,
    )
    assert seen[f"/vendors/{vendor_id}/network"]["on_file_in_network"] is True
    [email] = emails_to(B_OFFICE)
    found = re.search(r"/r/[A-Za-z0-9_.\-]+", email.text_body or "")
    assert found
    b_page = client.get(found.group(0))
    assert b_page.status_code == 200
    everything = json.dumps(seen) + (email.text_body or "") + email.subject + b_page.text
    assert_kept_private(everything)
    # The history answers as of a day, again from coverage only.
    today = clock.today().isoformat()
    history = client.get(
        f"/api/v1/project-vendors/{project_vendor_id}/compliance?as_of={today}",
        headers=other_tenant.headers("admin"),
    )
    assert history.status_code == 200
    assert_kept_private(history.text)


def test_no_organization_grants_consent_for_the_sub_and_ids_stay_private(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub, _link = a_holds_acme(client, tenant)
    for method in ("post", "put", "patch", "delete"):
        response = client.request(
            method, f"/api/v1/vendors/{sub.vendor_id}/network", headers=tenant.headers("admin")
        )
        assert response.status_code == 405, (method, response.text)
    response = client.get(
        f"/api/v1/vendors/{sub.vendor_id}/network", headers=other_tenant.headers("admin")
    )
    assert response.status_code == 404
    with session_scope() as session:
        assert session.scalars(select(NetworkConsent)).all() == []


def test_consent_counts_from_when_it_was_given_in_the_history(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _sub, link = a_holds_acme(client, tenant)
    _project_id, _vendor_id, project_vendor_id = _b_asks_for_acme(client, other_tenant)
    yesterday = clock.today().isoformat()
    clock.travel(days=1)
    consent(client, link)
    assert (
        api(client, other_tenant, f"/project-vendors/{project_vendor_id}")["status"]
        == "non_compliant"
    )
    before = client.get(
        f"/api/v1/project-vendors/{project_vendor_id}/compliance?as_of={yesterday}",
        headers=other_tenant.headers("admin"),
    )
    assert before.status_code == 200 and before.json()["status"] == "pending", before.text
