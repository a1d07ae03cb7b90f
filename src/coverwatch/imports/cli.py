"""`coverwatch import`: a vendor list and a folder or ZIP of certificates, with a progress bar."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()


def import_command(
    vendors: Annotated[Path, typer.Argument(help="The vendor list: a CSV or XLSX file")],
    certificates: Annotated[
        Path | None, typer.Argument(help="A folder or a ZIP of certificate files")
    ] = None,
    org: Annotated[str, typer.Option(help="Organization slug or id")] = "",
    project: Annotated[
        str | None, typer.Option(help="Project id or name for vendors whose row names none")
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Job worker threads run here; 0: `coverwatch worker`s read")
    ] = 2,
    yes: Annotated[bool, typer.Option("--yes", help="Start tracking without asking")] = False,
    hold: Annotated[
        bool, typer.Option("--hold", help="Stop at the summary; start later from the dashboard")
    ] = False,
) -> None:
    """Import vendors and their certificates; nothing is emailed until you start tracking."""
    from coverwatch.db import get_engine, session_scope
    from coverwatch.imports import archives, service, start, tasks
    from coverwatch.imports.models import ImportRun
    from coverwatch.jobs import huey, load_tasks, make_consumer
    from coverwatch.migrate import upgrade
    from coverwatch.orgs.service import get_organization
    from coverwatch.settings import get_settings

    upgrade(engine=get_engine())
    load_tasks()
    limit = get_settings().max_upload_bytes
    with session_scope() as session:
        organization = get_organization(session, slug_or_id=org) if org else None
        if organization is None:
            raise typer.BadParameter("choose the organization with --org", param_hint="--org")
        project_id = _project_id(session, org_id=organization.id, text=project)
        folder = certificates is not None and certificates.is_dir()
        run = service.create_import(
            session,
            org_id=organization.id,
            actor="cli",
            sheet=vendors.read_bytes(),
            sheet_name=vendors.name,
            archive=certificates.read_bytes() if certificates and not folder else None,
            archive_name=certificates.name if certificates else "certificates.zip",
            project_id=project_id,
        )
        _show_mapping(run.headers, run.mapping)
        entries = (
            list(archives.folder_entries(certificates, max_entry_bytes=limit))
            if certificates is not None and folder
            else None
        )
        waiting = service.run_import(session, run=run, entries=entries)
        tasks.enqueue_reading(session, import_id=run.id, file_ids=waiting)
        import_id = run.id
    consumer = None
    if workers > 0 and not huey.immediate:
        consumer = make_consumer(workers=workers, periodic=False)
        consumer.start()
    try:
        _follow(import_id, until=("ready",), label="reading certificates")
        with session_scope() as session:
            ready = session.get(ImportRun, import_id)
            assert ready is not None
            _show_summary(ready.id, ready.summary)
            if hold or not (yes or typer.confirm("Start tracking (emails will go out)?")):
                console.print(
                    f"held: import {import_id} waits for 'Start tracking' in the dashboard"
                )
                return
            if start.confirm(session, run=ready, actor="cli"):
                tasks.enqueue_apply(session, import_id=ready.id)
        _follow(import_id, until=("tracking",), label="starting tracking")
        with session_scope() as session:
            done = session.get(ImportRun, import_id)
            assert done is not None
            result = done.summary.get("result", {})
        console.print(
            f"tracking: {result.get('created', 0)} vendors created, "
            f"{result.get('updated', 0)} updated, {result.get('unchanged', 0)} unchanged; "
            f"{result.get('certificates', 0)} certificates put on file"
        )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def _project_id(session: Any, *, org_id: int, text: str | None) -> int | None:
    from sqlalchemy import select

    from coverwatch.projects.models import Project

    if not text:
        return None
    statement = select(Project.id).where(Project.org_id == org_id)
    found = session.scalar(
        statement.where(Project.id == int(text))
        if text.isdigit()
        else statement.where(Project.name == text)
    )
    if found is None:
        raise typer.BadParameter(
            f"no project {text!r} in this organization", param_hint="--project"
        )
    return int(found)


def _follow(import_id: int, *, until: tuple[str, ...], label: str) -> None:
    """A progress bar over the import's files (or vendors) until it reaches a state."""
    from coverwatch.db import session_scope
    from coverwatch.imports import summary
    from coverwatch.imports.models import ImportRun

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(label, total=None)
        while True:
            with session_scope() as session:
                run = session.get(ImportRun, import_id)
                assert run is not None
                counts = summary.progress(session, run=run)
                state = run.state
            total = counts.get("total", 0)
            bar.update(task, total=total or 1, completed=total - counts.get("waiting", 0))
            if state in until:
                bar.update(task, completed=total or 1)
                return
            time.sleep(0.3)


def _show_mapping(headers: list[str], mapping: dict[str, int | None]) -> None:
    from coverwatch.imports.sheets import FIELD_LABELS

    used = {f"{FIELD_LABELS[f]} ← {headers[i]!r}" for f, i in mapping.items() if i is not None}
    console.print("columns: " + "; ".join(sorted(used)), soft_wrap=True)


def _show_summary(import_id: int, summary: dict[str, Any]) -> None:
    vendors, files, statuses = summary["vendors"], summary["files"], summary["statuses"]
    table = Table(title=f"import {import_id}: summary")
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value in (
        ("vendors created", vendors["create"]),
        ("vendors updated", vendors["update"]),
        ("vendors unchanged", vendors["unchanged"]),
        ("rows merged (same vendor)", vendors["merged_rows"]),
        ("files read", files["read"]),
        ("files that failed to read", files["failed"]),
        ("files skipped (not certificates, duplicates)", files["skipped"] + files["duplicate"]),
        ("matched", files["matched"]),
        ("unmatched (queue)", files["unmatched"]),
        ("compliant", statuses["compliant"]),
        ("deficient", statuses["deficient"]),
        ("needs review", statuses["needs_review"]),
        ("nothing on file (will be asked)", statuses["missing"]),
    ):
        table.add_row(label, str(value))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `coverwatch import` to the command."""
    app.command("import")(import_command)
