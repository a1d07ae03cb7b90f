"""Procore pauses a hook on any non-2xx answer: nothing of ours may answer one to our hook."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.procore.models import ProcoreConnection, ProcoreDelivery
from tests.procore.conftest import Linked


def test_a_garbled_delivery_of_our_hook_does_not_hold_up_the_ones_behind_it(
    linked: Linked,
) -> None:
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None
        company_hook = connection.hooks[f"company:{linked.company_id}"]
    admin = linked.admin
    admin._call("POST", f"/hooks/{company_hook}/raw", content=b'{"company_id": 1, "resource_')
    # Queued behind the garbled one on the same hook.
    project = admin._call("POST", "/projects", json={"company_id": linked.company_id, "name": "P"})
    waited = httpx.post(
        f"{admin.url}/_admin/api/deliveries/wait", params={"timeout": 3}, timeout=15
    )
    sent = admin._call("GET", "/deliveries")
    assert [d["outcome"] for d in sent] == ["ok", "ok"], sent
    assert waited.status_code == 200
    with session_scope() as session:
        rows = list(session.scalars(select(ProcoreDelivery).order_by(ProcoreDelivery.id)))
        assert [(r.outcome, r.resource_name) for r in rows] == [
            ("anomalous", ""),
            ("hook_installed", "Projects"),
        ]
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None and f"project:{project['id']}" in connection.hooks
