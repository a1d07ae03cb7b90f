"""Matching a vendor record to its identity stays stable and safe when evaluated repeatedly."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.network import matching
from coverwatch.network.models import NetworkIdentity, NetworkLink
from coverwatch.vendors.models import Vendor
from tests.network.factories import b_assign, b_project
from tests.orgs.factories import Tenant
from tests.outreach.factories import TUESDAY_MORNING


def _count(model: type) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_vendor_without_contacts_keeps_its_one_identity_across_evaluations(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    response = client.post(
        "/api/v1/vendors", headers=tenant.headers("admin"), json={"legal_name": "Solo Paint"}
    )
    vendor_id = response.json()["id"]
    for _ in range(2):
        project_id = b_project(client, tenant)
        b_assign(client, tenant, project_id=project_id, vendor_id=vendor_id)
    assert (_count(NetworkIdentity), _count(NetworkLink)) == (1, 1)


def test_a_link_made_meanwhile_by_another_transaction_is_read_not_duplicated(
    client: TestClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = client.post(
        "/api/v1/vendors", headers=tenant.headers("admin"), json={"legal_name": "Solo Paint"}
    )
    vendor_id = response.json()["id"]
    real = matching.link_of
    looks: list[int] = []

    def late(session: Session, vendor_id: int) -> NetworkLink | None:
        looks.append(vendor_id)
        if len(looks) == 1:
            # Another job links the vendor and commits just after this one found no link.
            with session_scope() as other:
                vendor = other.get(Vendor, vendor_id)
                assert vendor is not None
                monkeypatch.setattr(matching, "link_of", real)
                matching.link_vendor(other, vendor=vendor)
                monkeypatch.setattr(matching, "link_of", late)
            return None
        return real(session, vendor_id)

    monkeypatch.setattr(matching, "link_of", late)
    with session_scope() as session:
        vendor = session.get(Vendor, vendor_id)
        assert vendor is not None
        link = matching.link_vendor(session, vendor=vendor)
    assert len(looks) == 2, "the second look reads the link the other job made"
    assert (_count(NetworkIdentity), _count(NetworkLink)) == (1, 1)
    with session_scope() as session:
        assert session.scalar(select(NetworkLink.identity_id)) == link.identity_id
