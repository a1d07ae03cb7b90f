"""The demo's sample data: every status present, and the Procore sandbox connected to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from coverwatch.db import session_scope
from coverwatch.demo.company import seed
from coverwatch.demo.procore import seed_procore
from coverwatch.procore.models import ProcoreConnection
from coverwatch.projects.models import ExternalRef
from coverwatch.sandbox.app import SandboxServer
from coverwatch.vendors.models import STATUSES, ProjectVendor


@pytest.fixture
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer().start()
    yield server
    server.stop()


def test_seed_covers_every_status_and_runs_twice(engine: Engine) -> None:
    first = seed()
    second = seed()
    assert first["org"] == second["org"] == "summit-builders"
    with session_scope() as session:
        statuses = set(session.scalars(select(ProjectVendor.status)))
    assert statuses == set(STATUSES)


def test_the_demo_keeps_its_keys_and_address_across_restarts(
    engine: Engine, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from coverwatch.app import create_app
    from coverwatch.demo.state import address, load_state, save_state

    assert load_state(tmp_path) == {}
    first = seed(state=load_state(tmp_path))
    save_state(tmp_path, {"keys": first["keys"], "host": "127.0.0.1", "port": 8123})
    again = seed(state=load_state(tmp_path))
    assert again["keys"] == first["keys"]
    # Started again without a port, it serves where its emails already link.
    state = load_state(tmp_path)
    assert address(
        state=state, host=None, port=None, default_host="127.0.0.1", default_port=8000
    ) == ("127.0.0.1", 8123)
    assert address(state=state, host=None, port=9000, default_host="h", default_port=1)[1] == 9000
    with TestClient(create_app()) as client:
        url = "/api/v1/project-vendors"
        kept = {"Authorization": f"Bearer {first['keys']['admin']}"}
        assert client.get(url, headers=kept).status_code == 200
        # With the state file gone, new keys are made and the old ones stop working.
        (tmp_path / "demo.json").unlink()
        fresh = seed(state=load_state(tmp_path))
        assert fresh["keys"]["admin"] != first["keys"]["admin"]
        assert client.get(url, headers=kept).status_code == 401
        new = {"Authorization": f"Bearer {fresh['keys']['admin']}"}
        assert client.get(url, headers=new).status_code == 200
    save_state(tmp_path, {"keys": fresh["keys"]})
    assert (tmp_path / "demo.json").stat().st_mode & 0o777 == 0o600  # it holds live keys


def test_seed_procore_mirrors_the_projects_and_installs_the_hook(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    seed()
    result = seed_procore(sandbox=sandbox_server, receiver_url="http://127.0.0.1:9")
    with session_scope() as session:
        refs = list(session.scalars(select(ExternalRef).where(ExternalRef.system == "procore")))
        connection = session.get(ProcoreConnection, result["connection_id"])
        assert connection is not None and connection.active
    assert len(refs) == 3
    state = sandbox_server.state.data
    assert {str(int(ref.external_id)) for ref in refs} <= set(state.projects)
    hooks = list(state.hooks.values())
    assert hooks and hooks[0]["destination_url"] == "http://127.0.0.1:9/webhooks/procore"
    # Projects existed before the hooks: each got its own, which alone hears of its subs.
    project_hooks = {h["owned_by_project_id"]: h["id"] for h in hooks if h["owned_by_project_id"]}
    assert {str(p) for p in project_hooks} == {str(int(ref.external_id)) for ref in refs}
    heard = {
        t["webhook_hook_id"]
        for t in state.triggers.values()
        if (t["resource_name"], t["event_type"]) == ("Project Vendors", "create")
    }
    assert set(project_hooks.values()) <= heard


def test_a_sub_the_demos_gc_adds_to_a_project_in_the_sandbox_is_tracked(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    from coverwatch.demo.company import SANDBOX_SUBS
    from coverwatch.procore.sync import sync_connection
    from coverwatch.vendors.models import Vendor

    seed()
    result = seed_procore(sandbox=sandbox_server, receiver_url="http://127.0.0.1:9")
    state = sandbox_server.state
    [vendor] = [v for v in state.data.vendors.values() if v["name"] == SANDBOX_SUBS[1][0]]
    state.add_vendor_to_project(result["project_id"], vendor["id"])  # the admin page's button
    sync_connection(result["connection_id"])  # what the webhook would do, read from the API
    with session_scope() as session:
        names = session.scalars(
            select(Vendor.legal_name)
            .join(ProjectVendor, ProjectVendor.vendor_id == Vendor.id)
            .where(ProjectVendor.tracking.is_(True))
        ).all()
    assert SANDBOX_SUBS[1][0] in names
