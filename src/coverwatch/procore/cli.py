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
    client_id: Annotated[str, typer.Option(help="The app's OAuth client id")],
    client_secret: Annotated[
        str, typer.Option(help="The app's OAuth client secret", prompt=True, hide_input=True)
    ],
    company_id: Annotated[
        int | None,
        typer.Option(help="Procore company id (a service account lists its companies without)"),
    ] = None,
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
    track: Annotated[
        str,
        typer.Option(
            help="Which companies get COI requests: subcontractors (those with a commitment on "
            "the project) or directory (everyone in the project directory but the GC's own "
            "record)"
        ),
    ] = "subcontractors",
    trade: Annotated[
        list[str] | None,
        typer.Option(help="With --track directory: only companies of this trade (repeatable)"),
    ] = None,
    keep_procore_notifications: Annotated[
        bool, typer.Option(help="Let Procore send its own daily expiry emails as well")
    ] = False,
) -> None:
    """Connect the organization to a Procore company (OAuth install or service account)."""
    from coverwatch.db import session_scope
    from coverwatch.procore import oauth, service

    if company_id is None and not service_account:
        raise typer.BadParameter(
            "the install flow connects one company: give its --company-id",
            param_hint="--company-id",
        )
    _migrate()
    org_id = _org_id(org)
    default_api, default_login = oauth.ENVIRONMENTS.get(environment, ("", ""))
    api = (api_url or default_api).rstrip("/")
    login = (login_url or api_url or default_login).rstrip("/")
    seen: dict[int, str] | None = None
    with httpx.Client() as http:
        if service_account:
            tokens = oauth.client_credentials(
                http=http, login_base_url=login, client_id=client_id, client_secret=client_secret
            )
            # One service account serves every company that installed the app.
            seen = _companies(
                http, api_base_url=api, client_id=client_id, token=tokens.access_token
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
    chosen = [company_id] if company_id is not None else _choose(seen or {})
    for chosen_id in chosen:
        with session_scope() as session:
            connection = service.create_connection(
                session,
                org_id=org_id,
                environment=environment,
                company_id=chosen_id,
                grant_type="client_credentials" if service_account else "authorization_code",
                client_id=client_id,
                client_secret=client_secret,
                tokens=tokens,
                api_base_url=api,
                login_base_url=login,
                company_name=(seen or {}).get(chosen_id, ""),
                application_id=application_id,
                template_key=template,
                writeback_level=writeback_level,
                work_order_contracts=work_order_contracts,
                tracking_rule={"mode": track, "trades": trade or []},
                keep_procore_notifications=keep_procore_notifications,
                actor="cli",
            )
            connection_id = connection.id
        if seen is None:
            seen = {c["id"]: c.get("name", "") for c in service.client_for(connection).companies()}
        if chosen_id not in seen:
            console.print(
                f"[yellow]warning:[/] company {chosen_id} is not among the companies this app "
                "can see; is the app installed there?"
            )
        console.print(
            f"[green]connected[/] to Procore company {chosen_id} "
            f"{seen.get(chosen_id, '')} (connection {connection_id})"
        )


def _companies(http: httpx.Client, *, api_base_url: str, client_id: str, token: str) -> dict:
    """The companies where the app is installed: id to name."""
    from coverwatch.procore.client import ProcoreClient

    lister = ProcoreClient(
        api_base_url=api_base_url,
        company_id=None,
        token=lambda _rejected: token,
        budget_key=f"{api_base_url}|companies|{client_id}",
        http=http,
    )
    return {int(c["id"]): str(c.get("name") or "") for c in lister.companies()}


def _choose(companies: dict[int, str]) -> list[int]:
    """The only company, or those the admin picks from a numbered list."""
    if not companies:
        console.print("[red]error:[/] no Procore company has installed this app")
        raise typer.Exit(1)
    if len(companies) == 1:
        return list(companies)
    ids = list(companies)
    for number, found in enumerate(ids, start=1):
        console.print(f"{number}. {companies[found]} ({found})")
    while True:
        answer = typer.prompt("Connect which? (numbers separated by commas, or 'all')")
        if answer.strip().lower() == "all":
            return ids
        try:
            picked = [int(part) for part in answer.replace(" ", "").split(",") if part]
        except ValueError:
            picked = []
        if picked and all(1 <= n <= len(ids) for n in picked):
            return [ids[n - 1] for n in dict.fromkeys(picked)]
        console.print(f"numbers from 1 to {len(ids)}, please")


@app.command("install-hooks")
def install_hooks_command(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    destination_url: Annotated[
        str | None, typer.Option(help="Public URL of /webhooks/procore (default: base URL)")
    ] = None,
    project_id: Annotated[
        int | None, typer.Option(help="Only this project's hook, not the company's and all")
    ] = None,
    connection: Annotated[
        int | None, typer.Option(help="Which connection, when the organization has several")
    ] = None,
) -> None:
    """Create our hooks and their triggers in Procore, or complete them (safe to repeat)."""
    from rich.table import Table

    from coverwatch.db import session_scope
    from coverwatch.procore import service
    from coverwatch.procore.hooks import install_hooks
    from coverwatch.settings import get_settings

    _migrate()
    org_id = _org_id(org)
    with session_scope() as session:
        connection_id = service.get_connection(session, org_id=org_id, connection_id=connection).id
    url = destination_url or f"{get_settings().base_url.rstrip('/')}/webhooks/procore"
    with console.status("installing webhooks in Procore..."):
        report = install_hooks(connection_id, destination_url=url, project_id=project_id)
    table = Table("scope", "hook", "trigger", "state", "Procore's message")
    colours = {"installed": "green", "present": "dim", "refused": "red", "unavailable": "red"}
    for scope in report.scopes:
        hook = "-" if scope.hook_id is None else f"{scope.hook_id}"
        hook += " (created)" if scope.hook_created else ""
        for name, trigger in scope.triggers.items():
            state = trigger["state"]
            colour = colours.get(state, "white")
            table.add_row(
                scope.key, hook, name, f"[{colour}]{state}[/]", trigger.get("message") or ""
            )
    console.print(table)
    installed = sum(s.count("installed") for s in report.scopes)
    present = sum(s.count("present") for s in report.scopes)
    console.print(f"{len(report.scopes)} scope(s), deliveries to {url}", soft_wrap=True)
    console.print(f"{installed} trigger(s) installed, {present} already present")
    console.print(f"{report.refused} refused or unavailable")
    if report.refused:
        raise typer.Exit(code=1)


@app.command()
def sync(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    connection: Annotated[
        int | None, typer.Option(help="Which connection, when the organization has several")
    ] = None,
) -> None:
    """Reconcile every Procore project and project vendor now (for missed webhooks)."""
    from coverwatch.db import session_scope
    from coverwatch.procore import service
    from coverwatch.procore.sync import sync_connection

    _migrate()
    org_id = _org_id(org)
    with session_scope() as session:
        connection_id = service.get_connection(session, org_id=org_id, connection_id=connection).id
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
