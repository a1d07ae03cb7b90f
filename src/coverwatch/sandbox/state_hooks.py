"""The sandbox's webhook events: matched to hooks and triggers on every change, queued for
`SandboxDelivery`, and the body Procore POSTs for each payload version.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any

from coverwatch.sandbox.state_records import StatePart

# What each scope offers to triggers (GET /webhooks/resources): a hook and its triggers must be
# in the same scope, and these resources exist in only one of them. `update` of Project Vendors
# is gone since the fan-out change (Company Vendors `update` replaces it).
COMPANY_RESOURCES: dict[str, tuple[str, ...]] = {
    "Company Vendors": ("create", "update", "delete"),
    "Company Insurances": ("create", "update", "delete"),
    "Projects": ("create", "update", "delete"),
}
PROJECT_RESOURCES: dict[str, tuple[str, ...]] = {
    "Project Vendors": ("create", "delete"),
    "Project Insurances": ("create", "update", "delete"),
    "Work Order Contracts": ("create", "update", "delete"),
    "Purchase Order Contracts": ("create", "update", "delete"),
}


def resources_of(hook: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The resources a hook's scope offers."""
    return PROJECT_RESOURCES if hook.get("owned_by_project_id") else COMPANY_RESOURCES


# Crockford base 32, as ULIDs use.
_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid() -> str:
    """A 26-character ULID: 48 bits of milliseconds, 80 random bits."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_ULID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(26)))


class HooksPart(StatePart):
    """Events for the hooks whose scope and triggers match; the deliveries made."""

    outbox: list[dict[str, Any]]  # events waiting for the delivery thread
    wakeup: threading.Condition

    def emit(
        self,
        resource_name: str,
        event_type: str,
        resource_id: int,
        *,
        company_id: int,
        project_id: int | None = None,
        source_application_id: str | None = None,
    ) -> None:
        """Queue a delivery to every hook whose scope and triggers match the change."""
        event = {
            "id": self.new_id(),
            "ulid": new_ulid(),
            "timestamp": datetime.now(UTC).isoformat(timespec="microseconds"),
            "resource_name": resource_name,
            "event_type": event_type,
            "resource_id": resource_id,
            "company_id": company_id,
            "project_id": project_id,
            "user_id": 9001,
            "metadata": {
                "source_user_id": 9001,
                "source_project_id": project_id,
                "source_operation_id": None,
                "source_company_id": company_id,
                "source_application_id": source_application_id,
            },
        }
        with self.lock:
            for hook in self.data.hooks.values():
                if hook.get("owned_by_project_id"):
                    in_scope = project_id is not None and hook["owned_by_project_id"] == project_id
                else:
                    in_scope = hook.get("owned_by_company_id") == company_id
                if not in_scope or resource_name not in resources_of(hook):
                    continue
                wanted = any(
                    t["webhook_hook_id"] == hook["id"]
                    and t["resource_name"] == resource_name
                    and t["event_type"] == event_type
                    for t in self.data.triggers.values()
                )
                if wanted:
                    self.outbox.append({"hook_id": hook["id"], "event": event})
            self.wakeup.notify_all()
        self.save()

    def queue_raw(self, hook_id: int, body: str) -> None:
        """Queue a body sent as is (a garbled delivery, as a fault upstream of us would send)."""
        with self.lock:
            self.outbox.append({"hook_id": hook_id, "event": {"id": self.new_id(), "raw": body}})
            self.wakeup.notify_all()

    def record_delivery(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.data.deliveries.append(record)


def payload_for(event: dict[str, Any], api_version: str) -> dict[str, Any]:
    """The body Procore POSTs for `event`, in the hook's payload format."""
    version = api_version.lstrip("v").split(".")[0]
    if version == "4":
        # v4: ids are strings, event_type is `reason`, resource_name is `resource_type`.
        return {
            "id": event["ulid"],
            "timestamp": event["timestamp"],
            "reason": event["event_type"],
            "company_id": str(event["company_id"]),
            "project_id": None if event["project_id"] is None else str(event["project_id"]),
            "user_id": str(event["user_id"]),
            "resource_type": event["resource_name"],
            "resource_id": str(event["resource_id"]),
        }
    body = {
        "id": event["id"],
        "ulid": event["ulid"],
        "timestamp": event["timestamp"],
        "metadata": event["metadata"],
        "user_id": event["user_id"],
        "company_id": event["company_id"],
        "project_id": event["project_id"],
        "api_version": f"v{version}.0",
        "event_type": event["event_type"],
        "resource_name": event["resource_name"],
        "resource_id": event["resource_id"],
    }
    if version == "3":
        body["related_resources"] = []
    return body
