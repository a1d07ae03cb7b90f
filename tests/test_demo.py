"""The demo's sample data: every status present, and the Procore sandbox connected to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from coverwatch.db import session_scope
from coverwatch.demo import seed, seed_procore
from coverwatch.procore.models import ProcoreConnection
from coverwatch.procore.sandbox import SandboxServer
from coverwatch.projects.models import ExternalRef
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
    assert first["keys"]["admin"] != second["keys"]["admin"]
    with session_scope() as session:
        statuses = set(session.scalars(select(ProjectVendor.status)))
    assert statuses == set(STATUSES)


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
