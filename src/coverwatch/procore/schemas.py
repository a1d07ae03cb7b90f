"""The API's shapes for the organization's view of its Procore connection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ProcoreConnectionOut(BaseModel):
    """A Procore connection as the API shows it: never a token or a secret."""

    id: int
    environment: str
    api_base_url: str
    company_id: int
    company_name: str
    grant_type: str
    template: str | None
    writeback_level: str
    work_order_contracts: bool
    # {"mode": "subcontractors" | "directory", "trades": [...], "description": "..."}
    tracking: dict[str, Any]
    keep_procore_notifications: bool
    active: bool
    hooks: dict[str, Any]
    # Per hook scope ("company:N", "project:N"), per trigger: state and Procore's message.
    install_report: dict[str, Any]
    refused_deliveries: int
    last_refused_at: datetime | None
    disconnected_reason: str | None
    last_sync_at: datetime | None


class ProcoreDeliveryOut(BaseModel):
    """One webhook delivery received from Procore, and what became of it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_key: str
    resource_name: str
    event_type: str
    resource_id: str
    project_id: str | None
    received_at: datetime
    processed_at: datetime | None
    outcome: str | None
    attempts: int
    error: str | None


class ProcoreInsuranceOut(BaseModel):
    """An insurance record in Procore that is not ours to write: keyed, or edited, by a person."""

    procore_id: int | None
    level: str | None
    ours: bool
    edited_in_procore: bool
    insurance_type: str | None
    status: str | None
    policy_number: str | None
    insurance_provider: str | None
    limit: str | None
    effective_date: str | None
    expiration_date: str | None
    exempt: bool | None
