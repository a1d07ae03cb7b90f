"""The form-field reader: a fillable ACORD 25 whose values live in its AcroForm fields (pypdf).

Both distributions of the blank form are handled: plain names (`Form_CompletionDate_A`) and the
XFA hybrid's qualified names (`F[0].P1[0].Form_CompletionDate_A[0]`). Checkboxes are on when
their value is anything but /Off (ACORD's on-value is /1). Only widgets are read, page by page,
which is faster than pypdf's whole-tree `get_fields()` and tells which page holds the form.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from coverwatch.parsing.fields import CHECKBOX_ROLES, FIELDS, ROW_SECTIONS, field_key
from coverwatch.parsing.readings import CertificateReading, Reading, RowReading

# How far up the /Parent chain a field name or value is looked for (qualified names are 3 deep).
_MAX_PARENTS = 8
_EDITION_FIELD = "Form_EditionIdentifier_A"
# "ACORD 0025 2016-03 Acroform" or "2016/03": the hidden field holds the edition somewhere.
_EDITION = re.compile(r"(\d{4})\s*[-/]\s*(\d{2})")
# Fewer known fields than this on a page and it is not an ACORD 25 form page.
_MIN_KNOWN_FIELDS = 20


def page_fields(reader: PdfReader, *, page_index: int) -> dict[str, str]:
    """ACORD field name -> value for the widgets of one page (empty values included)."""
    page = reader.pages[page_index]
    annotations = page.get("/Annots")
    found: dict[str, str] = {}
    if annotations is None:
        return found
    for reference in annotations.get_object():
        widget = reference.get_object()
        if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
            continue
        name, value, kind = _field(widget)
        key = field_key(name) if name else None
        if key in FIELDS:
            found[key] = _value_text(value, widget, kind)
    return found


def form_page(reader: PdfReader, *, max_pages: int) -> tuple[int, dict[str, str]] | None:
    """The first page holding the ACORD 25 fields, with their values."""
    for index in range(min(len(reader.pages), max_pages)):
        fields = page_fields(reader, page_index=index)
        if len(fields) >= _MIN_KNOWN_FIELDS:
            return index, fields
    return None


def filled_count(fields: dict[str, str]) -> int:
    """How many fields hold a value (a ticked box counts; the hidden edition field does not)."""
    return sum(1 for name, value in fields.items() if value.strip() and name != _EDITION_FIELD)


def read_fields(fields: dict[str, str], *, page: int) -> CertificateReading:
    """The reading of a filled form (`page` 1-based)."""
    reading = CertificateReading(method="acroform", page=page)
    rows = {section: RowReading(section=section) for section in ROW_SECTIONS}
    other_limits: dict[str, list[str]] = {}
    for name, value in fields.items():
        section, role = FIELDS[name]
        if not value.strip():
            continue
        if section == "certificate":
            reading.values[role] = Reading(value)
        elif section == "other" and role.startswith("limit_"):
            # Coverage code and amount side by side, as a layout reader sees the line.
            _, part, letter = role.split("_")
            other_limits.setdefault(letter, ["", ""])[part == "amount"] = value
        else:
            rows[section].values[role] = Reading("X" if role in CHECKBOX_ROLES else value)
    for letter, (label, amount) in sorted(other_limits.items()):
        rows["other"].values[f"limit_line_{letter}"] = Reading(f"{label} {amount}".strip())
    reading.rows = list(rows.values())
    edition = reading.values.pop("edition", None)
    match = _EDITION.search(edition.text) if edition else None
    if match:
        reading.edition = f"{match.group(1)}/{match.group(2)}"
    return reading


def _field(widget: DictionaryObject) -> tuple[str, Any, str | None]:
    parts: list[str] = []
    value: Any = None
    kind: str | None = None
    node: Any = widget
    for _ in range(_MAX_PARENTS):
        if node is None:
            break
        node = node.get_object()
        if "/T" in node:
            parts.append(str(node["/T"]))
        if value is None and "/V" in node:
            value = node["/V"]
        if kind is None and "/FT" in node:
            kind = str(node["/FT"])
        node = node.get("/Parent")
    return ".".join(reversed(parts)), value, kind


def _value_text(value: Any, widget: DictionaryObject, kind: str | None) -> str:
    if kind == "/Btn":
        state = value if value is not None else widget.get("/AS")
        return "" if state is None or str(state) in ("/Off", "Off", "") else "/1"
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
