"""API shapes of bulk imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MappingIn(BaseModel):
    """The user's column mapping: field to column index (or header text); null for none."""

    mapping: dict[str, int | str | None] = Field(
        default_factory=dict,
        examples=[{"vendor_name": "Subcontractor", "contact_email": 3, "notes": None}],
    )
    project_id: int | None = Field(default=None, description="The project to put vendors on")


class PickIn(BaseModel):
    """A person's choice of vendor (a staged vendor of the import) for a queued file."""

    import_vendor_id: int | None = Field(
        default=None, description="null (or none given) puts the file back in the queue"
    )


class ImportOut(BaseModel):
    """An import, with its mapping, progress and summary."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    state: str
    project_id: int | None
    headers: list[str]
    mapping: dict[str, int | None]
    threshold: float
    summary: dict[str, Any]
    progress: dict[str, int] = Field(default_factory=dict)
    preview: list[dict[str, str]] = Field(default_factory=list)
    sheet_document_id: int
    archive_document_id: int | None
    created_by: str
    created_at: datetime
    confirmed_at: datetime | None
    confirmed_by: str | None


class ImportVendorOut(BaseModel):
    """A vendor of the list as the import stages it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    row_number: int
    name: str
    legal_name: str
    values: dict[str, str]
    duplicate_rows: list[int]
    problems: list[str]
    project_id: int | None
    vendor_id: int | None
    action: str
    preview_status: str | None


class ImportFileOut(BaseModel):
    """A file of the import: what was read and the vendor matched (with its score)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    path: str
    state: str
    error: str | None
    document_id: int | None
    insured_name: str | None
    method: str | None
    import_vendor_id: int | None
    match_score: float | None
    matched_by: str | None
    match_note: str | None
    duplicate_of: int | None
