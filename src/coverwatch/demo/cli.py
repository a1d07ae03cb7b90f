"""`coverwatch demo`: the whole system with a sample company and a local Procore sandbox."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from coverwatch.commands import console, migrate, run_logging


def demo(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """`serve` with a sample organization (three projects, vendors in every status) and a
    local Procore sandbox connected to it."""
    from coverwatch.demo import company
    from coverwatch.demo import state as saved
    from coverwatch.demo.procore import SANDBOX_SUBS, seed_procore
    from coverwatch.outreach.tasks import plan_all
    from coverwatch.sandbox.app import SandboxServer
    from coverwatch.server import run
    from coverwatch.settings import get_settings

    run_logging()
    migrate()
    settings = get_settings()
    kept = saved.load_state(settings.data_dir)
    summary = company.seed(state=kept)
    host, port = saved.address(
        state=kept,
        host=host,
        port=port,
        default_host=settings.host,
        default_port=settings.port,
    )
    base = f"http://{host}:{port}"
    if "COVERWATCH_BASE_URL" not in os.environ:
        # Links in the demo's emails must point at this very server, run after run.
        settings.base_url = base
    if kept.get("base_url") and kept["base_url"] != settings.base_url:
        console.print(
            f"[yellow]note[/]: emails sent before link to {kept['base_url']}, not {base}",
            soft_wrap=True,
        )
    saved.save_state(
        settings.data_dir,
        {"keys": summary["keys"], "host": host, "port": port, "base_url": settings.base_url},
    )
    # The sample subs' first requests and notices, ready in the mailbox when the page opens.
    plan_all()
    # The local Procore sandbox runs beside the app and sends its webhooks to it.
    sandbox = SandboxServer(port=port + 100).start()
    procore = seed_procore(sandbox=sandbox, receiver_url=f"http://127.0.0.1:{port}")
    console.print(f"[bold]coverwatch demo[/] — organization [bold]{summary['org']}[/]")
    console.print(
        f"  Procore sandbox {procore['admin_url']}  (add a sub to a project there: "
        "coverwatch starts tracking it by itself)",
        soft_wrap=True,
    )
    panel = (
        f"{base}/procore/panel?companyId={procore['company_id']}&projectId={procore['project_id']}"
    )
    console.print(f"  Procore panel  {panel}", soft_wrap=True)
    console.print(
        f"                 sign in as {summary['users']['project_manager']} / "
        f"{summary['password']}",
        soft_wrap=True,
    )
    console.print(
        f"  dashboard      {base}/dashboard  (sign in as {summary['users']['risk_manager']} / "
        f"{summary['password']})",
        soft_wrap=True,
    )
    console.print(
        f"  mailbox        {base}/mailbox  (emails to subs and agents are kept here; sign in "
        f"as {summary['users']['risk_manager']} / {summary['password']})",
        soft_wrap=True,
    )
    samples = company.write_sample_certificates(folder=settings.data_dir / "sample-certificates")
    console.print(
        f"  try the portal: in the sandbox, add {SANDBOX_SUBS[0][0]} to Harbor View "
        "Tower; open its email in the mailbox; upload these in turn:",
        soft_wrap=True,
    )
    for path in samples.values():
        console.print(f"                 {path.resolve()}", soft_wrap=True)
    console.print(f"  start page     {base}/  (links to all of these)")
    console.print(f"  API docs       {base}/api/v1/docs")
    console.print(f"                 {base}/api/v1/redoc")
    console.print(f"  OpenAPI        {base}/api/v1/openapi.json")
    console.print(f"  health         {base}/health")
    for role, token in summary["keys"].items():
        console.print(f"  API key ({role:<15}) {token}", soft_wrap=True)
    console.print(
        f"  try: curl -H 'Authorization: Bearer {summary['keys']['risk_manager']}' "
        f"{base}/api/v1/project-vendors",
        soft_wrap=True,
    )
    run(host=host, port=port, workers=None, with_jobs=True, sandbox_admin_url=procore["admin_url"])


def register(app: typer.Typer) -> None:
    """Add these commands to the `coverwatch` command."""
    app.command("demo")(demo)
