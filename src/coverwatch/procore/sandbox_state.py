"""The local Procore sandbox's memory: companies, projects, vendors, insurances, hooks, events.

Everything lives in plain dicts behind one lock, so the state can be dumped to (and loaded
from) a JSON file and inspected by tests. Changes made as a GC would (admin API) or through the
REST API emit webhook events, which `SandboxDelivery` sends with Procore's semantics.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Crockford base 32, as ULIDs use.
_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_LIFETIME = 5400


def new_ulid() -> str:
    """A 26-character ULID: 48 bits of milliseconds, 80 random bits."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_ULID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(26)))


@dataclass
class SandboxConfig:
    """Knobs of the fake: limits, injected faults, webhook delivery behaviour."""

    rate_limit: int = 3600
    rate_window: float = 3600.0
    fail_429_rate: float = 0.0
    fail_500_rate: float = 0.0
    fault_retry_after: int = 1
    slow_rate: float = 0.0
    slow_seconds: float = 0.0
    # A lost answer: the next `late_answers` writes (not GETs) whose path contains `late_path`
    # take effect at once, but are answered only `late_seconds` later (past a client's timeout).
    late_answers: int = 0
    late_seconds: float = 0.0
    late_path: str = ""
    duplicate_rate: float = 0.0
    shuffle: bool = False
    retry_base: float = 1.0
    retry_cap: float = 3600.0
    discard_after: float = 12 * 3600.0
    delivery_timeout: float = 5.0
    # Seeds the fault and delivery-order dice, so a test sees the same faults on every run.
    seed: int | None = None


@dataclass
class SandboxStats:
    """What happened, for tests and the admin page."""

    requests: int = 0
    over_limit: int = 0
    injected_429: int = 0
    injected_500: int = 0
    slow: int = 0
    late: int = 0
    deliveries_sent: int = 0
    deliveries_failed: int = 0
    duplicates_sent: int = 0


@dataclass
class SandboxData:
    """Every record of the fake Procore, in JSON-friendly shapes."""

    next_id: int = 1000
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    vendors: dict[str, dict[str, Any]] = field(default_factory=dict)
    project_vendors: dict[str, list[int]] = field(default_factory=dict)
    work_order_contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    insurances: dict[str, dict[str, Any]] = field(default_factory=dict)
    hooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(default_factory=list)


