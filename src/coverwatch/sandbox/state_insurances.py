"""The sandbox's vendor insurances: Procore's sync action (match by id or origin_id) and lists."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from coverwatch.sandbox.state_hooks import HooksPart
from coverwatch.sandbox.state_records import now

INSURANCE_STATUSES = (
    "compliant",
    "compliant_in_progress",
    "expired",
    "non_compliant",
    "non_compliant_in_progress",
    "undecided",
    "unregistered",
)
# Procore's daily expiry emails run from two weeks before a record expires to 60 days after.
NOTIFY_BEFORE = timedelta(days=14)
NOTIFY_AFTER = timedelta(days=60)


class InsurancesPart(HooksPart):
    """Insurance records of vendors, per project or company-wide."""

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
                record["updated_at"] = now()
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

    def key_insurance(
        self, *, vendor_id: int, project_id: int | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """A record typed into Procore by a person: no origin_id, no application behind it."""
        vendor = self.data.vendors[str(vendor_id)]
        record = {
            "id": self.new_id(),
            "vendor_id": vendor_id,
            "project_id": project_id,
            "company_id": vendor["company_id"],
            "enable_expired_insurance_notifications": True,
            "origin_id": None,
        }
        with self.lock:
            record.update(_as_stored(fields))
            record["updated_at"] = now()
            self.data.insurances[str(record["id"])] = record
        self._emit_insurance(record, "create")
        return dict(record)

    def edit_insurance(self, insurance_id: int, fields: dict[str, Any]) -> dict[str, Any] | None:
        """A person changes a record in Procore's directory (whoever wrote it first)."""
        with self.lock:
            record = self.data.insurances.get(str(insurance_id))
            if record is None:
                return None
            record.update(_as_stored(fields))
            record["updated_at"] = now()
        self._emit_insurance(record, "update")
        return dict(record)

    def notifications_on(self, day: date) -> list[dict[str, Any]]:
        """The expiry emails Procore itself sends on `day`, one per record with the flag on."""
        sent = []
        with self.lock:
            for record in self.data.insurances.values():
                expires = record.get("expiration_date")
                if not expires or not record.get("enable_expired_insurance_notifications", True):
                    continue
                expiration = date.fromisoformat(str(expires)[:10])
                if not expiration - NOTIFY_BEFORE <= day <= expiration + NOTIFY_AFTER:
                    continue
                vendor = self.data.vendors.get(str(record["vendor_id"])) or {}
                contact = vendor.get("primary_contact") or {}
                recipients = [vendor.get("email_address"), contact.get("email_address")]
                sent.append(
                    {
                        "insurance_id": record["id"],
                        "insurance_type": record.get("insurance_type"),
                        "expiration_date": expiration.isoformat(),
                        "vendor_id": record["vendor_id"],
                        "project_id": record.get("project_id"),
                        "vendor_recipients": sorted({r for r in recipients if r}),
                        # The sandbox has no users: Procore copies the company's Insurance
                        # Managers, whoever they are.
                        "also_to": "the company's insurance managers",
                    }
                )
        return sent

    def _emit_insurance(self, record: dict[str, Any], event_type: str) -> None:
        self.emit(
            "Project Insurances" if record.get("project_id") else "Company Insurances",
            event_type,
            record["id"],
            company_id=record["company_id"],
            project_id=record.get("project_id"),
            source_application_id=None,
        )

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


def _as_stored(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as Procore keeps them: `name` (the provider) reads back as `insurance_provider`."""
    stored = {k: v for k, v in fields.items() if k not in ("id", "vendor_id", "company_id")}
    if "name" in stored:
        stored["insurance_provider"] = stored.pop("name")
    return stored
