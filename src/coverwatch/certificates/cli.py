"""`coverwatch parse` and `coverwatch check`: read a certificate; evaluate it, no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from coverwatch.commands import STATUS_STYLE, console, fail, parse_date, read_certificate


def parse(
    file: Annotated[Path, typer.Argument(help="A PDF (fillable, flattened, scanned) or image")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the certificate JSON")] = False,
) -> None:
    """Read an ACORD 25 certificate and print what was read."""
    data = read_certificate(file)
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

    certificate = read_certificate(file)
    try:
        spec = load_template(template)
    except ValueError as exc:
        fail(str(exc))
    day = parse_date(as_of) if as_of else clock.today()
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


def register(app: typer.Typer) -> None:
    """Add these commands to the `coverwatch` command."""
    app.command("parse")(parse)
    app.command("check")(check)
