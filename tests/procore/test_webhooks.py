"""Payload formats v2 to v4 read into one event shape."""

from __future__ import annotations

import pytest

from coverwatch.errors import InvalidInput
from coverwatch.procore.webhooks import parse_event
from tests.procore.test_routes import fixture


def test_v2_payload() -> None:
    event = parse_event(fixture("project_vendors_create"))
    assert (event.key, event.resource_name, event.event_type) == (
        "01JQ8Z6W3K9T2X4M5N6P7R8S9V",
        "Project Vendors",
        "create",
    )
    assert (event.company_id, event.project_id, event.resource_id) == (8089, 5123, 31001)
    assert event.format == "v2"


def test_v3_payload() -> None:
    event = parse_event(fixture("project_vendors_delete__v3"))
    assert event.format == "v3" and event.event_type == "delete"


def test_v4_payload_has_string_ids_reason_and_resource_type() -> None:
    event = parse_event(fixture("company_vendors_update__v4"))
    assert event.key == "01JQ9A1B2C3D4E5F6G7H8J9K0M"
    assert (event.resource_name, event.event_type) == ("Company Vendors", "update")
    assert (event.company_id, event.project_id, event.resource_id) == (8089, None, 31001)
    assert event.format == "v4" and event.source_application_id is None


def test_our_own_application_is_named() -> None:
    assert parse_event(fixture("project_insurances_create__our_write")).source_application_id == (
        "sandbox-app"
    )


@pytest.mark.parametrize(
    "payload",
    [[], {"company_id": 1}, {"ulid": "x", "resource_name": "RFIs", "event_type": "create"}],
)
def test_malformed_payloads_are_refused(payload: object) -> None:
    with pytest.raises(InvalidInput):
        parse_event(payload)
