"""Installing our hooks and triggers in the sandbox: once each, even when an answer is lost,
each in the scope that offers it, a refusal recorded without stopping the rest."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from coverwatch.db import session_scope
from coverwatch.procore import hooks, service
from coverwatch.procore.errors import ProcoreStatusError
from coverwatch.procore.hooks import COMPANY_TRIGGERS, PROJECT_TRIGGERS, install_hooks
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
    return Counter((resource, event, hook_id) for resource, event in COMPANY_TRIGGERS)


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
    [company] = first.scopes
    assert company.hook_created and company.count("installed") == len(COMPANY_TRIGGERS)
    second = install_hooks(connection.id, destination_url=url)  # as a retried job would
    [hook], triggers = _installed(sandbox)
    [again] = second.scopes
    assert company.hook_id == again.hook_id == hook["id"]
    assert hook["namespace"] == connection.namespace and hook["destination_url"] == url
    assert triggers == _one_of_each(hook["id"])
    assert not again.hook_created and again.count("present") == len(COMPANY_TRIGGERS)


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
    [report] = install_hooks(connection.id, destination_url=url).scopes
    assert report.hook_created and report.hook_id not in (theirs["id"], elsewhere["id"])
    assert install_hooks(connection.id, destination_url=url).scopes[0].hook_id == report.hook_id
    assert len(sandbox.state()["hooks"]) == 3


def test_the_sandbox_refuses_project_resources_on_a_company_hook(
    sandbox: SandboxAdmin, connection: ProcoreConnection, url: str
) -> None:
    client = service.client_for(connection)
    company_scope = {"company_id": connection.company_id}
    project = sandbox.project(connection.company_id)
    offered = client.get("/rest/v1.0/webhooks/resources", **company_scope)
    assert "Project Vendors" not in {r["tools"] for r in offered}
    in_project = client.get("/rest/v1.0/webhooks/resources", project_id=project["id"])
    assert "Project Vendors" in {r["tools"] for r in in_project}
    hook = client.create_hook(
        scope=company_scope, namespace="n", destination_url=url, authorization="Bearer x"
    )
    with pytest.raises(ProcoreStatusError) as refused:
        client.create_trigger(
            int(hook["id"]),
            scope=company_scope,
            resource_name="Project Vendors",
            event_type="create",
        )
    assert refused.value.status == 422 and "company level hook" in str(refused.value.body)


def test_a_company_hook_and_one_hook_per_visible_project(
    sandbox: SandboxAdmin, tenant: Tenant, url: str
) -> None:
    company = sandbox.company()
    first, second = (sandbox.project(company["id"], name) for name in ("North", "South"))
    connection = make_connection(
        org_id=tenant.org_id,
        sandbox_url=sandbox.url,
        company_id=company["id"],
        work_order_contracts=True,
    )
    report = install_hooks(connection.id, destination_url=url)
    assert [s.key for s in report.scopes] == [
        f"company:{company['id']}",
        f"project:{first['id']}",
        f"project:{second['id']}",
    ]
    assert report.refused == 0
    hooks, triggers = _installed(sandbox)
    by_scope = {h["owned_by_project_id"] or "company": h["id"] for h in hooks}
    project_hook = by_scope[first["id"]]
    assert all((r, e, project_hook) in triggers for r, e in PROJECT_TRIGGERS)
    assert ("Purchase Order Contracts", "delete", project_hook) in triggers
    assert ("Project Vendors", "create", by_scope["company"]) not in triggers
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        assert row.hooks["destination_url"] == url
        scope = row.install_report[f"project:{second['id']}"]
        assert scope["Project Vendors create"] == {"state": "installed", "message": None}


def test_a_refused_trigger_is_reported_and_the_rest_installed(
    sandbox: SandboxAdmin, connection: ProcoreConnection, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The belief of old: project resources on the company hook. Procore refuses them; with the
    # resources answer unread, the client asks anyway and must take the refusal in its stride.
    wanted = (("Project Vendors", "create"), *COMPANY_TRIGGERS, ("RFIs", "create"))
    monkeypatch.setattr(hooks, "COMPANY_TRIGGERS", wanted)
    monkeypatch.setattr(hooks, "offered_resources", lambda client, *, scope: None)
    report = install_hooks(connection.id, destination_url=url)
    [company] = report.scopes
    refused = company.triggers["Project Vendors create"]
    assert refused["state"] == "refused" and "company level hook" in refused["message"]
    assert company.triggers["RFIs create"]["state"] == "refused"
    assert company.count("installed") == len(COMPANY_TRIGGERS)
    assert report.refused == 2
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None
        assert row.install_report[company.key]["Project Vendors create"] == refused


def test_a_resource_the_scope_does_not_offer_is_not_asked_for(
    sandbox: SandboxAdmin, connection: ProcoreConnection, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        hooks, "COMPANY_TRIGGERS", (*COMPANY_TRIGGERS, ("Project Vendors", "create"))
    )
    [company] = install_hooks(connection.id, destination_url=url).scopes
    assert company.triggers["Project Vendors create"]["state"] == "unavailable"
    _hooks, triggers = _installed(sandbox)
    assert triggers == _one_of_each(company.hook_id)
