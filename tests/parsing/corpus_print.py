"""Generated certificates as PDFs: the fillable form filled in, or printed like an agency does.

Printing draws the values into the page content (Arial/Helvetica or Courier, ticks as text X or
ZapfDingbats crosses), removes the form fields, and varies what agency systems vary: values a
few points off their boxes, a row's values on its first line, the page scaled to fit, the form
drawn before or after the values, the 2016/03 or the 2025/12 edition.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

from tests.parsing import corpus_patterns as patterns
from tests.parsing.corpus_editions import on_2025_page
from tests.parsing.corpus_patterns import Quirks
from tests.parsing.corpus_spec import EDITION, Spec
from tests.samples import sample

# The blank forms, in the ACORD samples folder (tests.samples): without it, a test that
# generates a certificate is skipped.
BLANK = "blank_acord25_2016-03_acroform_meridmail.pdf"
BLANK_XFA = "blank_acord25_2016-03_xfa-hybrid_altech.pdf"
BLANK_2025 = "blank_acord25_2025-12_flattened_hawksoft_altech.pdf"


@cache
def blank(name: str) -> bytes:
    return sample(name)


def fill(spec: Spec, *, xfa: bool = False) -> bytes:
    """The fillable form with the spec's values in its fields."""
    reader = PdfReader(io.BytesIO(blank(BLANK_XFA if xfa else BLANK)))
    writer = PdfWriter(clone_from=reader)
    values = {}
    for widget in _widgets(reader):
        if widget.key in spec.fields:
            values[widget.name] = spec.fields[widget.key]
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Widget:
    """A form field's widget: qualified name, short key, rectangle (PDF space), alignment."""

    name: str
    key: str
    rect: tuple[float, float, float, float]
    align: int
    checkbox: bool


def _widgets(reader: PdfReader) -> list[Widget]:
    widgets = []
    for ref in reader.pages[0]["/Annots"]:
        annotation = ref.get_object()
        if annotation.get("/Subtype") != "/Widget":
            continue
        parts, node, kind = [], annotation, None
        while node is not None:
            node = node.get_object()
            if "/T" in node:
                parts.append(str(node["/T"]))
            kind = kind or node.get("/FT")
            node = node.get("/Parent")
        name = ".".join(reversed(parts))
        key = name.split(".")[-1].split("[")[0]
        x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
        widgets.append(
            Widget(name, key, (x0, y0, x1, y1), int(annotation.get("/Q", 0)), kind == "/Btn")
        )
    return widgets


