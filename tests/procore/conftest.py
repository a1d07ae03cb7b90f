"""The Procore sandbox and coverwatch itself, both served over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine

from coverwatch.app import create_app
from coverwatch.procore import service
from coverwatch.procore.oauth import TokenStore
from coverwatch.procore.ratelimit import _memory
from coverwatch.procore.retries import RetryPolicy
from coverwatch.sandbox.app import SandboxServer
from coverwatch.server import ServerThread
from tests.orgs.factories import Tenant
from tests.procore.factories import SandboxAdmin, connect_with_hooks
from tests.procore.scripted_server import ScriptedServer

FAST_RETRY = RetryPolicy(attempts=5, backoff_base=0.02, backoff_cap=0.2, timeout=2.0, jitter=0.02)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def scripted(scripted_server: ScriptedServer) -> ScriptedServer:
    """A loopback server answering as the test says (for answers the sandbox never gives)."""
    scripted_server.reset()
    return scripted_server


@pytest.fixture(scope="session")
def app_server() -> Iterator[ServerThread]:
    # The app reads the process-wide engine per request, which each test points at its database.
    server = ServerThread(create_app()).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxAdmin:
    """A clean sandbox, with quick retries in the client and no remembered tokens or limits."""
    admin = SandboxAdmin(sandbox_server.url)
    httpx.post(f"{sandbox_server.url}/_admin/api/reset").raise_for_status()
    # Fast webhook retries: the real 1 s .. 1 h backoff would make tests wait.
    admin.configure(retry_base=0.05, retry_cap=0.5, fault_retry_after=0, seed=1)
    TokenStore._cache.clear()
    _memory.clear()
    monkeypatch.setattr(service, "retry_policy", FAST_RETRY)
    return admin


@pytest.fixture
def receiver(engine: Engine, app_server: ServerThread) -> str:
    """coverwatch's base URL, serving this test's database."""
    return app_server.url


@dataclass
class Linked:
    """A tenant connected to a sandbox company, with hooks installed."""

    tenant: Tenant
    company_id: int
    connection_id: int
    admin: SandboxAdmin
    sandbox_url: str
    receiver_url: str


@pytest.fixture
def linked(tenant: Tenant, sandbox: SandboxAdmin, receiver: str) -> Linked:
    company = sandbox.company("Summit Builders")
    connection = connect_with_hooks(
        org_id=tenant.org_id,
        sandbox_url=sandbox.url,
        company_id=company["id"],
        receiver_url=receiver,
    )
    return Linked(tenant, company["id"], connection.id, sandbox, sandbox.url, receiver)
