"""Fixtures of the import tests: a project to import onto, at a known business hour."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from coverwatch import clock
from tests.orgs.factories import Tenant
from tests.outreach.factories import TUESDAY_MORNING, add_project


@pytest.fixture
def project_id(client: TestClient, tenant: Tenant) -> int:
    """A ground-up project, on a Tuesday morning (emails go out in business hours)."""
    clock.travel(at=TUESDAY_MORNING)
    return add_project(client, tenant)