def print_flat(
    spec: Spec,
    *,
    rng: random.Random,
    onto: bytes | None = None,
    edition: str = EDITION,
    quirks: Quirks | None = None,
) -> bytes:
    """The certificate as an agency system prints it: values in the page content, no fields.

    With `onto` (a filled form) the values are printed over it and its fields are kept: a
    fillable certificate that also carries a flattened copy of its values. With edition
    "2025/12" the values are printed on the 2025/12 blank, where its labels put each box.
    `quirks` adds the real-world print patterns of tests/parsing/corpus_patterns.py.
    """
    quirks = quirks or Quirks()
    newest = edition == "2025/12"
    form = PdfReader(io.BytesIO(blank(BLANK)))
    base = onto or (blank(BLANK_2025) if newest else blank(BLANK))
    reader = PdfReader(io.BytesIO(base))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    arial = form.trailer["/Root"]["/AcroForm"]["/DR"]["/Font"]["/F2"].get_object()
    font_ref = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    courier = rng.random() < 0.2 or "courier" in quirks
    widths = [600.0] * 256 if courier else [float(w) for w in arial["/Widths"]]
    painter = _Painter(widths, rng, font=b"/CWC" if courier else b"/CWF")
    painter.vector = quirks.rng if "vector_ticks" in quirks else None
    widgets = {w.key: w for w in _widgets(form)}
    if rng.random() < 0.3:
        widgets = _rows_on_first_line(widgets)
    other_lines: list[dict[str, str]] = []
    line_widgets: list[dict[str, Widget]] = []
    if spec.extra_other:
        other_lines = [
            {k: v for k, v in spec.fields.items() if k in _OTHER_LINE_FIELDS},
            *(fields for _, fields in spec.extra_other),
        ]
        # Several OTHER policies, one per line of the row (as in the 2014/01 sample).
        line_widgets = [_other_line(widgets, number) for number in range(len(other_lines))]
    if newest:
        painter.size *= 0.94
        widgets = on_2025_page(widgets)
        line_widgets = [on_2025_page(line) for line in line_widgets]
    fields, rects, extra = patterns.extra_texts(
        spec.fields, {k: w.rect for k, w in widgets.items()}, quirks
    )
    shift = patterns.redraw_shift(quirks.rng) if "redraw" in quirks else None
    if shift is not None:
        rects = {k: shift.rect(r) for k, r in rects.items()}
        line_widgets = [
            _moved(line, {k: shift.rect(w.rect) for k, w in line.items()}) for line in line_widgets
        ]
        extra = [(text, shift.rect(rect)) for text, rect in extra]
    widgets = _moved(widgets, rects)
    for text, rect in extra:
        painter.text(text, rect, 0)
    for key, value in fields.items():
        widget = widgets.get(key)
        if widget is None or not value or (other_lines and key in _OTHER_LINE_FIELDS):
            continue
        if widget.checkbox:
            painter.tick(widget.rect)
        elif key == "CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A":
            painter.paragraph(value, widget.rect)
        else:
            painter.text(value, widget.rect, widget.align)
    for fields, line in zip(other_lines, line_widgets, strict=True):
        for key, value in fields.items():
            if value:
                painter.text(value, line[key].rect, line[key].align)
    if onto is None and not newest:
        del page["/Annots"]
        del writer._root_object["/AcroForm"]
    resources = page["/Resources"].get_object()
    fonts = resources["/Font"].get_object()
    fonts[NameObject("/CWF")] = font_ref
    for name, base in (("/CWZ", "/ZapfDingbats"), ("/CWC", "/Courier")):
        fonts[NameObject(name)] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject(base),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
    original = page.get_contents()
    assert original is not None
    # The form's own content leaves its graphics state changed (a scaling): keep it to itself.
    form = b"q\n" + original.get_data() + b"\nQ"
    if shift is not None:
        boxes = [w.rect for w in _widgets(reader) if w.checkbox]
        form = patterns.redraw_page(blank(BLANK), shift, quirks.rng, boxes)
    values = painter.content()
    if "watermark" in quirks:
        values += b"\n" + patterns.watermark(quirks.rng)
    body = values + b"\n" + form if rng.random() < 0.5 else form + b"\n" + values
    if rng.random() < 0.12:
        # "Fit to page": the whole sheet printed a little smaller.
        scale = rng.uniform(0.93, 0.99)
        offset = f"{rng.uniform(5, 20):.2f} {rng.uniform(5, 20):.2f}"
        body = f"q {scale:.4f} 0 0 {scale:.4f} {offset} cm\n".encode() + body + b"\nQ"
    if quirks.rotate:
        # Stored turned, shown upright: the sheet is drawn turned back inside a turned page.
        matrix, (width, height) = patterns.rotation(quirks.rotate)
        body = b"q " + matrix + b"\n" + body + b"\nQ"
        page[NameObject("/MediaBox")] = RectangleObject([0, 0, width, height])
        for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if box in page:
                del page[box]
        page[NameObject("/Rotate")] = NumberObject(quirks.rotate)
    stream = DecodedStreamObject()
    stream.set_data(body)
    page[NameObject("/Contents")] = writer._add_object(stream)
    page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Agency systems often print a row's letter, marks, number and dates on its first line.
_ROW_FIRST_LINE = {
    "GeneralLiability_InsurerLetterCode_A": 300,
    "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A": 300,
    "Policy_GeneralLiability_SubrogationWaivedCode_A": 300,
    "Policy_GeneralLiability_PolicyNumberIdentifier_A": 300,
    "Policy_GeneralLiability_EffectiveDate_A": 300,
    "Policy_GeneralLiability_ExpirationDate_A": 300,
    "Vehicle_InsurerLetterCode_A": 384,
    "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A": 384,
    "Policy_AutomobileLiability_SubrogationWaivedCode_A": 384,
    "Policy_AutomobileLiability_PolicyNumberIdentifier_A": 384,
    "Policy_AutomobileLiability_EffectiveDate_A": 384,
    "Policy_AutomobileLiability_ExpirationDate_A": 384,
    "ExcessUmbrella_InsurerLetterCode_A": 444,
    "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A": 444,
    "Policy_ExcessLiability_SubrogationWaivedCode_A": 444,
    "Policy_ExcessLiability_PolicyNumberIdentifier_A": 444,
    "Policy_ExcessLiability_EffectiveDate_A": 444,
    "Policy_ExcessLiability_ExpirationDate_A": 444,
    "WorkersCompensationEmployersLiability_InsurerLetterCode_A": 481,
    "Policy_WorkersCompensation_SubrogationWaivedCode_A": 481,
    "Policy_WorkersCompensationAndEmployersLiability_PolicyNumberIdentifier_A": 481,
    "Policy_WorkersCompensationAndEmployersLiability_EffectiveDate_A": 481,
    "Policy_WorkersCompensationAndEmployersLiability_ExpirationDate_A": 481,
}


