"""Print patterns seen on real agency and carrier certificates, as seeded options of the printer.

Each pattern is its own generator option; `choose(seed, pattern)` turns them on with seeded
probabilities (the whole flattened corpus covers them) or turns on one alone (a corpus of one
pattern, for measuring). Anything a pattern changes in what the certificate says (a producer
that is a carrier with a HOME OFFICE box) is decided here and written into the truth here.
"""

from __future__ import annotations

import ctypes
import math
import random
from dataclasses import dataclass, field
from functools import cache

import pypdfium2 as pdfium

from tests.parsing import corpus_data as data
from tests.parsing.corpus_spec import Spec

PATTERNS = (
    "line_above",  # a phone, e-mail or account line printed above a name
    "home_office",  # a carrier as producer, its P.O. box captioned HOME OFFICE
    "insurer_labels",  # the agency prints "INSURER B :" itself, also on empty rows
    "redraw",  # a carrier's redrawn form: labels reworded and moved, no edition stamp
    "vector_ticks",  # check marks drawn as path strokes, not text
    "watermark",  # a large diagonal SAMPLE over the limits column
    "courier",  # values in Courier
    "rotated",  # the page stored with /Rotate 90, 180 or 270
)
# How often each pattern turns up in the mixed corpus.
_RATE = 0.05
# The print as agency systems made it before any of these patterns: no pattern at all.
PLAIN = "plain"


@dataclass
class Quirks:
    """Which patterns one print shows, with the pattern's own random source."""

    on: set[str] = field(default_factory=set)
    rng: random.Random = field(default_factory=random.Random)
    rotate: int = 0

    def __contains__(self, pattern: str) -> bool:
        return pattern in self.on


def choose(seed: int, pattern: str | None = None) -> Quirks:
    """The patterns of a seed's print: `pattern` alone (or none, PLAIN), or the seeded mix."""
    # A random source of its own, so the older quirks of a seed's print stay as they were.
    rng = random.Random(seed * 7919 + 101)
    if pattern == PLAIN:
        on: set[str] = set()
    elif pattern is not None:
        if pattern not in PATTERNS:
            raise ValueError(f"unknown pattern {pattern!r}; one of {', '.join(PATTERNS)}")
        on = {pattern}
    else:
        on = {name for name in PATTERNS if rng.random() < _RATE}
    return Quirks(on=on, rng=rng, rotate=rng.choice([90, 180, 270]) if "rotated" in on else 0)


def apply_to_spec(spec: Spec, quirks: Quirks) -> None:
    """What a pattern changes in the certificate itself (fields and truth together)."""
    if "home_office" not in quirks:
        return
    rng = quirks.rng
    name = rng.choice(data.INSURERS)
    box = f"P.O. Box {rng.randrange(100, 99999)}"
    prefix = "Producer_MailingAddress"
    f = spec.fields
    f["Producer_FullName_A"] = name
    f[f"{prefix}_LineOne_A"] = box
    f.pop(f"{prefix}_LineTwo_A", None)
    city = f"{f[f'{prefix}_CityName_A']}, {f[f'{prefix}_StateOrProvinceCode_A']}"
    spec.truth.producer.name = name
    spec.truth.producer.address = f"{box}, {city} {f[f'{prefix}_PostalCode_A']}"


# ---------------------------------------------------------------- values around the names

Rect = tuple[float, float, float, float]


def contact_line(rng: random.Random) -> str:
    """What agency systems print above a name: a phone, an e-mail, an account number."""
    area, number = rng.randrange(201, 989), rng.randrange(1000, 9999)
    phone = rng.choice([f"({area}){rng.randrange(200, 999)}-{number}", f"{area}-555-{number}"])
    email = f"{rng.choice(data.FIRST_NAMES).lower()}@{rng.choice(data.SURNAMES).lower()}.com"
    account = rng.choice(["Acct #", "Account No.", "Cust ID:", "Acct:"]) + (
        f" {rng.randrange(1000, 999999)}"
    )
    parts = rng.choice([[phone, email], [phone], [email], [account], [account, phone]])
    return " ".join(parts).replace("'", "")


