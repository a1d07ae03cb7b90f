"""The demo company mirrored in the local Procore sandbox, connected, its webhook installed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coverwatch.db import session_scope
from coverwatch.demo.company import ACTOR, HOLDER, ORG_SLUG, SANDBOX_SUBS
from coverwatch.orgs.models import Organization
from coverwatch.projects import service as projects

SANDBOX_COMPANY_ID = 5_400_001
SANDBOX_CLIENT = ("coverwatch-demo", "coverwatch-demo-secret", "coverwatch-demo-app")


def seed_procore(*, sandbox: Any, receiver_url: str) -> dict[str, Any]:
    """Mirror the demo company in the local Procore sandbox and connect it, hooks included.

    Subs that exist in Procore but are on no project yet wait on the sandbox's admin page:
    adding one to a project there starts tracking in coverwatch with no one else doing anything.
    """
    from coverwatch.procore import service as procore
    from coverwatch.procore.hooks import install_hooks
    from coverwatch.projects.models import Project

    state = sandbox.state
    client_id, secret, application_id = SANDBOX_CLIENT
    state.add_client(client_id, secret, application_id=application_id)
    state.add_company(name=HOLDER, company_id=SANDBOX_COMPANY_ID)
    with session_scope() as session:
        org = session.scalar(select(Organization).where(Organization.slug == ORG_SLUG))
        assert org is not None
        for project in session.scalars(
            select(Project).where(Project.org_id == org.id).order_by(Project.id)
        ):
            procore_id = 5_500_000 + project.id
            state.add_project(
                company_id=SANDBOX_COMPANY_ID, name=project.name, id=procore_id, state_code="CA"
            )
            projects.set_external_id(
                session,
                org_id=org.id,
                entity_type="project",
                entity_id=project.id,
                system="procore",
                external_id=str(procore_id),
            )
        for index, (name, _trade) in enumerate(SANDBOX_SUBS):
            slug = name.split()[0].lower()
            state.add_vendor(
                company_id=SANDBOX_COMPANY_ID,
                name=name,
                id=5_600_001 + index,
                email_address=f"office@{slug}.example",
                primary_contact={
                    "first_name": "Office",
                    "last_name": "Manager",
                    "email_address": f"office@{slug}.example",
                },
            )
        connection = procore.create_connection(
            session,
            org_id=org.id,
            environment="local",
            company_id=SANDBOX_COMPANY_ID,
            grant_type="client_credentials",
            client_id=client_id,
            client_secret=secret,
            api_base_url=sandbox.url,
            application_id=application_id,
            company_name=HOLDER,
            template_key="ground-up",
            # The demo's GC adds subs to a project's directory on the sandbox's page; its
            # directory holds subs only, so everyone there is one to track.
            tracking_rule={"mode": "directory"},
            actor=ACTOR,
        )
        connection_id = connection.id
    install_hooks(connection_id, destination_url=f"{receiver_url}/webhooks/procore")
    return {
        "admin_url": f"{sandbox.url}/_admin",
        "connection_id": connection_id,
        "company_id": SANDBOX_COMPANY_ID,
        # The ground-up project, where the demo's vendors show every status.
        "project_id": 5_500_002,
    }
