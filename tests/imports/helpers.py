"""Driving an import through the API, and counting what is on file and what was emailed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from coverwatch.certificates.models import Certificate
from coverwatch.compliance.models import Evaluation
from coverwatch.db import session_scope
from coverwatch.outreach.models import OutboundEmail, OutreachRequest
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact
from tests.imports.generator import Import
from tests.orgs.factories import Tenant


def upload(
    client: TestClient, tenant: Tenant, generated: Import, *, project_id: int, **fields: Any
) -> Any:
    """POST /imports with the generated list and ZIP."""
    return client.post(
        "/api/v1/imports",
        headers=tenant.headers("risk_manager"),
        files={
            "vendors": (generated.sheet_name, generated.sheet),
            "certificates": ("certificates.zip", generated.archive, "application/zip"),
        },
        data={"project_id": str(project_id), **{k: str(v) for k, v in fields.items()}},
    )


def on_file() -> dict[str, int]:
    """How many rows of each kind the organization has on file, and emails and requests."""
    with session_scope() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (
                Vendor,
                VendorContact,
                ProjectVendor,
                Certificate,
                Evaluation,
                OutreachRequest,
                OutboundEmail,
            )
        }


def emails_to(address: str) -> list[OutboundEmail]:
    """The emails written to one address."""
    with session_scope() as session:
        return list(
            session.scalars(select(OutboundEmail).where(OutboundEmail.to_address == address))
        )