def extra_texts(
    fields: dict[str, str], rects: dict[str, Rect], quirks: Quirks
) -> tuple[dict[str, str], dict[str, Rect], list[tuple[str, Rect]]]:
    """Values and boxes after the name patterns, and the further lines they print."""
    fields, rects = dict(fields), dict(rects)
    extra: list[tuple[str, Rect]] = []
    rng = quirks.rng
    if "line_above" in quirks:
        blocks = ["CertificateHolder"]
        for block in ("Producer", "NamedInsured"):
            if not fields.get(f"{block}_MailingAddress_LineTwo_A"):
                blocks.append(block)
        for block in rng.sample(blocks, rng.randint(1, len(blocks))):
            name_key = f"{block}_FullName_A"
            x0, y0, x1, y1 = rects[name_key]
            if block != "CertificateHolder":
                # No room above the name: the block moves down a line under the contact line.
                line_one = f"{block}_MailingAddress_LineOne_A"
                rects[line_one] = _down(rects[line_one])
                rects[name_key] = _down(rects[name_key])
                extra.append((contact_line(rng), (x0, y0, x1, y1)))
            else:
                extra.append((contact_line(rng), (x0, y1, x1, y1 + 12)))
    if "home_office" in quirks:
        key = "Producer_MailingAddress_LineOne_A"
        fields[key] = f"{rng.choice(['HOME OFFICE:', 'HOME OFFICE', 'Home Office:'])} {fields[key]}"
    if "insurer_labels" in quirks:
        for letter in "ABCDEF":
            key = f"Insurer_FullName_{letter}"
            x0, y0, x1, y1 = rects.get(key, rects["Insurer_NAICCode_" + letter])
            if key in rects:
                rects[key] = (x0 + 14, y0, x1, y1)
            # The agency's own label over the form's, a point or two off it.
            extra.append((f"INSURER {letter} :", (309.6 + rng.uniform(-1, 2), y0, 363.0, y1)))
    return fields, rects, extra


def _down(rect: Rect) -> Rect:
    x0, y0, x1, y1 = rect
    return x0, y0 - 12, x1, y1 - 12


# ---------------------------------------------------------------- drawn shapes


def vector_tick(rect: Rect, rng: random.Random) -> bytes:
    """A check mark as pdf-lib and similar flatteners draw it: strokes, an X or a tick."""
    x0, y0, x1, y1 = rect
    inset = min(x1 - x0, y1 - y0) * 0.2
    a, b, c, d = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if rng.random() < 0.5:
        path = b"%.2f %.2f m %.2f %.2f l %.2f %.2f m %.2f %.2f l S" % (a, b, c, d, a, d, c, b)
    else:
        mid = (a + c) / 2
        path = b"%.2f %.2f m %.2f %.2f l %.2f %.2f l S" % (a, (b + d) / 2, mid, b, c, d)
    return b"q 0 G %.2f w 1 J %s Q" % (rng.uniform(0.6, 1.2), path)


def watermark(rng: random.Random) -> bytes:
    """A large rotated SAMPLE across the limits column, drawn over the values."""
    size = rng.uniform(48, 80)
    angle = math.radians(rng.uniform(35, 65))
    cos, sin = math.cos(angle), math.sin(angle)
    # Centre of the word over the limits column (PDF space), the word about 3.3 sizes long.
    cx, cy = rng.uniform(480, 540), rng.uniform(330, 420)
    half = 1.65 * size
    x, y = cx - half * cos, cy - half * sin
    gray = rng.uniform(0.6, 0.9)
    return b"q %.2f g BT /CWF %.1f Tf %.4f %.4f %.4f %.4f %.2f %.2f Tm (SAMPLE) Tj ET Q" % (
        gray,
        size,
        cos,
        sin,
        -sin,
        cos,
        x,
        y,
    )


def rotation(degrees: int) -> tuple[bytes, tuple[float, float]]:
    """The matrix that draws an upright 612 x 792 sheet onto a page shown with /Rotate."""
    if degrees == 90:
        return b"0 1 -1 0 792 0 cm", (792.0, 612.0)
    if degrees == 180:
        return b"-1 0 0 -1 612 792 cm", (612.0, 792.0)
    return b"0 -1 1 0 0 612 cm", (792.0, 612.0)


# ---------------------------------------------------------------- a carrier's redrawn form

