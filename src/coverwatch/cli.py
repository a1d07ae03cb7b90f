"""The `coverwatch` command: each domain's commands, assembled, and the processes that run it.

The commands live with their domain (`orgs/cli.py`, `certificates/cli.py`, ...); this module
adds them to one Typer app, built on first use, and holds the commands that run the product
itself. `parse` and `check` run from an app of their own that imports only what reading and
judging one certificate needs.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Annotated

import typer

from coverwatch.commands import console, migrate, run_logging, safe_url
from coverwatch.errors import CoverwatchError
from coverwatch.logs import configure_logging

# Commands that read one certificate and import nothing of the product beyond it: they run
# from an app holding only them, so they start without the web app or the other domains.
READING_COMMANDS = ("parse", "check")


def _typer() -> typer.Typer:
    return typer.Typer(
        help="Certificate-of-insurance compliance for general contractors.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )


def reading_app() -> typer.Typer:
    """The `coverwatch` command with only `parse` and `check`."""
    from coverwatch.certificates import cli as certificates_cli

    app = _typer()
    certificates_cli.register(app)
    return app


@cache
def full_app() -> typer.Typer:
    """The `coverwatch` command with every domain's commands."""
    from coverwatch.certificates import cli as certificates_cli
    from coverwatch.compliance import cli as compliance_cli
    from coverwatch.demo import cli as demo_cli
    from coverwatch.imports import cli as imports_cli
    from coverwatch.orgs import cli as orgs_cli
    from coverwatch.outreach import cli as outreach_cli
    from coverwatch.procore.cli import app as procore_app
    from coverwatch.sandbox import cli as sandbox_cli

    app = _typer()
    db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
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
    app.command()(serve)
    app.command()(web)
    app.command()(worker)
    return app


def __getattr__(name: str) -> typer.Typer:
    # `coverwatch.cli.app` is built on first use, so importing this module stays cheap.
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point of the console script: known errors are one line, never a traceback."""
    from pydantic import ValidationError

    from coverwatch.settings import get_settings

    try:
        # Commands that answer a question (parse, check, status...) log only warnings and
        # errors; those that run the product log at the configured level (`_run_logging`).
        configure_logging(get_settings(), level="WARNING")
        reading = len(sys.argv) > 1 and sys.argv[1] in READING_COMMANDS
        (reading_app() if reading else full_app())()
    except CoverwatchError as exc:
        print(f"coverwatch: {exc.message}", file=sys.stderr)
        sys.exit(2)
    except ValidationError as exc:
        # A COVERWATCH_* variable with a value the settings refuse: say which, in one line each.
        for error in exc.errors(include_url=False):
            name = "COVERWATCH_" + "_".join(str(p) for p in error["loc"]).upper()
            print(f"coverwatch: {name}: {error['msg']}", file=sys.stderr)
        sys.exit(2)


def db_upgrade() -> None:
    """Create or upgrade the database schema."""
    from coverwatch.settings import get_settings

    migrate()
    console.print(f"database is up to date ({safe_url(get_settings().resolved_database_url)})")


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


def web(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Run only the web process (at scale: several behind a load balancer)."""
    from coverwatch.server import run

    run_logging()
    run(host=host, port=port, workers=0, with_jobs=False)


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
