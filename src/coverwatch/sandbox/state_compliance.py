"""The sandbox's commitment compliance: the status a GC (or an app) sets on a contract, and the
status Procore derives from the vendor's insurance records.
"""

from __future__ import annotations

from typing import Any

from coverwatch.sandbox.state_insurances import InsurancesPart
from coverwatch.sandbox.state_records import now

COMPLIANCE_STATUSES = ("compliant", "not_compliant", "not_required")
COMPLIANCE_FIELDS = ("compliance_status", "compliance_notes", "insurance_status", "insurance_notes")
# Where each kind of commitment is kept (purchase order contracts come with the commitments).
CONTRACT_STORES = {
    "work_order": "work_order_contracts",
    "purchase_order": "purchase_order_contracts",
}


class CompliancePart(InsurancesPart):
    """Compliance of work order and purchase order contracts."""

    def contract(self, kind: str, contract_id: int, *, project_id: int) -> dict[str, Any] | None:
        store: dict[str, dict[str, Any]] = getattr(self.data, CONTRACT_STORES[kind], {})
        found = store.get(str(contract_id))
        if found is None or found["project"]["id"] != project_id:
            return None
        return found

    def compliance_of(self, kind: str, contract: dict[str, Any]) -> dict[str, Any]:
        """The contract's compliance as Procore shows it, derived status included."""
        with self.lock:
            saved = dict(self.data.contract_compliance.get(f"{kind}:{contract['id']}", {}))
            vendor_id = (contract.get("vendor") or {}).get("id")
            project_id = contract["project"]["id"]
            documents = [
                _document(r)
                for r in self.data.insurances.values()
                if vendor_id is not None
                and r["vendor_id"] == vendor_id
                and r.get("project_id") in (project_id, None)
            ]
        return {
            "updated_at": saved.get("updated_at"),
            "updated_by_id": saved.get("updated_by_id"),
            **{field: saved.get(field) for field in COMPLIANCE_FIELDS},
            "derived_insurance_status": derived_status(documents),
            "insurance_documents": documents,
            "derived_compliance_status": None,
            "compliance_documents": [],
            "insurance_requirements_not_created": [],
            "compliance_requirements_not_created": [],
        }

    def update_compliance(
        self, kind: str, contract: dict[str, Any], body: dict[str, Any]
    ) -> dict[str, list[str]]:
        """Set the fields given; returns the errors (none when it was accepted)."""
        errors: dict[str, list[str]] = {
            field: [f"must be one of {', '.join(COMPLIANCE_STATUSES)}"]
            for field in ("compliance_status", "insurance_status")
            if field in body and body[field] not in COMPLIANCE_STATUSES
        }
        if errors:
            return errors
        with self.lock:
            saved = self.data.contract_compliance.setdefault(f"{kind}:{contract['id']}", {})
            saved.update({k: v for k, v in body.items() if k in COMPLIANCE_FIELDS})
            saved["updated_at"], saved["updated_by_id"] = now(), 9001
        return {}


def derived_status(documents: list[dict[str, Any]]) -> str | None:
    """All documents compliant: compliant; any not: not_compliant; none: no derived status."""
    if not documents:
        return None
    if all(d["status"] == "compliant" or d["exempt"] for d in documents):
        return "compliant"
    return "not_compliant"


def _document(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record.get("insurance_provider"),
        "insurance_type": record.get("insurance_type"),
        "level": "project" if record.get("project_id") else "company",
        "status": record.get("status"),
        "exempt": bool(record.get("exempt")),
        "effective_at": record.get("effective_date"),
        "expires_at": record.get("expiration_date"),
        "attachments": [],
    }
