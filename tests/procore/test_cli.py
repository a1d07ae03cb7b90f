"""`coverwatch procore connect | install-hooks | sync` against the sandbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from coverwatch.cli import app
from coverwatch.db import session_scope
from coverwatch.procore import hooks
from coverwatch.vendors.models import ProjectVendor
from tests.orgs.factories import Tenant
from tests.procore.factories import CLIENT_ID, CLIENT_SECRET, SandboxAdmin, make_connection

runner = CliRunner()


def test_connect_install_hooks_twice_and_sync(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str
) -> None:
    company = sandbox.company()
    sandbox.seed(company["id"], projects=2, vendors_per_project=3)
    result = runner.invoke(
        app,
        [
            "procore", "connect", "--org", tenant.slug, "--company-id", str(company["id"]),
            "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
            "--environment", "local", "--api-url", sandbox.url, "--service-account",
            "--track", "directory",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "connected" in result.output
    hook_args = ["procore", "install-hooks", "--org", tenant.slug]
    hook_args += ["--destination-url", f"{receiver}/webhooks/procore"]
    first = runner.invoke(app, hook_args)
    second = runner.invoke(app, hook_args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "13 trigger(s) installed" in first.output  # the company's 5, each project's 4
    assert "0 trigger(s) installed" in second.output and "13 already present" in second.output
    assert len(sandbox.state()["hooks"]) == 3
    result = runner.invoke(app, ["procore", "sync", "--org", tenant.slug])
    assert result.exit_code == 0, result.output
    assert "started tracking 6" in result.output
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ProjectVendor)) == 6


def test_install_hooks_shows_a_refusal_and_fails(
    tenant: Tenant, sandbox: SandboxAdmin, receiver: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = sandbox.company()
    make_connection(org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company["id"])
    # Project Vendors asked of the company hook, as coverwatch once did: Procore refuses it.
    wanted = (("Project Vendors", "create"), *hooks.COMPANY_TRIGGERS)
    monkeypatch.setattr(hooks, "COMPANY_TRIGGERS", wanted)
    monkeypatch.setattr(hooks, "offered_resources", lambda client, *, scope: None)
    args = ["procore", "install-hooks", "--org", tenant.slug]
    result = runner.invoke(app, [*args, "--destination-url", f"{receiver}/webhooks/procore"])
    assert result.exit_code == 1, result.output
    assert "refused" in result.output and "5 trigger(s) installed" in result.output
    assert "1 refused or unavailable" in result.output


def test_oauth_install_flow_takes_the_pasted_code(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    import httpx

    company = sandbox.company()
    args = [
        "procore", "connect", "--org", tenant.slug, "--company-id", str(company["id"]),
        "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
        "--environment", "local", "--api-url", sandbox.url,
    ]  # fmt: skip
    # What an admin would do with the printed address: open it, approve, copy the code.
    page = httpx.get(
        f"{sandbox.url}/oauth/authorize",
        params={"client_id": CLIENT_ID, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"},
    ).text
    code = page.split("<code id='code'>")[1].split("</code>")[0]
    result = runner.invoke(app, args, input=f"{code}\n")
    assert result.exit_code == 0, result.output
    assert "/oauth/authorize?" in result.output and "connected" in result.output


def _service_account_args(tenant: Tenant, sandbox: SandboxAdmin) -> list[str]:
    return [
        "procore", "connect", "--org", tenant.slug,
        "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
        "--environment", "local", "--api-url", sandbox.url, "--service-account",
    ]  # fmt: skip


def _connected() -> list[tuple[int, str]]:
    from coverwatch.procore.models import ProcoreConnection

    with session_scope() as session:
        rows = session.scalars(select(ProcoreConnection).order_by(ProcoreConnection.id))
        return [(c.company_id, c.company_name) for c in rows]


def test_a_service_account_connects_the_one_company_that_installed_the_app(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    mine = sandbox.company("Summit Builders", installed_clients=[CLIENT_ID])
    sandbox.company("Other Builders", installed_clients=["another-client"])
    result = runner.invoke(app, _service_account_args(tenant, sandbox))
    assert result.exit_code == 0, result.output
    assert "Summit Builders" in result.output and "Other Builders" not in result.output
    assert _connected() == [(mine["id"], "Summit Builders")]


def test_a_service_account_lists_its_companies_and_connects_each_one_chosen(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    first = sandbox.company("Summit Builders")
    sandbox.company("Harbor Contracting")
    third = sandbox.company("Ridge Construction")
    result = runner.invoke(app, _service_account_args(tenant, sandbox), input="1, 3\n")
    assert result.exit_code == 0, result.output
    assert "2. Harbor Contracting" in result.output
    assert _connected() == [(first["id"], "Summit Builders"), (third["id"], "Ridge Construction")]
    assert "Ridge Construction" in result.output.splitlines()[-1]
    # With several connections, the other commands are told which one.
    assert runner.invoke(app, ["procore", "sync", "--org", tenant.slug]).exit_code != 0
    from coverwatch.procore.models import ProcoreConnection

    with session_scope() as session:
        last = max(session.scalars(select(ProcoreConnection.id)))
    chosen = runner.invoke(
        app, ["procore", "sync", "--org", tenant.slug, "--connection", str(last)]
    )
    assert chosen.exit_code == 0, chosen.output


def test_the_install_flow_still_needs_a_company_id(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    args = [a for a in _service_account_args(tenant, sandbox) if a != "--service-account"]
    result = runner.invoke(app, [*args, "--code", "unused"])
    assert result.exit_code != 0 and "--company-id" in result.output
    assert _connected() == []
