"""The `coverwatch` command."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from coverwatch.certificates.schemas import CertificateData
from coverwatch.errors import CoverwatchError
from coverwatch.logs import configure_logging
from coverwatch.procore.cli import app as procore_app

app = typer.Typer(
    help="Certificate-of-insurance compliance for general contractors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations (tenants).", no_args_is_help=True)
user_app = typer.Typer(help="Users of an organization.", no_args_is_help=True)
key_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="api-key")
app.add_typer(procore_app, name="procore")

console = Console()
STATUS_STYLE = {
    "compliant": "green",
    "expiring": "yellow",
    "needs_review": "cyan",
    "pending": "white",
    "non_compliant": "red",
    "expired": "bold red",
}


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    print(f"coverwatch: {message}", file=sys.stderr)
    raise typer.Exit(2)


def main() -> None:
    """Entry point of the console script: known errors are one line, never a traceback."""
    from pydantic import ValidationError

    from coverwatch.settings import get_settings

    try:
        # Commands that answer a question (parse, check, status...) log only warnings and
        # errors; those that run the product log at the configured level (`_run_logging`).
        configure_logging(get_settings(), level="WARNING")
        app()
    except CoverwatchError as exc:
        print(f"coverwatch: {exc.message}", file=sys.stderr)
        sys.exit(2)
    except ValidationError as exc:
        # A COVERWATCH_* variable with a value the settings refuse: say which, in one line each.
        for error in exc.errors(include_url=False):
            name = "COVERWATCH_" + "_".join(str(p) for p in error["loc"]).upper()
            print(f"coverwatch: {name}: {error['msg']}", file=sys.stderr)
        sys.exit(2)


def _run_logging() -> None:
    """Log at COVERWATCH_LOG_LEVEL, in COVERWATCH_LOG_FORMAT: for commands that run jobs."""
    from coverwatch.settings import get_settings

    configure_logging(get_settings())


def _migrate() -> None:
    from coverwatch.db import get_engine
    from coverwatch.jobs import load_tasks
    from coverwatch.migrate import upgrade

    upgrade(engine=get_engine())
    # Every domain's listeners (outreach, webhooks, Procore write-back) then react to changes
    # made from the command line as they do to changes made through the API.
    load_tasks()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema."""
    from coverwatch.settings import get_settings

    _migrate()
    console.print(f"database is up to date ({_safe_url(get_settings().resolved_database_url)})")


@org_app.command("create")
def org_create(name: str, slug: Annotated[str | None, typer.Option()] = None) -> None:
    """Create an organization with copies of the built-in requirement templates."""
    from coverwatch.db import session_scope
    from coverwatch.orgs import service

    _migrate()
    with session_scope() as session:
        org = service.create_organization(session, name=name, slug=slug)
        console.print(f"organization {org.slug} created (id {org.id})")


@user_app.command("create")
def user_create(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    email: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="admin, risk_manager, project_manager or viewer")],
    name: Annotated[str, typer.Option()] = "",
    password: Annotated[
        str | None, typer.Option(help="Lets the user sign in to the Procore panel")
    ] = None,
) -> None:
    """Create a user with a role."""
    from coverwatch.db import session_scope
    from coverwatch.orgs import service

    _migrate()
    with session_scope() as session:
        organization = service.get_organization(session, slug_or_id=org)
        user = service.create_user(
            session, org_id=organization.id, email=email, role=role, name=name, password=password
        )
        console.print(f"user {user.email} ({user.role}) created in {organization.slug}")


