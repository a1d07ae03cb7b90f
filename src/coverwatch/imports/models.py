"""A bulk import: its uploads, the vendors of its list and the certificate files it reads.

Nothing here touches the vendors, projects or certificates on file until a person confirms the
summary ("Start tracking"): until then an import is a plan that can be corrected or dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coverwatch.db import Base, utcnow

# mapping → reading (files on the workers) → ready (summary shown) → starting (confirmed,
# being applied by a job) → tracking (applied: the normal flow runs).
IMPORT_STATES = ("mapping", "reading", "ready", "starting", "tracking")


class ImportRun(Base):
    """One bulk import of a vendor list and its certificates."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="mapping", index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), default=None)
    sheet_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    archive_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id"), default=None
    )
    headers: Mapped[list[Any]] = mapped_column(default=list)
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    threshold: Mapped[float] = mapped_column(default=90.0)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_by: Mapped[str | None] = mapped_column(String(200), default=None)


class ImportVendor(Base):
    """A vendor of the list as the import will create or update it (one per vendor key)."""

    __tablename__ = "import_vendors"
    __table_args__ = (UniqueConstraint("import_id", "vendor_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    row_number: Mapped[int] = mapped_column()
    # The name as folded words: rows naming the same vendor are merged into one.
    vendor_key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    # The name the vendor gets: the certificate's spelling when the list's was only near it.
    legal_name: Mapped[str] = mapped_column(String(300), default="")
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    duplicate_rows: Mapped[list[Any]] = mapped_column(default=list)
    problems: Mapped[list[Any]] = mapped_column(default=list)
    project_id: Mapped[int | None] = mapped_column(default=None)
    # An existing vendor of the organization this row updates; None: a new vendor.
    vendor_id: Mapped[int | None] = mapped_column(default=None)
    # create, update or unchanged (known when the import is run, final when it is confirmed).
    action: Mapped[str] = mapped_column(String(16), default="create")
    preview_status: Mapped[str | None] = mapped_column(String(32), default=None)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)


class ImportFile(Base):
    """One file of the folder or ZIP: where it was, what was read, and whose it is."""

    __tablename__ = "import_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # waiting → read or failed; skipped (not a certificate) and duplicate never wait.
    state: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    error: Mapped[str | None] = mapped_column(String(500), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    insured_name: Mapped[str | None] = mapped_column(String(300), default=None)
    method: Mapped[str | None] = mapped_column(String(16), default=None)
    import_vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_vendors.id"), default=None, index=True
    )
    match_score: Mapped[float | None] = mapped_column(default=None)
    # name (matched by the insured's name), person (picked from the queue), or None.
    matched_by: Mapped[str | None] = mapped_column(String(16), default=None)
    match_note: Mapped[str | None] = mapped_column(String(200), default=None)
    duplicate_of: Mapped[int | None] = mapped_column(default=None)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