class SandboxState:
    """The sandbox's data, its configuration, and the hand-off of events to delivery."""

    def __init__(self, *, state_file: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.config = SandboxConfig()
        self.rng = random.Random()
        self.stats = SandboxStats()
        self.data = SandboxData()
        self.state_file = state_file
        self.outbox: list[dict[str, Any]] = []  # events waiting for the delivery thread
        self.wakeup = threading.Condition(self.lock)
        self._windows: dict[str, tuple[float, int]] = {}
        if state_file and state_file.exists():
            self.data = SandboxData(**json.loads(state_file.read_text()))
        self.add_client("sandbox-client", "sandbox-secret", application_id="sandbox-app")

    # -- bookkeeping ----------------------------------------------------------------------

    def new_id(self) -> int:
        with self.lock:
            self.data.next_id += 1
            return self.data.next_id

    def save(self) -> None:
        """Write the data to the state file, if there is one."""
        if self.state_file:
            with self.lock:
                text = json.dumps(asdict(self.data), default=str)
            self.state_file.write_text(text)

    def reset(self) -> None:
        """Forget everything but the clients; back to the default configuration."""
        with self.lock:
            clients = self.data.clients
            self.data = SandboxData(clients=clients)
            self.config = SandboxConfig()
            self.stats = SandboxStats()
            self.outbox.clear()
            self._windows.clear()
        self.save()

    # -- OAuth ----------------------------------------------------------------------------

    def add_client(self, client_id: str, secret: str, *, application_id: str) -> None:
        with self.lock:
            self.data.clients[client_id] = {"secret": secret, "application_id": application_id}

    def client_ok(self, client_id: str, secret: str) -> bool:
        client = self.data.clients.get(client_id)
        return client is not None and secrets.compare_digest(client["secret"], secret)

    def issue_code(self, client_id: str) -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.data.codes[code] = client_id
        return code

    def take_code(self, code: str) -> str | None:
        with self.lock:
            return self.data.codes.pop(code, None)

    def issue_tokens(self, client_id: str, *, refresh: bool) -> dict[str, Any]:
        access = secrets.token_urlsafe(24)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": TOKEN_LIFETIME,
            "created_at": int(time.time()),
        }
        with self.lock:
            self.data.access_tokens[access] = {
                "client_id": client_id,
                "expires_at": time.time() + TOKEN_LIFETIME,
            }
            if refresh:
                token = secrets.token_urlsafe(24)
                self.data.refresh_tokens[token] = client_id
                body["refresh_token"] = token
        return body

    def rotate_refresh(self, token: str) -> str | None:
        """The client of a refresh token, which dies now (Procore rotates on every use)."""
        with self.lock:
            return self.data.refresh_tokens.pop(token, None)

    def token_client(self, token: str) -> dict[str, Any] | None:
        info = self.data.access_tokens.get(token)
        if info is None or info["expires_at"] < time.time():
            return None
        return {**info, **self.data.clients.get(info["client_id"], {})}

    def expire_tokens(self) -> None:
        """Make every access token expired (to exercise refresh)."""
        with self.lock:
            for info in self.data.access_tokens.values():
                info["expires_at"] = 0

    # -- rate limits ----------------------------------------------------------------------

    def count_request(self, bucket: str) -> tuple[int, int, int, bool]:
        """Count one request: (limit, remaining, reset, over the limit?) in a fixed window."""
        with self.lock:
            now = time.time()
            window = self.config.rate_window
            start = now - (now % window)
            current, count = self._windows.get(bucket, (start, 0))
            if current != start:
                current, count = start, 0
            count += 1
            self._windows[bucket] = (current, count)
            limit = self.config.rate_limit
            reset = int(-(-(current + window) // 1))  # ceil: never earlier than the real reset
            over = count > limit
            self.stats.requests += 1
            if over:
                self.stats.over_limit += 1
            return limit, max(limit - count, 0), reset, over

    # -- directory ------------------------------------------------------------------------

    def add_company(self, *, name: str, company_id: int | None = None) -> dict[str, Any]:
        company_id = company_id or self.new_id()
        company = {"id": company_id, "name": name, "is_active": True}
        with self.lock:
            self.data.companies[str(company_id)] = company
        return company

    def add_project(self, *, company_id: int, name: str, **fields: Any) -> dict[str, Any]:
        project_id = int(fields.pop("id", 0)) or self.new_id()
        company = self.data.companies[str(company_id)]
        project = {
            "id": project_id,
            "name": name,
            "display_name": name,
            "project_number": fields.get("project_number"),
            "address": fields.get("address"),
            "city": fields.get("city"),
            "state_code": fields.get("state_code"),
            "zip": fields.get("zip"),
            "start_date": fields.get("start_date"),
            "completion_date": fields.get("completion_date"),
            "active": True,
            "company": {"id": company["id"], "name": company["name"]},
            "created_at": _now(),
            "updated_at": _now(),
        }
        with self.lock:
            self.data.projects[str(project_id)] = project
            self.data.project_vendors.setdefault(str(project_id), [])
        self.emit("Projects", "create", project_id, company_id=company_id, project_id=None)
        return project

    def add_vendor(self, *, company_id: int, name: str, **fields: Any) -> dict[str, Any]:
        vendor_id = int(fields.pop("id", 0)) or self.new_id()
        contact = fields.get("primary_contact")
        vendor = {
            "id": vendor_id,
            "company_id": company_id,
            "name": name,
            "legal_name": fields.get("legal_name") or name,
            "abbreviated_name": fields.get("abbreviated_name"),
            "trade_name": fields.get("trade_name"),
            "email_address": fields.get("email_address"),
            "business_phone": fields.get("business_phone"),
            "address": fields.get("address"),
            "city": fields.get("city"),
            "state_code": fields.get("state_code"),
            "zip": fields.get("zip"),
            "is_active": True,
            "origin_id": fields.get("origin_id"),
            "primary_contact": _contact(contact) if contact else None,
            "created_at": _now(),
            "updated_at": _now(),
        }
        with self.lock:
            self.data.vendors[str(vendor_id)] = vendor
        if fields.get("quiet") is not True:
            self.emit("Company Vendors", "create", vendor_id, company_id=company_id)
        return vendor

    def update_vendor(
        self, vendor_id: int, changes: dict[str, Any], *, source_application_id: str | None = None
    ) -> dict[str, Any]:
        with self.lock:
            vendor = self.data.vendors[str(vendor_id)]
            for key, value in changes.items():
                if key == "primary_contact":
                    vendor[key] = _contact(value) if value else None
                elif key in vendor and key not in ("id", "company_id"):
                    vendor[key] = value
            vendor["updated_at"] = _now()
        self.emit(
            "Company Vendors",
            "update",
            vendor_id,
            company_id=vendor["company_id"],
            source_application_id=source_application_id,
        )
        return vendor

    def project_vendor_ids(self, project_id: int) -> list[int]:
        return list(self.data.project_vendors.get(str(project_id), []))

    def add_vendor_to_project(
        self,
        project_id: int,
        vendor_id: int,
        *,
        quiet: bool = False,
        source_application_id: str | None = None,
    ) -> dict[str, Any]:
        project = self.data.projects[str(project_id)]
        vendor = self.data.vendors[str(vendor_id)]
        with self.lock:
            on_project = self.data.project_vendors.setdefault(str(project_id), [])
            added = vendor_id not in on_project
            if added:
                on_project.append(vendor_id)
        if added and not quiet:
            self.emit(
                "Project Vendors",
                "create",
                vendor_id,
                company_id=project["company"]["id"],
                project_id=project_id,
                source_application_id=source_application_id,
            )
        return vendor

    def remove_vendor_from_project(self, project_id: int, vendor_id: int) -> bool:
        project = self.data.projects[str(project_id)]
        with self.lock:
            on_project = self.data.project_vendors.setdefault(str(project_id), [])
            removed = vendor_id in on_project
            if removed:
                on_project.remove(vendor_id)
        if removed:
            self.emit(
                "Project Vendors",
                "delete",
                vendor_id,
                company_id=project["company"]["id"],
                project_id=project_id,
            )
        return removed

    def add_work_order_contract(
        self, *, project_id: int, vendor_id: int, title: str
    ) -> dict[str, Any]:
        project = self.data.projects[str(project_id)]
        vendor = self.data.vendors[str(vendor_id)]
        contract_id = self.new_id()
        contract = {
            "id": contract_id,
            "project": {"id": project_id, "name": project["name"]},
            "title": title,
            "number": str(len(self.data.work_order_contracts) + 1),
            "status": "Draft",
            "executed": False,
            "vendor": {"id": vendor_id, "name": vendor["name"]},
            "created_at": _now(),
            "updated_at": _now(),
        }
        with self.lock:
            self.data.work_order_contracts[str(contract_id)] = contract
        self.emit(
            "Work Order Contracts",
            "create",
            contract_id,
            company_id=project["company"]["id"],
            project_id=project_id,
        )
        return contract

    def sync_insurances(
        self,
        *,
        company_id: int,
        vendor_id: int,
        project_id: int | None,
        updates: list[dict[str, Any]],
        source_application_id: str | None,
    ) -> dict[str, Any]:
        """Procore's sync action: match by id or origin_id, create when nothing matches."""
        entities: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for update in updates:
            if not update.get("id") and not update.get("origin_id"):
                errors.append({"errors": {"origin_id": ["id or origin_id is required"]}})
                continue
            status = update.get("status")
            if status is not None and status not in INSURANCE_STATUSES:
                errors.append(
                    {"origin_id": update.get("origin_id"), "errors": {"status": [status]}}
                )
                continue
            with self.lock:
                record = self._find_insurance(update, company_id=company_id)
                created = record is None
                if record is None:
                    record = {
                        "id": self.new_id(),
                        "vendor_id": vendor_id,
                        "project_id": project_id,
                        "company_id": company_id,
                        "enable_expired_insurance_notifications": True,
                    }
                    self.data.insurances[str(record["id"])] = record
                for key, value in update.items():
                    if key == "name":
                        record["insurance_provider"] = value  # `name` on write, this on read
                    elif key != "id":
                        record[key] = value
                record["updated_at"] = _now()
                entities.append(dict(record))
            self.emit(
                "Project Insurances" if project_id else "Company Insurances",
                "create" if created else "update",
                record["id"],
                company_id=company_id,
                project_id=project_id,
                source_application_id=source_application_id,
            )
        return {"entities": entities, "errors": errors}

    def insurances_of(self, *, vendor_id: int, project_id: int | None) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.data.insurances.values()
            if r["vendor_id"] == vendor_id and r.get("project_id") == project_id
        ]

    def _find_insurance(self, update: dict[str, Any], *, company_id: int) -> dict[str, Any] | None:
        if update.get("id"):
            return self.data.insurances.get(str(update["id"]))
        for record in self.data.insurances.values():
            # origin_id is unique within a company.
            if record["company_id"] == company_id and record.get("origin_id") == update.get(
                "origin_id"
            ):
                return record
        return None

    # -- webhooks -------------------------------------------------------------------------

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
                in_scope = hook.get("owned_by_company_id") == company_id or (
                    project_id is not None and hook.get("owned_by_project_id") == project_id
                )
                if not in_scope:
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

    def record_delivery(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.data.deliveries.append(record)


INSURANCE_STATUSES = (
    "compliant",
    "compliant_in_progress",
    "expired",
    "non_compliant",
    "non_compliant_in_progress",
    "undecided",
    "unregistered",
)


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


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": contact.get("id") or secrets.randbelow(10**6),
        "first_name": contact.get("first_name"),
        "last_name": contact.get("last_name"),
        "email_address": contact.get("email_address"),
        "business_phone": contact.get("business_phone"),
        "mobile_phone": contact.get("mobile_phone"),
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
