"""The sandbox's vendor insurances: Procore's sync action (match by id or origin_id) and lists."""

from __future__ import annotations

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