# Wording a carrier's own copy uses for the form's labels (line by line).
_REWORDED = {
    "PRODUCER": "AGENCY",
    "INSURED": "NAMED INSURED",
    "CERTIFICATE HOLDER": "HOLDER",
    "POLICY EFF": "EFFECTIVE",
    "POLICY EXP": "EXPIRATION",
    "TYPE OF INSURANCE": "COVERAGE TYPE",
    "INSURER(S) AFFORDING COVERAGE": "COMPANIES AFFORDING COVERAGE",
    "AUTHORIZED REPRESENTATIVE": "AUTHORIZED SIGNATURE",
    "CONTACT": "AGENT",
    "COVERAGES": "COVERAGE SUMMARY",
}
# Lines a redraw leaves out: the edition stamp, ACORD's notices.
_DROPPED = ("ACORD 25", "\u00a9", "The ACORD name")


@dataclass(frozen=True)
class Shift:
    """A redraw's geometry: x scaled and shifted, each block of the page moved up or down."""

    scale: float
    dx: float
    steps: tuple[tuple[float, float], ...]  # (from this top-left y on, move by)

    def x(self, x: float) -> float:
        return x * self.scale + self.dx

    def y(self, y: float) -> float:
        """A top-left y on the redrawn page."""
        moved = 0.0
        for start, by in self.steps:
            if y >= start:
                moved = by
        return y + moved

    def rect(self, rect: Rect) -> Rect:
        """A PDF-space rect on the redrawn page."""
        x0, y0, x1, y1 = rect
        return self.x(x0), 792 - self.y(792 - y0), self.x(x1), 792 - self.y(792 - y1)


def redraw_shift(rng: random.Random) -> Shift:
    """Blocks moved by a few points each, the way a carrier's layout differs from ACORD's."""
    starts = (0.0, 110.0, 160.0, 244.0, 286.0, 566.0, 650.0)
    # Each block a little lower than the one above moved (never onto it).
    moves, move = [], rng.uniform(-4, 4)
    for _ in starts:
        moves.append(move)
        move += rng.uniform(0, 4)
    steps = tuple(zip(starts, moves, strict=True))
    return Shift(rng.uniform(0.96, 1.0), rng.uniform(2, 10), steps)


def redraw_page(blank: bytes, shift: Shift, rng: random.Random, checkboxes: list[Rect]) -> bytes:
    """The form's labels redrawn (reworded, moved, no stamp), its check boxes as squares."""
    ops = [b"q 0 g"]
    for text, x, y, size in _label_lines(blank):
        if text.startswith(_DROPPED):
            continue
        if rng.random() < 0.8:
            text = _REWORDED.get(text, text)
        literal = text.encode("cp1252", "replace").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(
            b"BT /CWF %.1f Tf %.2f %.2f Td (%s) Tj ET"
            % (size, shift.x(x), 792 - shift.y(y), literal)
        )
    ops.append(b"0.5 w 0 G")
    for rect in checkboxes:
        x0, y0, x1, y1 = shift.rect(rect)
        ops.append(b"%.2f %.2f %.2f %.2f re S" % (x0 + 2, y0 + 2, x1 - x0 - 4, y1 - y0 - 4))
    ops.append(b"Q")
    return b"\n".join(ops)


@cache
def _label_lines(blank: bytes) -> tuple[tuple[str, float, float, float], ...]:
    """The blank's printed lines: text, left x, baseline (top-left y), font size."""
    document = pdfium.PdfDocument(blank)
    lines: list[list[tuple[str, float, float, float]]] = []
    try:
        textpage = document[0].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char or char in "\r\n\x02":
                continue
            pdfium.raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            # The form draws its text through a scaling matrix: the size is the glyph box's.
            _, bottom, _, top = textpage.get_charbox(i, loose=True)
            size = max(5.0, round((top - bottom) * 0.87, 1))
            last = lines[-1][-1] if lines else None
            if last and abs(last[2] - y.value) < 0.5 and -1 < x.value - last[1] < 12:
                lines[-1].append((char, x.value, y.value, size))
            else:
                lines.append([(char, x.value, y.value, size)])
        textpage.close()
    finally:
        document.close()
    out = []
    for line in lines:
        text = " ".join("".join(c[0] for c in line).split())
        if text:
            out.append((text, line[0][1], 792 - line[0][2], line[0][3]))
    return tuple(out)
