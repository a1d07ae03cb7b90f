"""`coverwatch status` and `coverwatch sweep`: every vendor's status, now or as of a day."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from coverwatch.commands import STATUS_STYLE, console, fail, migrate, parse_date, run_logging


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

    migrate()
    day = parse_date(as_of) if as_of else None
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


def sweep() -> None:
    """Re-evaluate every tracked vendor now (what the daily job does)."""
    from coverwatch.compliance.tasks import sweep as run_sweep

    run_logging()
    migrate()
    console.print(f"evaluated {run_sweep()} project vendors")


def register(app: typer.Typer) -> None:
    """Add these commands to the `coverwatch` command."""
    app.command("status")(status)
    app.command("sweep")(sweep)
