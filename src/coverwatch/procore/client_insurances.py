"""The Procore client's endpoints for vendor insurance records and commitment compliance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

# A commitment's kind → its path segment.
_CONTRACTS = {"work_order": "work_order_contracts", "purchase_order": "purchase_order_contracts"}


class InsuranceEndpoints:
    """Part of `ProcoreClient`: insurance records (sync and lists) and commitment compliance."""

    company_id: int | None
    if TYPE_CHECKING:  # given by ProcoreClient

        def request(
            self,
            method: str,
            path: str,
            *,
            params: dict[str, Any] | None = None,
            json: Any = None,
            idempotent: bool | None = None,
        ) -> httpx.Response: ...

        def get(self, path: str, **params: Any) -> Any: ...

        def paginate(
            self, path: str, params: dict[str, Any] | None = None, *, per_page: int = 100
        ) -> Iterator[dict[str, Any]]: ...

    def sync_insurances(
        self, *, records: list[dict[str, Any]], project_id: int | None, vendor_id: int
    ) -> dict[str, Any]:
        """Upsert insurance records by `origin_id` (project level, or company level)."""
        if project_id is not None:
            path = f"/rest/v1.0/projects/{project_id}/vendors/{vendor_id}/insurances/sync"
        else:
            path = f"/rest/v1.0/companies/{self.company_id}/vendors/{vendor_id}/insurances/sync"
        # Sync actions always answer 200, with per-record failures in `errors`; they upsert by
        # `origin_id`, so sending one again changes nothing more.
        body = {"updates": records}
        return dict(self.request("PATCH", path, json=body, idempotent=True).json())

    def insurances(self, *, project_id: int | None, vendor_id: int) -> list[dict[str, Any]]:
        """A vendor's insurance records, at project or company level."""
        if project_id is not None:
            path = f"/rest/v1.0/projects/{project_id}/vendors/{vendor_id}/insurances"
        else:
            path = f"/rest/v1.0/companies/{self.company_id}/vendors/{vendor_id}/insurances"
        return list(self.paginate(path))

    def project_insurance_list(self, project_id: int) -> Iterator[dict[str, Any]]:
        """Every vendor's project-level insurance records on a project (each has `vendor_id`)."""
        return self.paginate(f"/rest/v1.0/projects/{project_id}/insurances")

    def company_insurance_list(self) -> Iterator[dict[str, Any]]:
        """Every vendor's company-level insurance records (each has `vendor_id`)."""
        return self.paginate(f"/rest/v1.0/companies/{self.company_id}/insurances")

    def commitment_compliance(
        self, *, kind: str, contract_id: int, project_id: int
    ) -> dict[str, Any]:
        """A commitment's compliance, with Procore's `derived_insurance_status`."""
        path = f"/rest/v1.0/projects/{project_id}/{_CONTRACTS[kind]}/{contract_id}/compliance"
        return dict(self.get(path))

    def update_commitment_compliance(
        self, *, kind: str, contract_id: int, project_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Set a commitment's insurance status and notes (work order or purchase order)."""
        path = f"/rest/v1.0/projects/{project_id}/{_CONTRACTS[kind]}/{contract_id}/compliance"
        # Sets the same values each time: safe to repeat.
        return dict(self.request("PATCH", path, json=body, idempotent=True).json())
