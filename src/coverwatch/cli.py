"""The `coverwatch` command: each domain's commands, assembled, and the processes that run it.

The commands live with their domain (`orgs/cli.py`, `certificates/cli.py`, ...); this module
adds them to one Typer app and holds the commands that run the product itself.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from coverwatch.certificates import cli as certificates_cli
from coverwatch.commands import console, migrate, run_logging, safe_url
from coverwatch.compliance import cli as compliance_cli
from coverwatch.demo import cli as demo_cli
from coverwatch.errors import CoverwatchError
from coverwatch.imports import cli as imports_cli
from coverwatch.logs import configure_logging
from coverwatch.orgs import cli as orgs_cli
from coverwatch.outreach import cli as outreach_cli
from coverwatch.procore.cli import app as procore_app
from coverwatch.sandbox import cli as sandbox_cli

app = typer.Typer(
    help="Certificate-of-insurance compliance for general contractors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(procore_app, name="procore")
for domain in (
    orgs_cli,
    certificates_cli,
    compliance_cli,
    outreach_cli,
    demo_cli,
    sandbox_cli,
    imports_cli,
):
    domain.register(app)


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


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema."""
    from coverwatch.settings import get_settings

    migrate()
    console.print(f"database is up to date ({safe_url(get_settings().resolved_database_url)})")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int | None, typer.Option(help="Job worker threads")] = None,
) -> None:
    """Run everything in one process: web, job workers and the scheduler."""
    from coverwatch.server import run

    run_logging()
    migrate()
    run(host=host, port=port, workers=workers, with_jobs=True)


@app.command()
def web(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Run only the web process (at scale: several behind a load balancer)."""
    from coverwatch.server import run

    run_logging()
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

    run_logging()
    migrate()
    make_consumer(workers=workers, periodic=scheduler).run()