@key_app.command("create")
def api_key_create(
    org: Annotated[str, typer.Option(help="Organization slug or id")],
    email: Annotated[str, typer.Option(help="The user the key acts as")],
    name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create an API key; it is printed once and cannot be shown again."""
    from coverwatch.db import session_scope
    from coverwatch.orgs import service

    _migrate()
    with session_scope() as session:
        organization = service.get_organization(session, slug_or_id=org)
        user = service.get_user(session, org_id=organization.id, email=email)
        _key, token = service.create_api_key(session, user=user, name=name)
    print(token)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A PDF (fillable, flattened, scanned) or image")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the certificate JSON")] = False,
) -> None:
    """Read an ACORD 25 certificate and print what was read."""
    data = _read_certificate(file)
    if as_json:
        print(data.model_dump_json(by_alias=True, indent=2))
        return
    console.print(
        f"[bold]{data.insured.name or '(insured not read)'}[/] - {data.form.type} "
        f"{data.form.edition or ''}, read by {data.source.method}, "
        f"confidence {data.confidence:.2f}"
    )
    for policy in data.policies:
        limits = ", ".join(f"{k} ${v:,}" for k, v in policy.limits.items())
        console.print(
            f"  {policy.type:<18} {policy.policy_number or '':<16} "
            f"{policy.effective_date or '?'} to {policy.expiration_date or '?'}  {limits}"
        )
    for warning in data.warnings:
        console.print(f"  [cyan]![/] {warning}")


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A certificate JSON (coverwatch.certificate/1)")],
    template: Annotated[str, typer.Option(help="Built-in template key or a template JSON file")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    as_of: Annotated[str | None, typer.Option(help="Evaluate as of YYYY-MM-DD")] = None,
    trade: Annotated[str | None, typer.Option(help="Apply the template's trade override")] = None,
) -> None:
    """Evaluate one certificate against a template, with no database."""
    from coverwatch import clock
    from coverwatch.requirements.engine import evaluate
    from coverwatch.requirements.packs import load_template

    certificate = _read_certificate(file)
    try:
        spec = load_template(template)
    except ValueError as exc:
        fail(str(exc))
    day = _parse_date(as_of) if as_of else clock.today()
    result = evaluate(certificates=[certificate], template=spec, as_of=day, trade=trade)
    fields = ("code", "coverage", "limit", "required", "actual", "message")
    out: dict[str, Any] = {
        "status": result.status,
        "deficiencies": [{k: getattr(d, k) for k in fields} for d in result.deficiencies],
        "warnings": [w.model_dump(mode="json") for w in result.warnings],
    }
    if as_json:
        print(json.dumps(out, indent=2))
        return
    console.print(
        f"[{STATUS_STYLE.get(result.status, 'white')}]{result.status}[/] "
        f"against {spec.key} as of {day.isoformat()}"
    )
    for deficiency in result.deficiencies:
        console.print(f"  [red]✗[/] {deficiency.message}  [dim]({deficiency.code})[/]")
    for warning in result.warnings:
        console.print(f"  [yellow]![/] {warning.message}  [dim]({warning.code})[/]")


@app.command()
def status(
    org: Annotated[
        str | None, typer.Option(help="Organization slug or id (default: the only one)")
    ] = None,
    project: Annotated[int | None, typer.Option(help="Only this project id")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD: what was true that day")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The status of every vendor on every project, now or as of a past date."""
    from sqlalchemy import select

    from coverwatch.compliance import service as compliance
    from coverwatch.db import session_scope
    from coverwatch.orgs.models import Organization
    from coverwatch.orgs.service import get_organization
    from coverwatch.projects.models import Project
    from coverwatch.vendors.models import ProjectVendor, Vendor

    _migrate()
    day = _parse_date(as_of) if as_of else None
    rows: list[dict[str, Any]] = []
    with session_scope() as session:
        if org is None:
            orgs = list(session.scalars(select(Organization)))
            if len(orgs) != 1:
                fail(f"there are {len(orgs)} organizations; choose one with --org")
            organization = orgs[0]
        else:
            organization = get_organization(session, slug_or_id=org)
        statement = (
            select(ProjectVendor, Project, Vendor)
            .join(Project, Project.id == ProjectVendor.project_id)
            .join(Vendor, Vendor.id == ProjectVendor.vendor_id)
            .where(ProjectVendor.org_id == organization.id, ProjectVendor.tracking.is_(True))
            .order_by(Project.id, Vendor.legal_name)
        )
        if project is not None:
            statement = statement.where(Project.id == project)
        for project_vendor, proj, vendor in session.execute(statement).all():
            if day is None:
                verdict = project_vendor.status
                open_items = [
                    d.message
                    for d in compliance.open_deficiencies(session, project_vendor=project_vendor)
                ]
            else:
                result = compliance.status_as_of(session, project_vendor=project_vendor, as_of=day)
                verdict, open_items = result.status, [d.message for d in result.deficiencies]
            rows.append(
                {
                    "project_vendor_id": project_vendor.id,
                    "project": proj.name,
                    "vendor": vendor.legal_name,
                    "trade": project_vendor.trade,
                    "status": verdict,
                    "approved": project_vendor.approved,
                    "deficiencies": open_items,
                }
            )
    if as_json:
        print(json.dumps({"as_of": (day.isoformat() if day else None), "items": rows}, indent=2))
        return
    table = Table(title=f"{organization.name}: status" + (f" as of {day}" if day else ""))
    for column in ("id", "project", "vendor", "trade", "status", "approved", "open"):
        table.add_column(column)
    for row in rows:
        style = STATUS_STYLE.get(row["status"], "white")
        table.add_row(
            str(row["project_vendor_id"]),
            row["project"],
            row["vendor"],
            row["trade"] or "",
            f"[{style}]{row['status']}[/]",
            "yes" if row["approved"] else "",
            str(len(row["deficiencies"])),
        )
    console.print(table)


@app.command()
def sweep() -> None:
    """Re-evaluate every tracked vendor now (what the daily job does)."""
    from coverwatch.compliance.tasks import sweep as run_sweep

    _run_logging()
    _migrate()
    console.print(f"evaluated {run_sweep()} project vendors")


@app.command("outreach-run")
def outreach_run() -> None:
    """Open, close and send what is due now (what the 15-minute job does), sending inline."""
    from coverwatch.outreach import emails
    from coverwatch.outreach.tasks import plan_all

    _run_logging()
    _migrate()
    created = plan_all()
    states = [emails.deliver(email_id) for email_id in emails.due_email_ids()]
    console.print(
        f"{created} new emails; {states.count('sent')} sent, {states.count('kept')} kept for "
        f"the mailbox, {states.count('queued')} to retry, {states.count('failed')} failed"
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int | None, typer.Option(help="Job worker threads")] = None,
) -> None:
    """Run everything in one process: web, job workers and the scheduler."""
    from coverwatch.server import run

    _run_logging()
    _migrate()
    run(host=host, port=port, workers=workers, with_jobs=True)


