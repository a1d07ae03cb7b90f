"""`coverwatch procore-sandbox`: the local fake Procore in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer

from coverwatch.commands import console


def procore_sandbox(
    port: Annotated[int, typer.Option()] = 8900,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """Run a local fake Procore (OAuth, REST, webhooks) for development and demos."""
    from coverwatch.sandbox.app import serve_sandbox

    console.print(f"Procore sandbox on http://{host}:{port} (admin page: /_admin)")
    console.print("OAuth client: sandbox-client / sandbox-secret")
    serve_sandbox(host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add this command to the `coverwatch` command."""
    app.command("procore-sandbox")(procore_sandbox)
