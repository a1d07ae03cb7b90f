"""The layout reader: a certificate from words with boxes (a flattened PDF's text, or OCR).

The text of a flattened certificate is not in reading order (agency systems print the values
first and the form after, or bottom-up), so nothing here depends on word order. The page is
registered against the printed labels (layout.anchors); each remaining word falls in the value
zone that holds its centre (layout.template); the grid's rows are split into several policies
when their number and date columns hold several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from coverwatch.certificates.schemas import CertificateData, Source
from coverwatch.parsing.assemble import assemble
from coverwatch.parsing.endorsements import endorsements, free_text
from coverwatch.parsing.errors import ParseError
from coverwatch.parsing.fields import ROW_SECTIONS, Section
from coverwatch.parsing.layout.anchors import Registration, register
from coverwatch.parsing.layout.template import (
    COLUMNS,
    DOLLAR_X,
    HEADER_ZONES,
    LIMIT_AMOUNT_X,
    LIMIT_LABEL_X,
    ROW_ZONES,
    ROWS,
    TYPE_X,
)
from coverwatch.parsing.readings import MARKS_DOUBT, CertificateReading, Reading, RowReading
from coverwatch.parsing.words import PageWords, Word

_EDITION = re.compile(r"ACORD\s*25\s*\(\s*(\d{4})\s*/\s*(\d{2})\s*\)", re.I)
_FOOTER_EDITION = re.compile(r"^\(\d{4}/\d{2}\)$")
# The columns each row has (the WC row's ADDL INSD cell is printed "N/A").
_ROW_COLUMNS = {
    section: tuple(c for c in COLUMNS if not (section == "workers_comp" and c == "addl"))
    for section in ROW_SECTIONS
}


@dataclass(frozen=True)
class _Zone:
    section: Section
    role: str
    box: tuple[float, float, float, float]
    checkbox: bool = False

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.box
        return (x1 - x0) * (y1 - y0)


def read_words(pages: list[PageWords]) -> CertificateData:
    """The certificate on the given page(s): the page that registers best is read."""
    best: tuple[PageWords, Registration] | None = None
    for page in pages:
        registration = register(page)
        if registration is not None and (best is None or registration.matched > best[1].matched):
            best = (page, registration)
    if best is None:
        raise ParseError("not_a_certificate")
    page, registration = best
    reading = read_page(page, registration=registration)
    method = "ocr" if page.source == "ocr" else "text"
    certificate = assemble(reading, source=Source(method=method, pages=len(pages)))
    certificate.endorsements = endorsements([(reading.page, free_text(reading))])
    return certificate


def read_page(page: PageWords, *, registration: Registration | None = None) -> CertificateReading:
    """What one registered certificate page says, field role by field role."""
    registration = registration or register(page)
    if registration is None:
        raise ParseError("not_a_certificate")
    reading = CertificateReading(
        method="ocr" if page.source == "ocr" else "text", page=page.index + 1
    )
    reading.edition = edition(page.text())
    quality = registration.quality
    if quality < 0.8:
        reading.warnings.append(
            f"the form's printed labels were only partly found ({registration.matched}); "
            "values may be misplaced"
        )
    placed = _assign(page, registration)
    header = [z for z in placed if z.section == "certificate"]
    for zone in header:
        words = placed[zone]
        if words:
            reading.values[zone.role] = _reading(words, quality)
    marks = any(zone.checkbox and words for zone, words in placed.items())
    for section in ROW_SECTIONS:
        zones = {z: w for z, w in placed.items() if z.section == section and w}
        rows = _rows(section, zones, quality)
        if not marks and page.source == "text":
            for row in rows:
                row.doubts.add(MARKS_DOUBT)
        reading.rows.extend(rows)
    return reading


def edition(text: str) -> str | None:
    """The edition printed in the footer, "2016/03" from "ACORD 25 (2016/03)"."""
    match = _EDITION.search(text)
    return f"{match.group(1)}/{match.group(2)}" if match else None


# ---------------------------------------------------------------- words into zones


def _zones(registration: Registration) -> list[_Zone]:
    zones = [
        _Zone(z.section, z.role, registration.box(z.box), z.checkbox)
        for z in (*HEADER_ZONES, *ROW_ZONES)
    ]
    for section, (top, bottom) in ROWS.items():
        for column in _ROW_COLUMNS[section]:
            left, right = COLUMNS[column]
            zones.append(_Zone(section, column, registration.box((left, top, right, bottom))))
    other_top, other_bottom = ROWS["other"]
    zones.append(
        _Zone(
            "other",
            "description",
            registration.box((*TYPE_X[:1], other_top, TYPE_X[1], other_bottom)),
        )
    )
    zones.append(
        _Zone(
            "other",
            "limit_lines",
            registration.box((LIMIT_LABEL_X[0], other_top, LIMIT_AMOUNT_X[1], other_bottom)),
        )
    )
    return zones


def _assign(page: PageWords, registration: Registration) -> dict[_Zone, list[Word]]:
    zones = _zones(registration)
    placed: dict[_Zone, list[Word]] = {zone: [] for zone in zones}
    dollar_left, dollar_right = registration.x(DOLLAR_X[0]), registration.x(DOLLAR_X[1])
    for index, word in enumerate(page.words):
        if index in registration.label_words:
            continue
        if index - 1 in registration.label_words and _FOOTER_EDITION.match(word.text):
            continue  # "(2016/03)" after the footer's "ACORD 25": the form's own print
        cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        if word.text.strip() == "$" and dollar_left <= cx <= dollar_right:
            continue  # the "$" printed before each limit amount
        if page.source == "ocr" and _is_rule(word):
            continue
        best: _Zone | None = None
        for zone in zones:
            x0, y0, x1, y1 = zone.box
            inside = x0 - 0.5 <= cx <= x1 + 0.5 and y0 - 0.5 <= cy <= y1 + 0.5
            if inside and (best is None or zone.area < best.area):
                best = zone
        if best is not None:
            placed[best].append(_shaded(word, page.covered))
    checkboxes = [zone for zone in zones if zone.checkbox]
    for x0, y0, x1, y1 in page.marks:
        # A check mark stroked as lines: read as the X an agency system would have typed.
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        holding = [
            z for z in checkboxes if z.box[0] <= cx <= z.box[2] and z.box[1] <= cy <= z.box[3]
        ]
        if holding:
            placed[min(holding, key=lambda z: z.area)].append(Word("X", x0, y0, x1, y1))
    return placed


# A value this much under a watermark's glyphs may be hidden from a person's eye, and a
# watermark's own letters may have merged with it: it is read, not trusted.
_COVERED_SHARE = 0.3
_COVERED_CONFIDENCE = 0.7


def _shaded(word: Word, covered: list[tuple[float, float, float, float]]) -> Word:
    area = max((word.x1 - word.x0) * (word.y1 - word.y0), 0.01)
    for x0, y0, x1, y1 in covered:
        overlap = max(0.0, min(x1, word.x1) - max(x0, word.x0)) * max(
            0.0, min(y1, word.y1) - max(y0, word.y0)
        )
        if overlap >= _COVERED_SHARE * area:
            return replace(word, confidence=min(word.confidence, _COVERED_CONFIDENCE))
    return word


# What OCR makes of the form's ruling lines and box edges: "|", "l", "[", "___", "———".
_RULE_CHARACTERS = set("|lI![]{}")
_LINE_CHARACTERS = set("|_=~[]{}\u2014\u2013-")


def _is_rule(word: Word) -> bool:
    text = word.text.strip()
    width, height = word.x1 - word.x0, max(word.y1 - word.y0, 0.1)
    if text and set(text) <= _LINE_CHARACTERS:
        # "-" alone is a dash in the text; a run of them, or one far wider than a dash, a rule.
        return text != "-" or width > 2 * height
    # A tall, thin "l" or "|" is a vertical rule, not a letter.
    return width < 0.3 * height and bool(text) and set(text) <= _RULE_CHARACTERS


def _lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into lines, top to bottom, each left to right."""
    ordered = sorted(words, key=lambda w: w.y0 + w.y1)
    lines: list[list[Word]] = []
    reference = 0.0
    for word in ordered:
        middle = (word.y0 + word.y1) / 2
        height = max(word.y1 - word.y0, 1.0)
        if lines and abs(middle - reference) < 0.5 * height:
            lines[-1].append(word)
        else:
            lines.append([word])
            reference = middle
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _reading(words: list[Word], quality: float) -> Reading:
    text = "\n".join(" ".join(w.text for w in line) for line in _lines(words))
    confidence = min(w.confidence for w in words) * quality
    return Reading(text, round(confidence, 3))


