"""The sandbox's commitments: work order and purchase order contracts of a project."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from coverwatch.sandbox.state_directory import DirectoryPart
from coverwatch.sandbox.state_records import now

# The path segment of each kind, and the resource name its webhook events carry.
RESOURCES = {
    "work_order_contracts": "Work Order Contracts",
    "purchase_order_contracts": "Purchase Order Contracts",
}


class RangeError(ValueError):
    """A `filters[...]` range Procore would not understand."""


class CommitmentsPart(DirectoryPart):
    """Contracts kept per kind; each change emits the project-scope event Procore sends."""

    def contracts_of(self, kind: str) -> dict[str, dict[str, Any]]:
        if kind == "work_order_contracts":
            return self.data.work_order_contracts
        return self.data.purchase_order_contracts

    def add_commitment(
        self,
        kind: str,
        *,
        project_id: int,
        vendor_id: int | None,
        title: str,
        status: str = "Draft",
    ) -> dict[str, Any]:
        project = self.data.projects[str(project_id)]
        contracts = self.contracts_of(kind)
        contract_id = self.new_id()
        contract = {
            "id": contract_id,
            "project": {"id": project_id, "name": project["name"]},
            "title": title,
            "number": str(len(contracts) + 1),
            "status": status,
            "executed": False,
            "vendor": self._vendor_ref(vendor_id),
            "created_at": now(),
            "updated_at": now(),
            "deleted_at": None,
        }
        with self.lock:
            contracts[str(contract_id)] = contract
        self._emit_commitment(kind, "create", contract)
        self._maybe_join_directory(contract)
        return contract

    def update_commitment(
        self,
        kind: str,
        contract_id: int,
        changes: dict[str, Any],
        *,
        source_application_id: str | None = None,
    ) -> dict[str, Any] | None:
        with self.lock:
            contract = self.live_commitment(kind, contract_id)
            if contract is None:
                return None
            if "vendor_id" in changes:
                contract["vendor"] = self._vendor_ref(changes["vendor_id"])
            for key in ("status", "title", "executed"):
                if key in changes:
                    contract[key] = changes[key]
            contract["updated_at"] = now()
        self._emit_commitment(kind, "update", contract, source_application_id)
        self._maybe_join_directory(contract)
        return contract

    def delete_commitment(self, kind: str, contract_id: int) -> bool:
        with self.lock:
            contract = self.live_commitment(kind, contract_id)
            if contract is None:
                return False
            # Kept with `deleted_at`, as `filters[include_deleted]` can still list it.
            contract["deleted_at"] = contract["updated_at"] = now()
        self._emit_commitment(kind, "delete", contract)
        return True

    def live_commitment(self, kind: str, contract_id: int) -> dict[str, Any] | None:
        found = self.contracts_of(kind).get(str(contract_id))
        return found if found is not None and not found["deleted_at"] else None

    def list_commitments(
        self,
        kind: str,
        *,
        project_id: int,
        updated_at: str | None = None,
        include_deleted: str | None = None,
    ) -> list[dict[str, Any]]:
        """A project's contracts, filtered as Procore's list action filters them."""
        window = _range(updated_at) if updated_at else None
        found = []
        for contract in self.contracts_of(kind).values():
            if contract["project"]["id"] != project_id:
                continue
            deleted = bool(contract["deleted_at"])
            if (include_deleted is None and deleted) or (include_deleted == "only" and not deleted):
                continue
            if window and not window[0] <= _moment(contract["updated_at"]) <= window[1]:
                continue
            found.append(contract)
        return found

    def _vendor_ref(self, vendor_id: int | None) -> dict[str, Any] | None:
        if vendor_id is None:
            return None
        vendor = self.data.vendors[str(vendor_id)]
        return {"id": vendor["id"], "company": vendor["name"]}

    def _emit_commitment(
        self,
        kind: str,
        event_type: str,
        contract: dict[str, Any],
        source_application_id: str | None = None,
    ) -> None:
        project = self.data.projects[str(contract["project"]["id"])]
        self.emit(
            RESOURCES[kind],
            event_type,
            contract["id"],
            company_id=project["company"]["id"],
            project_id=project["id"],
            source_application_id=source_application_id,
        )

    def _maybe_join_directory(self, contract: dict[str, Any]) -> None:
        # Whether Procore does this by itself is not documented: a knob, tested both ways.
        if self.config.commitment_joins_directory and contract["vendor"]:
            self.add_vendor_to_project(contract["project"]["id"], contract["vendor"]["id"])


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _range(text: str) -> tuple[datetime, datetime]:
    """`A...B` with dates or ISO 8601 times (a date as the end means its whole day)."""
    start, sep, end = text.partition("...")
    if not sep:
        raise RangeError(f"not a range: {text!r}")
    try:
        low = _moment(start)
        high = _moment(end)
    except ValueError as exc:
        raise RangeError(str(exc)) from exc
    if len(end.strip()) == 10:
        high = datetime.combine(high.date(), time.max, tzinfo=UTC)
    return low, high
