"""`coverwatch procore connect | install-hooks | sync` against the sandbox."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from coverwatch.cli import app
from coverwatch.db import session_scope
from coverwatch.vendors.models import ProjectVendor
from tests.orgs.factories import Tenant
from tests.procore.factories import CLIENT_ID, CLIENT_SECRET, SandboxAdmin

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
    assert "created" in first.output and "0 trigger(s) created" in second.output
    assert len(sandbox.state()["hooks"]) == 1
    result = runner.invoke(app, ["procore", "sync", "--org", tenant.slug])
    assert result.exit_code == 0, result.output
    assert "started tracking 6" in result.output
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ProjectVendor)) == 6


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
