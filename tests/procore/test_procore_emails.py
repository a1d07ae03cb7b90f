"""Procore's own daily expiry emails stay off on the records we write, unless the GC keeps them."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from coverwatch.cli import app
from coverwatch.db import session_scope
from coverwatch.procore.models import ProcoreConnection
from tests.orgs.factories import Tenant
from tests.procore.conftest import Linked
from tests.procore.factories import CLIENT_ID, CLIENT_SECRET, SandboxAdmin, procore_emails
from tests.procore.test_writeback import _file_certificate, _onboard


def _general_liability(linked: Linked) -> dict:
    return next(r for r in linked.admin.insurances() if r["insurance_type"] == "General Liability")


def test_procore_sends_no_expiry_emails_beside_ours(linked: Linked, client: TestClient) -> None:
    _project, _vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor, expires_in_days=10)
    gl = _general_liability(linked)
    assert gl["enable_expired_insurance_notifications"] is False
    expires = date.fromisoformat(gl["expiration_date"])
    for day in (expires - timedelta(days=14), expires, expires + timedelta(days=60)):
        assert procore_emails(linked.admin, on=day) == []


def test_a_gc_who_keeps_procore_emails_gets_them(linked: Linked, client: TestClient) -> None:
    with session_scope() as session:
        connection = session.get(ProcoreConnection, linked.connection_id)
        assert connection is not None
        connection.keep_procore_notifications = True
    _project, vendor, project_vendor = _onboard(linked)
    _file_certificate(linked, client, project_vendor, expires_in_days=10)
    gl = _general_liability(linked)
    expires = date.fromisoformat(gl["expiration_date"])
    [email] = [e for e in procore_emails(linked.admin, on=expires) if e["insurance_id"] == gl["id"]]
    assert email["vendor_id"] == vendor["id"]
    assert "dana@acmeroofing.example" in email["vendor_recipients"]
    # The window: two weeks before the expiration date to 60 days after, and no longer.
    assert procore_emails(linked.admin, on=expires - timedelta(days=15)) == []
    assert procore_emails(linked.admin, on=expires + timedelta(days=61)) == []


def test_connect_can_keep_procore_emails(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    company = sandbox.company()
    result = CliRunner().invoke(
        app,
        [
            "procore", "connect", "--org", tenant.slug, "--company-id", str(company["id"]),
            "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--environment", "local",
            "--api-url", sandbox.url, "--service-account", "--keep-procore-notifications",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with session_scope() as session:
        connection = session.scalars(select(ProcoreConnection)).one()
        assert connection.keep_procore_notifications is True
