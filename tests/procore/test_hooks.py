"""Installing our hook and triggers in the sandbox: once each, even when an answer is lost."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from coverwatch.procore import service
from coverwatch.procore.hooks import TRIGGERS, install_hooks
from coverwatch.procore.models import ProcoreConnection
from tests.orgs.factories import Tenant
from tests.procore.conftest import FAST_RETRY
from tests.procore.factories import SandboxAdmin, make_connection


@pytest.fixture
def quick_timeout(sandbox: SandboxAdmin, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client timeout shorter than the sandbox's late answers (1 s), set after `sandbox`'s."""
    monkeypatch.setattr(service, "retry_policy", replace(FAST_RETRY, timeout=0.3))


@pytest.fixture
def connection(tenant: Tenant, sandbox: SandboxAdmin) -> ProcoreConnection:
    """A service-account connection to a fresh sandbox company."""
    company = sandbox.company()
    return make_connection(org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"])


@pytest.fixture
def url(receiver: str) -> str:
    return f"{receiver}/webhooks/procore"


def _installed(sandbox: SandboxAdmin) -> tuple[list[dict], Counter[tuple[str, str, int]]]:
    state = sandbox.state()
    triggers = Counter(
        (t["resource_name"], t["event_type"], t["webhook_hook_id"])
        for t in state["triggers"].values()
    )
    return list(state["hooks"].values()), triggers


def _one_of_each(hook_id: int) -> Counter[tuple[str, str, int]]:
    return Counter((resource, event, hook_id) for resource, event in TRIGGERS)


@pytest.mark.usefixtures("quick_timeout")
@pytest.mark.parametrize(
    ("late_answers", "late_path"),
    [(1, "/webhooks/hooks"), (2, "/triggers")],
    ids=["the hook", "two triggers"],
)
def test_records_made_whose_answers_were_lost_are_found_not_made_again(
    sandbox: SandboxAdmin,
    connection: ProcoreConnection,
    url: str,
    late_answers: int,
    late_path: str,
) -> None:
    # Procore makes the record, but its answer comes after the client stopped waiting.
    sandbox.configure(late_answers=late_answers, late_seconds=1.0, late_path=late_path)
    first = install_hooks(connection.id, destination_url=url)
    assert sandbox.stats()["late"] == late_answers
    assert first.hook_created and first.triggers_created == len(TRIGGERS)
    second = install_hooks(connection.id, destination_url=url)  # as a retried job would
    [hook], triggers = _installed(sandbox)
    assert first.hook_id == second.hook_id == hook["id"]
    assert hook["namespace"] == connection.namespace and hook["destination_url"] == url
    assert triggers == _one_of_each(hook["id"])
    assert not second.hook_created and second.triggers_created == 0


def test_install_ignores_hooks_of_another_namespace_or_destination(
    sandbox: SandboxAdmin, connection: ProcoreConnection, url: str
) -> None:
    client = service.client_for(connection)
    scope = {"company_id": connection.company_id}
    theirs = client.create_hook(
        scope=scope, namespace="another-app", destination_url=url, authorization="Bearer x"
    )
    elsewhere = client.create_hook(
        scope=scope,
        namespace=connection.namespace,
        destination_url="https://old.coverwatch.example/webhooks/procore",
        authorization="Bearer y",
    )
    report = install_hooks(connection.id, destination_url=url)
    assert report.hook_created and report.hook_id not in (theirs["id"], elsewhere["id"])
    assert install_hooks(connection.id, destination_url=url).hook_id == report.hook_id
    assert len(sandbox.state()["hooks"]) == 3