@app.command()
def web(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Run only the web process (at scale: several behind a load balancer)."""
    from coverwatch.server import run

    _run_logging()
    run(host=host, port=port, workers=0, with_jobs=False)


@app.command()
def worker(
    workers: Annotated[int, typer.Option(help="Worker threads")] = 4,
    scheduler: Annotated[
        bool, typer.Option(help="Also enqueue periodic jobs; keep it on one worker only")
    ] = True,
) -> None:
    """Run only job workers (at scale: on any number of machines)."""
    from coverwatch.jobs import make_consumer

    _run_logging()
    _migrate()
    make_consumer(workers=workers, periodic=scheduler).run()


@app.command()
def demo(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """`serve` with a sample organization (three projects, vendors in every status) and a
    local Procore sandbox connected to it."""
    from coverwatch import demo as sample
    from coverwatch.outreach.tasks import plan_all
    from coverwatch.procore.sandbox import SandboxServer
    from coverwatch.server import run
    from coverwatch.settings import get_settings

    _run_logging()
    _migrate()
    settings = get_settings()
    state = sample.load_state(settings.data_dir)
    summary = sample.seed(state=state)
    host, port = sample.address(
        state=state,
        host=host,
        port=port,
        default_host=settings.host,
        default_port=settings.port,
    )
    base = f"http://{host}:{port}"
    if "COVERWATCH_BASE_URL" not in os.environ:
        # Links in the demo's emails must point at this very server, run after run.
        settings.base_url = base
    if state.get("base_url") and state["base_url"] != settings.base_url:
        console.print(
            f"[yellow]note[/]: emails sent before link to {state['base_url']}, not {base}",
            soft_wrap=True,
        )
    sample.save_state(
        settings.data_dir,
        {"keys": summary["keys"], "host": host, "port": port, "base_url": settings.base_url},
    )
    # The sample subs' first requests and notices, ready in the mailbox when the page opens.
    plan_all()
    # The local Procore sandbox runs beside the app and sends its webhooks to it.
    sandbox = SandboxServer(port=port + 100).start()
    procore = sample.seed_procore(sandbox=sandbox, receiver_url=f"http://127.0.0.1:{port}")
    console.print(f"[bold]coverwatch demo[/] — organization [bold]{summary['org']}[/]")
    console.print(
        f"  Procore sandbox {procore['admin_url']}  (add a sub to a project there: "
        "coverwatch starts tracking it by itself)",
        soft_wrap=True,
    )
    panel = (
        f"{base}/procore/panel?procore.company.id={procore['company_id']}"
        f"&procore.project.id={procore['project_id']}"
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
    samples = sample.write_sample_certificates(folder=settings.data_dir / "sample-certificates")
    console.print(
        f"  try the portal: in the sandbox, add {sample.SANDBOX_SUBS[0][0]} to Harbor View "
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


@app.command("mail-receiver")
def mail_receiver(
    port: Annotated[int | None, typer.Option(help="Default: COVERWATCH_MAIL_RECEIVER_PORT")] = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """Receive email for the organizations' addresses (slug+token@COVERWATCH_INBOUND_DOMAIN)."""
    from coverwatch.outreach.receiver import serve
    from coverwatch.settings import get_settings

    _run_logging()
    _migrate()
    port = port or get_settings().mail_receiver_port
    console.print(f"mail receiver on {host}:{port}; Ctrl-C stops it")
    serve(host=host, port=port)


@app.command("imap-poll")
def imap_poll(
    url: Annotated[
        str,
        typer.Option(
            envvar="COVERWATCH_IMAP_URL",
            help="imap://user:pass@host[:port] or imaps://... (credentials percent-encoded)",
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization that owns the mailbox")],
    folder: Annotated[str, typer.Option(help="Mailbox folder to poll")] = "INBOX",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit")] = False,
    every: Annotated[int, typer.Option(min=1, help="Seconds between polls")] = 60,
) -> None:
    """Poll a GC's own mailbox (IMAP) and file the certificates that arrive there."""
    from coverwatch.outreach.imap import imap_poll_command

    _run_logging()
    _migrate()
    imap_poll_command(url, org, folder, once, every)


@app.command("procore-sandbox")
def procore_sandbox(
    port: Annotated[int, typer.Option()] = 8900,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """Run a local fake Procore (OAuth, REST, webhooks) for development and demos."""
    from coverwatch.procore.cli import sandbox_command

    sandbox_command(port=port, host=host)


def _read_certificate(file: Path) -> CertificateData:
    """A certificate from a JSON file in the contract's shape, or from a PDF or image."""
    from coverwatch.certificates.service import parse_certificate_json
    from coverwatch.parsing.document import parse_document

    if not file.is_file():
        fail(f"{file}: no such file")
    content = file.read_bytes()
    if content.lstrip()[:1] in (b"{", b"["):
        try:
            return parse_certificate_json(json.loads(content))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"{file}: not a certificate JSON ({exc.__class__.__name__}: {exc})")
    return parse_document(content, filename=file.name)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a date in the form YYYY-MM-DD")


def _safe_url(url: str) -> str:
    # Never print a password from a database URL.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
