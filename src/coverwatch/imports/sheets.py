"""Reading a GC's vendor list (CSV or XLSX) and guessing which column holds what; pure.

Vendor lists come from accounting systems, Procore exports and hand-kept workbooks: title rows
above the headers, headers in any order and spelling, blank rows, extra columns. The guess is
only a proposal: the user confirms or corrects it before anything is imported.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz

from coverwatch.imports.errors import (
    InvalidMapping,
    NoNameColumn,
    NotASpreadsheet,
    UnreadableSpreadsheet,
)
from coverwatch.requirements.names import fold

FIELDS = (
    "vendor_name",
    "trade",
    "project",
    "contact_name",
    "contact_email",
    "contact_phone",
    "agent_name",
    "agent_email",
    "tax_id",
    "notes",
)
FIELD_LABELS = {
    "vendor_name": "Vendor name",
    "trade": "Trade",
    "project": "Project",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "agent_name": "Agent name",
    "agent_email": "Agent email",
    "tax_id": "Tax id",
    "notes": "Notes",
}
# Header spellings seen in vendor lists, folded (lower-case ASCII, words split by spaces).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "vendor_name": (
        "vendor", "vendor name", "sub", "subcontractor", "subcontractor name", "sub name",
        "company", "company name", "contractor", "contractor name", "business name",
        "legal name", "name", "trade partner", "supplier", "firm", "subcontractor company",
    ),
    "trade": (
        "trade", "trades", "scope", "scope of work", "csi division", "division", "work type",
        "discipline", "trade name", "cost code", "specialty",
    ),
    "project": (
        "project", "project name", "job", "job name", "job number", "job no", "project number",
        "project no", "project id", "site", "jobsite",
    ),
    "contact_name": (
        "contact", "contact name", "primary contact", "office contact", "contact person",
        "main contact", "sub contact", "vendor contact", "pm", "representative",
    ),
    "contact_email": (
        "email", "email address", "e mail", "e mail address", "contact email",
        "primary email", "office email", "vendor email", "sub email", "mail",
    ),
    "contact_phone": (
        "phone", "phone number", "telephone", "tel", "contact phone", "office phone",
        "mobile", "cell", "phone no", "main phone",
    ),
    "agent_name": (
        "agent", "agent name", "insurance agent", "broker", "broker name", "producer",
        "insurance broker", "agency", "insurance agency", "insurance contact",
    ),
    "agent_email": (
        "agent email", "broker email", "insurance email", "agent email address",
        "producer email", "agency email", "insurance agent email", "coi email",
    ),
    "tax_id": (
        "tax id", "ein", "fein", "tin", "tax number", "federal tax id", "tax id number",
        "federal id", "taxpayer id",
    ),
    "notes": ("notes", "note", "comments", "comment", "remarks", "memo"),
}  # fmt: skip
# A word that says which field a header is, whatever else it says ("Trade / Scope").
_TELLING_WORDS = {
    "trade": {"trade", "scope", "division"},
    "project": {"project", "job"},
    "tax_id": {"tax", "ein", "fein", "tin"},
    "notes": {"notes", "note", "comments", "remarks"},
}
_AGENT_WORDS = {"agent", "broker", "producer", "agency", "insurance", "coi", "insurer"}
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# An XLSX is a ZIP of XML: refuse one that expands beyond this before openpyxl opens it.
MAX_XLSX_EXPANDED = 200 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    """A vendor list as text cells: its headers and the rows under them, with row numbers."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    header_row: int


def header_key(text: str) -> str:
    """A header folded to lower-case ASCII words ("E-Mail Address:" reads "e mail address")."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).replace("#", " no ")))


def read_table(content: bytes, *, filename: str) -> Table:
    """The vendor list in a CSV or XLSX file, or the error that says why it cannot be read."""
    if not content.strip():
        raise UnreadableSpreadsheet(f"{filename or 'the vendor list'} is empty")
    if content.startswith(b"PK\x03\x04"):
        grid = _xlsx_cells(content, filename=filename)
    elif content.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")):
        raise NotASpreadsheet(
            f"{filename or 'the vendor list'} is not a CSV or an XLSX workbook "
            "(an old .xls must be saved as .xlsx or .csv first)"
        )
    else:
        grid = _csv_cells(content, filename=filename)
    grid = [row[:MAX_COLUMNS] for row in grid]
    header_at = _header_row(grid)
    if header_at is None:
        raise UnreadableSpreadsheet(f"{filename or 'the vendor list'} has no rows")
    headers = [h.strip() for h in grid[header_at]]
    rows = [
        (number + 1, row + [""] * (len(headers) - len(row)))
        for number, row in enumerate(grid)
        if number > header_at and any(cell.strip() for cell in row)
    ]
    if len(rows) > MAX_ROWS:
        raise UnreadableSpreadsheet(
            f"{filename or 'the vendor list'} has {len(rows):,} rows; the limit is {MAX_ROWS:,}"
        )
    return Table(headers=headers, rows=rows, header_row=header_at + 1)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Which column holds each field, by header spelling (None where no header fits)."""
    scores: list[tuple[float, int, str]] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        for field, score in _field_scores(key).items():
            scores.append((score, -index, field))
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    taken: set[int] = set()
    # Best fits first, so "Agent Email" goes to agent_email before "email" can claim it.
    for score, negative_index, field in sorted(scores, reverse=True):
        index = -negative_index
        if mapping[field] is None and index not in taken and score >= 85:
            mapping[field] = index
            taken.add(index)
    return mapping


