"""The sandbox's directory: companies, projects, vendors, project directories, contracts."""

from __future__ import annotations

import secrets
from typing import Any

from coverwatch.sandbox.state_hooks import HooksPart
from coverwatch.sandbox.state_records import now

# Fields the SDK's model documents for the extended view only.
EXTENDED_ONLY = ("trades", "company_vendor", "legal_name", "parent", "children_count", "bidding")


class DirectoryPart(HooksPart):
    """Directory records, each change emitting the webhook event Procore would."""

    def add_company(
        self,
        *,
        name: str,
        company_id: int | None = None,
        installed_clients: list[str] | None = None,
    ) -> dict[str, Any]:
        company_id = company_id or self.new_id()
        # The OAuth clients whose app the company installed; None: every client's.
        company = {
            "id": company_id,
            "name": name,
            "is_active": True,
            "installed_clients": installed_clients,
        }
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
            "created_at": now(),
            "updated_at": now(),
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
            # Procore's link to a parent company; shown only in the extended view.
            "parent_id": fields.get("parent_id"),
            "company_vendor": bool(fields.get("company_vendor", False)),
            "trades": [_trade(t) for t in fields.get("trades") or []],
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
            "created_at": now(),
            "updated_at": now(),
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
                elif key == "trades":
                    vendor[key] = [_trade(t) for t in value or []]
                elif key in vendor and key not in ("id", "company_id"):
                    vendor[key] = value
            vendor["updated_at"] = now()
        self.emit(
            "Company Vendors",
            "update",
            vendor_id,
            company_id=vendor["company_id"],
            source_application_id=source_application_id,
        )
        return vendor

    def companies_of(self, client_id: str) -> list[dict[str, Any]]:
        """The companies where that client's app is installed, as Procore lists them."""
        return [
            {k: v for k, v in c.items() if k != "installed_clients"}
            for c in self.data.companies.values()
            if c.get("installed_clients") is None or client_id in c["installed_clients"]
        ]

    def vendor_view(self, vendor_id: int, view: str) -> dict[str, Any]:
        """A vendor as Procore shows it in `view` (normal, extended or name)."""
        vendor = self.data.vendors[str(vendor_id)]
        if view == "name":
            return {"id": vendor["id"], "name": vendor["name"]}
        # The owning company and the parent are the sandbox's own bookkeeping, not fields.
        shown = {k: v for k, v in vendor.items() if k not in ("parent_id", "company_id")}
        if view != "extended":
            # Procore's normal view leaves out what only the extended model documents.
            return {k: v for k, v in shown.items() if k not in EXTENDED_ONLY}
        parent = self.data.vendors.get(str(vendor.get("parent_id")))
        shown["children_count"] = sum(
            1 for v in self.data.vendors.values() if v.get("parent_id") == vendor["id"]
        )
        shown["parent"] = {"id": parent["id"], "name": parent["name"]} if parent else None
        # Procore's definition: "Name of the parent, if one exists. Otherwise same as name."
        shown["legal_name"] = parent["name"] if parent else vendor["name"]
        shown["bidding"] = {"affirmative_action": False, "union_member": False}
        return shown

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


def _trade(trade: Any) -> dict[str, Any]:
    if isinstance(trade, dict):
        return {"id": trade.get("id") or secrets.randbelow(10**6), "name": trade.get("name")}
    return {"id": secrets.randbelow(10**6), "name": str(trade)}


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": contact.get("id") or secrets.randbelow(10**6),
        "first_name": contact.get("first_name"),
        "last_name": contact.get("last_name"),
        "email_address": contact.get("email_address"),
        "business_phone": contact.get("business_phone"),
        "mobile_phone": contact.get("mobile_phone"),
    }