def _moved(widgets: dict[str, Widget], rects: dict[str, Any]) -> dict[str, Widget]:
    return {
        key: Widget(w.name, key, rects.get(key, w.rect), w.align, w.checkbox)
        for key, w in widgets.items()
    }


def _other_line(widgets: dict[str, Widget], number: int) -> dict[str, Widget]:
    top = 792.0 - 530 - 13 * number
    line = {}
    for key in _OTHER_LINE_FIELDS:
        widget = widgets[key]
        x0, _, x1, _ = widget.rect
        line[key] = Widget(widget.name, key, (x0, top - 12, x1, top), widget.align, False)
    return line


def _rows_on_first_line(widgets: dict[str, Widget]) -> dict[str, Widget]:
    moved = dict(widgets)
    for key, top in _ROW_FIRST_LINE.items():
        widget = widgets[key]
        x0, _, x1, _ = widget.rect
        rect = (x0, 792.0 - top - 12, x1, 792.0 - top)
        moved[key] = Widget(widget.name, widget.key, rect, widget.align, widget.checkbox)
    return moved


_OTHER_LINE_FIELDS = {
    "OtherPolicy_InsurerLetterCode_A",
    "OtherPolicy_OtherPolicyDescription_A",
    "CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A",
    "OtherPolicy_SubrogationWaivedCode_A",
    "OtherPolicy_PolicyNumberIdentifier_A",
    "OtherPolicy_PolicyEffectiveDate_A",
    "OtherPolicy_PolicyExpirationDate_A",
    "OtherPolicy_CoverageCode_A",
    "OtherPolicy_CoverageLimitAmount_A",
}


class _Painter:
    """PDF text operators for values drawn into field rectangles, like an agency print."""

    def __init__(self, widths: list[float], rng: random.Random, *, font: bytes) -> None:
        self.widths = widths
        self.font = font
        self.rng = rng
        self.ops: list[bytes] = []
        self.size = rng.choice([8.0, 8.0, 7.5, 9.0])
        self.dx = rng.uniform(-2.0, 2.0)
        self.dy = rng.uniform(-1.5, 1.5)
        self.zapf = rng.random() < 0.2
        self.vector: random.Random | None = None  # check marks drawn as strokes

    def width(self, text: str, size: float) -> float:
        encoded = encode(text)
        return sum(self.widths[b] if b < len(self.widths) else 556 for b in encoded) * size / 1000

    def text(self, value: str, rect: tuple[float, float, float, float], align: int) -> None:
        x0, y0, x1, y1 = rect
        size = self.size
        while size > 5 and self.width(value, size) > (x1 - x0) - 3:
            size -= 0.5
        width = self.width(value, size)
        if align == 1:
            x = x0 + ((x1 - x0) - width) / 2
        elif align == 2:
            x = x1 - 2 - width
        else:
            x = x0 + 2
        y = y0 + ((y1 - y0) - size * 0.72) / 2
        self._show(value, x + self.dx, y + self.dy, size, self.font)

    def tick(self, rect: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = rect
        size = min(9.0, (y1 - y0) * 0.8)
        if self.vector is not None:
            self.ops.append(patterns.vector_tick(rect, self.vector))
        elif self.zapf:
            # ZapfDingbats "8" is a cross, the glyph ACORD's own checkboxes use.
            x, y = x0 + (x1 - x0 - size * 0.76) / 2, y0 + (y1 - y0 - size * 0.7) / 2
            self._show("8", x, y, size, b"/CWZ")
        else:
            x = x0 + (x1 - x0 - self.width("X", size)) / 2
            self._show("X", x, y0 + (y1 - y0 - size * 0.72) / 2, size, b"/CWF")

    def paragraph(self, value: str, rect: tuple[float, float, float, float]) -> None:
        x0, _, x1, y1 = rect
        size = min(self.size, 8.0)
        lines: list[str] = []
        for part in value.split("\n"):
            line = ""
            for word in part.split():
                candidate = f"{line} {word}".strip()
                if self.width(candidate, size) > (x1 - x0) - 6 and line:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        y = y1 - size - 2
        for line in lines:
            self._show(line, x0 + 3 + self.dx, y + self.dy, size, self.font)
            y -= size * 1.2

    def _show(self, value: str, x: float, y: float, size: float, font: bytes) -> None:
        literal = encode(value).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        self.ops.append(b"BT %s %.2f Tf 0 g %.2f %.2f Td (%s) Tj ET" % (font, size, x, y, literal))

    def content(self) -> bytes:
        return b"q\n" + b"\n".join(self.ops) + b"\nQ"


def encode(text: str) -> bytes:
    return text.encode("cp1252", errors="replace")
