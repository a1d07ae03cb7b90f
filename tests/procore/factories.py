"""Factories for Procore tests: a sandbox admin, connections and installed hooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from coverwatch.db import session_scope
from coverwatch.procore import service
from coverwatch.procore.hooks import install_hooks
from coverwatch.procore.models import ProcoreCommitment, ProcoreConnection

CLIENT_ID, CLIENT_SECRET, APPLICATION_ID = "sandbox-client", "sandbox-secret", "sandbox-app"


@dataclass
class SandboxAdmin:
    """The sandbox's admin API, acting as a GC in Procore."""

    url: str

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.url}/_admin/api{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def company(self, name: str = "Summit Builders", **fields: Any) -> dict[str, Any]:
        return dict(self._call("POST", "/companies", json={"name": name, **fields}))

    def project(self, company_id: int, name: str = "Harbor View Tower", **fields: Any) -> dict:
        """A new project; its `Projects create` delivered, so that its hook exists."""
        body = {"company_id": company_id, "name": name, "state_code": "CA", **fields}
        project = dict(self._call("POST", "/projects", json=body))
        self.wait_for_deliveries()
        return project

    def vendor(self, company_id: int, name: str = "Acme Roofing, LLC", **fields: Any) -> dict:
        body = {
            "company_id": company_id,
            "name": name,
            "email_address": "office@acmeroofing.example",
            "primary_contact": {
                "first_name": "Dana",
                "last_name": "Ruiz",
                "email_address": "dana@acmeroofing.example",
            },
            **fields,
        }
        return dict(self._call("POST", "/vendors", json=body))

    def add_to_project(self, project_id: int, vendor_id: int) -> None:
        self._call("POST", f"/projects/{project_id}/vendors/{vendor_id}")

    def remove_from_project(self, project_id: int, vendor_id: int) -> None:
        self._call("DELETE", f"/projects/{project_id}/vendors/{vendor_id}")

    def update_vendor(self, vendor_id: int, **changes: Any) -> None:
        self._call("PATCH", f"/vendors/{vendor_id}", json=changes)

    def permit(self, company_id: int, project_ids: list[int]) -> None:
        """The projects our service account may see in the company."""
        path = f"/clients/{CLIENT_ID}/companies/{company_id}/permitted_projects"
        self._call("PUT", path, json={"project_ids": project_ids})

    def app_update(self, company_id: int) -> None:
        """A new version of our app: Procore resets its permitted projects to none."""
        self._call("POST", f"/clients/{CLIENT_ID}/companies/{company_id}/app_update")

    def uninstall(self, company_id: int) -> None:
        """The company's admin removes our app."""
        self._call("POST", f"/clients/{CLIENT_ID}/companies/{company_id}/uninstall")

    def contract(
        self, kind: str, project_id: int, vendor_id: int | None, **fields: Any
    ) -> dict[str, Any]:
        """A work order or purchase order contract (`kind` is Procore's path segment)."""
        body = {"project_id": project_id, "vendor_id": vendor_id, **fields}
        return dict(self._call("POST", f"/{kind}", json=body))

    def update_contract(self, kind: str, contract_id: int, **changes: Any) -> dict[str, Any]:
        return dict(self._call("PATCH", f"/{kind}/{contract_id}", json=changes))

    def delete_contract(self, kind: str, contract_id: int) -> None:
        self._call("DELETE", f"/{kind}/{contract_id}")

    def configure(self, **config: Any) -> None:
        self._call("PUT", "/config", json=config)

    def stats(self) -> dict[str, Any]:
        return dict(self._call("GET", "/stats"))

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "/state"))

    def wait_for_deliveries(self, timeout: float = 15.0) -> None:
        self._call("POST", "/deliveries/wait", params={"timeout": timeout})

    def insurances(self) -> list[dict[str, Any]]:
        return list(self.state()["insurances"].values())

    def seed(self, company_id: int, *, projects: int, vendors_per_project: int) -> list[int]:
        body = {
            "company_id": company_id,
            "projects": projects,
            "vendors_per_project": vendors_per_project,
        }
        return list(self._call("POST", "/seed", json=body)["project_ids"])


def make_connection(
    *, org_id: int, sandbox_url: str, company_id: int, **fields: Any
) -> ProcoreConnection:
    """A service-account connection of `org_id` to a sandbox company.

    Tracking everyone in the directory unless told otherwise: most tests add vendors there.
    """
    fields.setdefault("tracking_rule", {"mode": "directory"})
    with session_scope() as session:
        return service.create_connection(
            session,
            org_id=org_id,
            environment="local",
            company_id=company_id,
            grant_type="client_credentials",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            api_base_url=sandbox_url,
            application_id=APPLICATION_ID,
            **fields,
        )


def connect_with_hooks(
    *, org_id: int, sandbox_url: str, company_id: int, receiver_url: str, **fields: Any
) -> ProcoreConnection:
    """A connection whose hooks (company, and each project) send deliveries to `receiver_url`."""
    connection = make_connection(
        org_id=org_id, sandbox_url=sandbox_url, company_id=company_id, **fields
    )
    install_hooks(connection.id, destination_url=f"{receiver_url}/webhooks/procore")
    return connection


def key_insurance(
    admin: SandboxAdmin, *, vendor_id: int, project_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """An insurance record a GC types into Procore (no origin_id, no application)."""
    body = {"vendor_id": vendor_id, "project_id": project_id, **fields}
    return dict(admin._call("POST", "/insurances", json=body))


def edit_insurance(admin: SandboxAdmin, insurance_id: int, **fields: Any) -> dict[str, Any]:
    """A GC edits an insurance record in Procore by hand."""
    return dict(admin._call("PATCH", f"/insurances/{insurance_id}", json=fields))


def procore_emails(admin: SandboxAdmin, *, on: date) -> list[dict[str, Any]]:
    """The expiry emails Procore itself would send that day."""
    return list(admin._call("GET", "/notifications", params={"on": on.isoformat()}))


def work_order_contract(admin: SandboxAdmin, *, project_id: int, vendor_id: int) -> dict:
    """A subcontract made in Procore by a GC."""
    body = {"project_id": project_id, "vendor_id": vendor_id, "title": "Roofing subcontract"}
    return dict(admin._call("POST", "/work_order_contracts", json=body))


def make_commitment(
    *, connection_id: int, project_vendor_id: int, contract: dict[str, Any], **fields: Any
) -> int:
    """Our row for a Procore commitment of a project vendor (as the commitments sync makes)."""
    with session_scope() as session:
        connection = session.get(ProcoreConnection, connection_id)
        assert connection is not None
        row = ProcoreCommitment(
            org_id=connection.org_id,
            connection_id=connection_id,
            kind=fields.pop("kind", "work_order"),
            procore_id=contract["id"],
            procore_project_id=contract["project"]["id"],
            procore_vendor_id=contract["vendor"]["id"],
            project_vendor_id=project_vendor_id,
            title=contract.get("title", ""),
            **fields,
        )
        session.add(row)
        session.flush()
        return row.id
