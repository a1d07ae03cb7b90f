"""What a reader saw, before interpretation: text per field role, with a confidence.

Both readers (form fields and page layout) produce a `CertificateReading`; `assemble` turns it
into the contract. Keeping the two apart means dates, amounts, marks and names are interpreted
by one piece of code, whichever way the text was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from coverwatch.parsing.fields import Section

Method = Literal["acroform", "text", "ocr"]
# A row doubt: no tick was found as text on the page, so what depends on ticks is unsure.
MARKS_DOUBT = "marks"


@dataclass(frozen=True)
class Reading:
    """The text found for one field, and how sure the reader is it belongs there."""

    text: str
    confidence: float = 1.0


@dataclass
class RowReading:
    """One policy row of the coverage grid: readings by role (see `fields.FIELDS`)."""

    section: Section
    values: dict[str, Reading] = field(default_factory=dict)
    # Roles (or "limits") the reader itself doubts, e.g. limits shared by two policies on a row.
    doubts: set[str] = field(default_factory=set)


@dataclass
class CertificateReading:
    """Everything read from one certificate page."""

    method: Method
    # Header roles; a layout reader gives whole blocks ("producer_block", lines joined by \n)
    # where the form-field reader gives the separate name and address fields.
    values: dict[str, Reading] = field(default_factory=dict)
    rows: list[RowReading] = field(default_factory=list)
    edition: str | None = None
    page: int = 1  # 1-based page of the certificate in the document
    warnings: list[str] = field(default_factory=list)
    # Paths the reader doubts as a whole (e.g. "/policies" when the grid could not be placed).
    doubts: list[str] = field(default_factory=list)
