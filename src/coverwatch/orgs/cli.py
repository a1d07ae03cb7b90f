"""`coverwatch org`, `user` and `api-key`: organizations, their users and API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from coverwatch.commands import console, migrate

org_app = typer.Typer(help="Organizations (tenants).", no_args_is_help=True)
user_app = typer.Typer(help="Users of an organization.", no_args_is_help=True)
key_app = typer.Typer(help="API keys.", no_args_is_help=True)


@org_app.command("create")
def org_create(name: str, slug: Annotated[str | None, typer.Option()] = None) -> None:
    """Create an organization with copies of the built-in requirement templates."""
    from coverwatch.db import session_scope
    from coverwatch.orgs import service

    migrate()
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

    migrate()
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

    migrate()
    with session_scope() as session:
        organization = service.get_organization(session, slug_or_id=org)
        user = service.get_user(session, org_id=organization.id, email=email)
        _key, token = service.create_api_key(session, user=user, name=name)
    print(token)


def register(app: typer.Typer) -> None:
    """Add these command groups to the `coverwatch` command."""
    app.add_typer(org_app, name="org")
    app.add_typer(user_app, name="user")
    app.add_typer(key_app, name="api-key")