# ---------------------------------------------------------------- rows and policies


def _rows(section: Section, zones: dict[_Zone, list[Word]], quality: float) -> list[RowReading]:
    if not zones:
        return []
    by_role = {zone.role: words for zone, words in zones.items()}
    centres = _policy_lines(by_role)
    split_roles = set(_ROW_COLUMNS[section])
    if section == "other":
        split_roles |= {"description", "limit_lines"}
    rows = [RowReading(section=section) for _ in centres]
    for role, words in by_role.items():
        if len(rows) > 1 and role in split_roles:
            groups: list[list[Word]] = [[] for _ in rows]
            for word in words:
                middle = (word.y0 + word.y1) / 2
                nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - middle))
                groups[nearest].append(word)
            for row, group in zip(rows, groups, strict=True):
                _put(row, role, group, quality)
        else:
            _put(rows[0], role, words, quality)
    if len(rows) > 1 and section != "other":
        # Several policies on a primary row share its limit boxes: whose limits they are is
        # not written anywhere.
        rows[0].doubts.add("limits")
    return rows


def _policy_lines(by_role: dict[str, list[Word]]) -> list[float]:
    """Middles of the policies written on a row: one per line of the policy-number column,
    when the effective-date or letter column has as many lines (else a wrapped number)."""
    numbers = _line_middles(by_role.get("number", []))
    if len(numbers) < 2:
        return [0.0]
    dates = _line_middles(by_role.get("effective", []) + by_role.get("expiration", []))
    letters = _line_middles(by_role.get("letter", []))
    if len(dates) == len(numbers) or len(letters) == len(numbers):
        return numbers
    return [0.0]


def _line_middles(words: list[Word]) -> list[float]:
    return [sum((w.y0 + w.y1) / 2 for w in line) / len(line) for line in _lines(words)]


def _put(row: RowReading, role: str, words: list[Word], quality: float) -> None:
    if not words:
        return
    if role == "limit_lines":
        for number, line in enumerate(_lines(words), start=1):
            row.values[f"limit_line_{number}"] = _reading(line, quality)
        return
    reading = _reading(words, quality)
    if role == "description" or role.endswith("_text"):
        reading = Reading(" ".join(reading.text.split()), reading.confidence)
    row.values[role] = reading
