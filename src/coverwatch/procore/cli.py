"""`coverwatch procore ...`: connect a Procore company, install webhooks, reconcile."""

from __future__ import annotations

import secrets
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

app = typer.Typer(help="The Procore integration.", no_args_is_help=True)
console = Console()


def _org_id(org: str) -> int:
    from coverwatch.db import session_scope
    from coverwatch.orgs.service import get_organization

    with session_scope() as session:
        return get_organization(session, slug_or_id=org).id


def _migrate() -> None:
    from coverwatch.db import get_engine
    from coverwatch.migrate import upgrade

    upgrade(engine=get_engine())


@app.command()
def connect(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    company_id: Annotated[int, typer.Option(help="Procore company id")],
    client_id: Annotated[str, typer.Option(help="The app's OAuth client id")],
    client_secret: Annotated[
        str, typer.Option(help="The app's OAuth client secret", prompt=True, hide_input=True)
    ],
    environment: Annotated[
        str, typer.Option(help="production, sandbox, monthly_sandbox or local")
    ] = "production",
    service_account: Annotated[
        bool, typer.Option(help="Client credentials (DMSA) instead of the OAuth install flow")
    ] = False,
    code: Annotated[str | None, typer.Option(help="Authorization code, if you have one")] = None,
    redirect_uri: Annotated[str, typer.Option(help="The app's redirect URI")] = (
        "urn:ietf:wg:oauth:2.0:oob"
    ),
    api_url: Annotated[str | None, typer.Option(help="API base URL (local sandbox)")] = None,
    login_url: Annotated[str | None, typer.Option(help="OAuth base URL if not the API's")] = None,
    application_id: Annotated[
        str | None, typer.Option(help="Procore's id of the app (recognises our own writes)")
    ] = None,
    template: Annotated[
        str | None, typer.Option(help="Template for projects first seen in Procore")
    ] = None,
    writeback_level: Annotated[str, typer.Option(help="project, company or off")] = "project",
    work_order_contracts: Annotated[
        bool, typer.Option(help="Also start tracking when a subcontract is created")
    ] = False,
    keep_procore_notifications: Annotated[
        bool, typer.Option(help="Let Procore send its own daily expiry emails as well")
    ] = False,
) -> None:
    """Connect the organization to a Procore company (OAuth install or service account)."""
    from coverwatch.db import session_scope
    from coverwatch.procore import oauth, service

    _migrate()
    org_id = _org_id(org)
    default_api, default_login = oauth.ENVIRONMENTS.get(environment, ("", ""))
    login = (login_url or api_url or default_login).rstrip("/")
    with httpx.Client() as http:
        if service_account:
            tokens = oauth.client_credentials(
                http=http, login_base_url=login, client_id=client_id, client_secret=client_secret
            )
        else:
            if code is None:
                state = secrets.token_urlsafe(12)
                url = oauth.authorize_url(
                    login_base_url=login,
                    client_id=client_id,
                    redirect_uri=redirect_uri,
                    state=state,
                )
                console.print("Open this address as a Procore company admin and allow the app:")
                console.print(url, soft_wrap=True)
                code = typer.prompt("Authorization code")
            tokens = oauth.exchange_code(
                http=http,
                login_base_url=login,
                client_id=client_id,
                client_secret=client_secret,
                code=code.strip(),
                redirect_uri=redirect_uri,
            )
    with session_scope() as session:
        connection = service.create_connection(
            session,
            org_id=org_id,
            environment=environment,
            company_id=company_id,
            grant_type="client_credentials" if service_account else "authorization_code",
            client_id=client_id,
            client_secret=client_secret,
            tokens=tokens,
            api_base_url=api_url or default_api,
            login_base_url=login,
            application_id=application_id,
            template_key=template,
            writeback_level=writeback_level,
            work_order_contracts=work_order_contracts,
            keep_procore_notifications=keep_procore_notifications,
            actor="cli",
        )
        connection_id = connection.id
    companies = {c["id"]: c.get("name", "") for c in service.client_for(connection).companies()}
    if company_id not in companies:
        console.print(
            f"[yellow]warning:[/] company {company_id} is not among the companies this app "
            "can see; is the app installed there?"
        )
    console.print(
        f"[green]connected[/] to Procore company {company_id} "
        f"{companies.get(company_id, '')} (connection {connection_id})"
    )


@app.command("install-hooks")
def install_hooks_command(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    destination_url: Annotated[
        str | None, typer.Option(help="Public URL of /webhooks/procore (default: base URL)")
    ] = None,
    project_id: Annotated[
        int | None, typer.Option(help="A project scope instead of the company")
    ] = None,
) -> None:
    """Create our hook and its triggers in Procore, or complete them (safe to repeat)."""
    from coverwatch.db import session_scope
    from coverwatch.procore import service
    from coverwatch.procore.hooks import install_hooks
    from coverwatch.settings import get_settings

    _migrate()
    org_id = _org_id(org)
    with session_scope() as session:
        connection_id = service.get_connection(session, org_id=org_id).id
    url = destination_url or f"{get_settings().base_url.rstrip('/')}/webhooks/procore"
    with console.status("installing webhooks in Procore..."):
        report = install_hooks(connection_id, destination_url=url, project_id=project_id)
    verb = "created" if report.hook_created else "found"
    console.print(
        f"hook {report.hook_id} {verb} → {url}; {report.triggers_created} trigger(s) created, "
        f"{report.triggers_total} in place"
    )


@app.command()
def sync(org: Annotated[str, typer.Option(help="Organization slug or id")]) -> None:
    """Reconcile every Procore project and project vendor now (for missed webhooks)."""
    from coverwatch.db import session_scope
    from coverwatch.procore import service
    from coverwatch.procore.sync import sync_connection

    _migrate()
    org_id = _org_id(org)
    with session_scope() as session:
        connection_id = service.get_connection(session, org_id=org_id).id
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("projects", total=None)

        def advance(name: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=name[:40])

        report = sync_connection(connection_id, progress=advance)
    console.print(
        f"{report.projects} projects, {report.project_vendors} project vendors; "
        f"started tracking {report.started}, stopped {report.stopped}"
    )