def check_mapping(mapping: dict[str, Any], *, headers: list[str]) -> dict[str, int | None]:
    """A mapping from the user (field to column index, or to a header text), checked."""
    checked: dict[str, int | None] = dict.fromkeys(FIELDS)
    for field, column in mapping.items():
        if field not in FIELDS:
            raise InvalidMapping(
                f"unknown field {field!r}; the fields are {', '.join(FIELDS)}",
                details={"fields": list(FIELDS)},
            )
        if column is None or column == "":
            continue
        if isinstance(column, str) and not column.isdigit():
            if column not in headers:
                raise InvalidMapping(f"no column headed {column!r}", details={"headers": headers})
            column = headers.index(column)
        index = int(column)
        if not 0 <= index < len(headers):
            raise InvalidMapping(
                f"column {index} does not exist (there are {len(headers)})",
                details={"headers": headers},
            )
        checked[field] = index
    if checked["vendor_name"] is None:
        raise NoNameColumn(
            "no column of the vendor list is mapped to the vendor name; choose the column "
            "that holds it (headers: " + ", ".join(repr(h) for h in headers if h) + ")",
            details={"headers": headers},
        )
    return checked


def mapped_rows(table: Table, mapping: dict[str, int | None]) -> list[tuple[int, dict[str, str]]]:
    """Each row as its mapped fields (stripped text), with its row number in the sheet."""
    out = []
    for number, cells in table.rows:
        values = {
            field: cells[index].strip()
            for field, index in mapping.items()
            if index is not None and index < len(cells) and cells[index].strip()
        }
        if values:
            out.append((number, values))
    return out


def _field_scores(key: str) -> dict[str, float]:
    words = set(key.split())
    scores: dict[str, float] = {}
    for field, spellings in SPELLINGS.items():
        best = max(fuzz.ratio(key, s) for s in spellings)
        if key in spellings:
            best = 100.0
        scores[field] = best
    agentish = bool(words & _AGENT_WORDS)
    # Headers with telling words that no list spells exactly ("Sub's Insurance Agent E-mail").
    if "email" in words or "mail" in words or {"e", "mail"} <= words:
        scores["agent_email" if agentish else "contact_email"] = max(
            scores["agent_email" if agentish else "contact_email"], 95.0
        )
    elif agentish and (words & {"name", "agent", "broker", "agency", "producer"}):
        scores["agent_name"] = max(scores["agent_name"], 92.0)
    elif words & {"phone", "tel", "telephone", "mobile", "cell"} and not agentish:
        scores["contact_phone"] = max(scores["contact_phone"], 92.0)
    elif words & {"vendor", "subcontractor", "sub", "company"} and "name" in words:
        scores["vendor_name"] = max(scores["vendor_name"], 95.0)
    for field, telling in _TELLING_WORDS.items():
        if words & telling and not agentish:
            scores[field] = max(scores[field], 90.0)
    return scores


def _header_row(grid: list[list[str]]) -> int | None:
    """The first row, among the first twenty, whose cells name a vendor column (else the first
    non-blank one): title rows above the headers are common."""
    first = None
    for index, row in enumerate(grid[:20]):
        if not any(cell.strip() for cell in row):
            continue
        if first is None:
            first = index
        if guess_mapping(row)["vendor_name"] is not None and sum(1 for c in row if c.strip()) > 1:
            return index
    return first


def _csv_cells(content: bytes, *, filename: str) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise UnreadableSpreadsheet(f"{filename or 'the vendor list'} is not text")
    if "\x00" in text:
        raise NotASpreadsheet(f"{filename or 'the vendor list'} is not a CSV or an XLSX workbook")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)][: MAX_ROWS + 50]
    except csv.Error as exc:
        raise UnreadableSpreadsheet(
            f"{filename or 'the vendor list'} is not valid CSV: {exc}"
        ) from exc


def _xlsx_cells(content: bytes, *, filename: str) -> list[list[str]]:
    import openpyxl

    name = filename or "the vendor list"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise NotASpreadsheet(f"{name} is a ZIP, not an XLSX workbook")
    except zipfile.BadZipFile as exc:
        raise UnreadableSpreadsheet(f"{name} is a damaged XLSX file") from exc
    if expanded > MAX_XLSX_EXPANDED:
        raise UnreadableSpreadsheet(f"{name} expands to {expanded:,} bytes; too large to read")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise UnreadableSpreadsheet(f"{name} could not be read as a workbook: {exc}") from exc
    try:
        for sheet in workbook.worksheets:
            grid = [
                [_cell_text(value) for value in row]
                for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50)
            ]
            if any(any(cell for cell in row) for row in grid):
                return grid
        return []
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)
