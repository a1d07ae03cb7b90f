"""Scans of certificates printed the ways outside agencies print them, with their ground truth.

Each pattern starts from a generated certificate (`corpus_spec.make_spec`, printed flat on the
2016/03 blank by `corpus_print.print_flat`) and draws over the printed page what real outside
certificates show and the plain corpus does not; the page is then scanned (`scans.make_scan`):

- "leaky_labels": values printed tight against their labels (the contact name beside CONTACT
  or NAME:, an insurer's name glued to "INSURER A :", the insured and holder names on their
  label's line), now and then no contact at all (NAME: alone) or a contact name that holds a
  label word ("CLIENT CONTACT CENTER");
- "empty_insurers": one to three insurers, every INSURER row's letter and colon printed apart
  from the word INSURER, so an empty row shows "B :" or "C:" by itself;
- "marks": every policy with its INSR LTR, Y or N in ADDL INSD and SUBR WVD, drawn by another
  system (bold or not, on the row's first line or its middle);
- "redrawn": a carrier's redrawn copy: many labels worded otherwise and moved, no edition
  stamp, and on half of them every glyph drawn as its outline;
- "watermark": a grey diagonal "SAMPLE" across the limits column.

The truth is written from these decisions, never from the product's parsing code.
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import dataclass, field
from functools import cache

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from coverwatch.certificates.schemas import CertificateData, Form, Source
from tests.parsing.corpus_print import BLANK, blank, encode, print_flat
from tests.parsing.corpus_spec import EDITION, Spec, make_spec
from tests.parsing.scans import make_scan

PATTERNS = ("leaky_labels", "empty_insurers", "marks", "redrawn", "watermark")

# Helvetica's advance widths (per 1000) for the letters the overlays print; others count 600.
_NARROW = {" ": 278, ":": 278, ".": 278, ",": 278, "I": 278, "(": 333, ")": 333, "/": 278}
_ROW_TOPS = {"general_liability": 299.8, "auto_liability": 383.8, "umbrella": 443.8}
_ROW_TOPS |= {"excess": 443.8, "workers_comp": 479.8, "other": 527.8}
# Per policy type: (INSR LTR, ADDL INSD, SUBR WVD) field names; WC prints N/A under ADDL INSD.
_ROW_FIELDS: dict[str, tuple[str, str | None, str]] = {
    "general_liability": (
        "GeneralLiability_InsurerLetterCode_A",
        "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A",
        "Policy_GeneralLiability_SubrogationWaivedCode_A",
    ),
    "auto_liability": (
        "Vehicle_InsurerLetterCode_A",
        "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A",
        "Policy_AutomobileLiability_SubrogationWaivedCode_A",
    ),
    "umbrella": (
        "ExcessUmbrella_InsurerLetterCode_A",
        "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A",
        "Policy_ExcessLiability_SubrogationWaivedCode_A",
    ),
    "workers_comp": (
        "WorkersCompensationEmployersLiability_InsurerLetterCode_A",
        None,
        "Policy_WorkersCompensation_SubrogationWaivedCode_A",
    ),
    "other": (
        "OtherPolicy_InsurerLetterCode_A",
        "CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A",
        "OtherPolicy_SubrogationWaivedCode_A",
    ),
}
_ROW_FIELDS["excess"] = _ROW_FIELDS["umbrella"]
# Contact names that hold a word of the labels around them, as service desks sign.
_DESK_NAMES = ("CLIENT CONTACT CENTER", "Certificate Service Center", "Commercial Lines Desk")
# Label rewordings of redrawn carrier copies: (printed label, new wording).
_REWORDED = (
    ("PRODUCER", "AGENCY"),
    ("INSURED", "NAMED INSURED"),
    ("CERTIFICATE HOLDER", "HOLDER OF CERTIFICATE"),
    ("CONTACT", "AGENT"),
    ("NAME:", "CONTACT:"),
    ("INSURER(S) AFFORDING COVERAGE", "COMPANIES PROVIDING COVERAGE"),
    ("POLICY NUMBER", "POLICY NO."),
    ("TYPE OF INSURANCE", "COVERAGE TYPE"),
    ("COMMERCIAL GENERAL LIABILITY", "GENERAL LIABILITY"),
    ("AUTOMOBILE LIABILITY", "AUTO LIABILITY"),
    ("EACH OCCURRENCE", "PER OCCURRENCE"),
    ("GENERAL AGGREGATE", "AGGREGATE LIMIT"),
    ("DESCRIPTION OF OPERATIONS", "REMARKS"),
    ("CANCELLATION", "NOTICE"),
    ("COVERAGES", "SCHEDULE"),
    ("PHONE", "TEL"),
    ("E-MAIL", "EMAIL"),
)
# The printed paragraphs (disclaimer, IMPORTANT box, certification), top to bottom in points.
_PARAGRAPHS = ((60.0, 118.0), (252.0, 287.0))


@dataclass
class _Overlay:
    """Drawing operators put over a printed page, in form points from the top-left."""

    ops: list[bytes] = field(default_factory=list)
    under: list[bytes] = field(default_factory=list)  # drawn before the page, behind it
    outlines: bool = False  # every glyph of the page drawn as its outline, not filled

    def white(self, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        self.ops.append(b"1 g %.2f %.2f %.2f %.2f re f" % (x0, 792 - y1, x1 - x0, y1 - y0))

    def text(
        self, value: str, x: float, baseline: float, size: float, *, bold: bool = False
    ) -> None:
        literal = encode(value).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        font = b"/PWB" if bold else b"/PWF"
        self.ops.append(
            b"BT %s %.2f Tf 0 g %.2f %.2f Td (%s) Tj ET" % (font, size, x, 792 - baseline, literal)
        )

    def slanted(
        self,
        value: str,
        x: float,
        baseline: float,
        size: float,
        *,
        degrees: float,
        grey: float,
        behind: bool,
    ) -> None:
        cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        (self.under if behind else self.ops).append(
            b"BT /PWB %.2f Tf %.2f g %.4f %.4f %.4f %.4f %.2f %.2f Tm (%s) Tj ET"
            % (size, grey, cos, sin, -sin, cos, x, 792 - baseline, encode(value))
        )


def width(text: str, size: float) -> float:
    """Helvetica's width of a text (points), near enough for placing overlays."""
    return sum(_NARROW.get(ch, 556 if ch.islower() else 667) for ch in text) * size / 1000


@cache
def label_boxes(text: str) -> tuple[tuple[float, float, float, float], ...]:
    """Where the 2016/03 blank prints a label: boxes in points from the top-left."""
    document = pdfium.PdfDocument(blank(BLANK))
    try:
        page = document[0]
        height = page.get_height()
        textpage = page.get_textpage()
        search = textpage.search(text, match_case=True, match_whole_word=True)
        found = []
        while (hit := search.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            found.append(
                (
                    min(b[0] for b in boxes),
                    height - max(b[3] for b in boxes),
                    max(b[2] for b in boxes),
                    height - min(b[1] for b in boxes),
                )
            )
        return tuple(found)
    finally:
        document.close()


def scan(seed: int, *, pattern: str) -> tuple[bytes, CertificateData]:
    """A scan of the pattern's certificate for a seed, and what it says."""
    pdf, truth = printed(seed, pattern=pattern)
    return make_scan(pdf, seed=seed), truth


def scans(seeds: list[int], *, pattern: str) -> list[tuple[int, bytes, CertificateData]]:
    """(seed, scan, truth) for each seed of one pattern."""
    return [(seed, *scan(seed, pattern=pattern)) for seed in seeds]


def printed(seed: int, *, pattern: str) -> tuple[bytes, CertificateData]:
    """The pattern's certificate for a seed as a flat PDF, and its truth."""
    if pattern not in PATTERNS:
        raise ValueError(f"unknown pattern {pattern!r}; one of {', '.join(PATTERNS)}")
    spec = make_spec(seed)
    # Further OTHER lines are the plain corpus's business: one policy per row here.
    spec.extra_other = []
    rng = random.Random(f"{pattern}:{seed}")
    overlay = _Overlay()
    {
        "leaky_labels": _leaky_labels,
        "empty_insurers": _empty_insurers,
        "marks": _marks,
        "redrawn": _redrawn,
        "watermark": _watermark,
    }[pattern](spec, rng, overlay)
    pdf = print_flat(spec, rng=random.Random(seed * 31 + 7), edition=EDITION)
    truth = spec.truth.model_copy(deep=True)
    truth.source = Source(method="ocr", pages=1)
    return _drawn_over(pdf, overlay), truth


def _leaky_labels(spec: Spec, rng: random.Random, overlay: _Overlay) -> None:
    size = rng.choice([7.0, 7.5, 8.0])
    producer = spec.truth.producer
    contact_field = "Producer_ContactPerson_FullName_A"
    spec.fields.pop(contact_field, None)
    roll = rng.random()
    if roll < 0.2:
        producer.contact_name = None
    else:
        if roll < 0.45:
            producer.contact_name = rng.choice(_DESK_NAMES)
        if producer.contact_name:
            # Beside CONTACT (the label's first line) or beside NAME: (its second).
            (label,) = label_boxes("CONTACT") if rng.random() < 0.5 else label_boxes("NAME:")
            overlay.text(producer.contact_name, label[2] + rng.uniform(0.8, 2.2), label[3], size)
    for insurer in spec.truth.insurers:
        name_field = f"Insurer_FullName_{insurer.letter}"
        spec.fields.pop(name_field, None)
        (label,) = label_boxes(f"INSURER {insurer.letter} :")
        overlay.text(insurer.name, label[2] + rng.uniform(0.3, 1.8), label[3], size)
    if spec.truth.insured.name and rng.random() < 0.6:
        spec.fields.pop("NamedInsured_FullName_A", None)
        label = label_boxes("INSURED")[0]
        overlay.text(spec.truth.insured.name, label[2] + rng.uniform(1.0, 3.0), label[3], size)
    holder = spec.truth.certificate_holder
    if holder.name and rng.random() < 0.6:
        spec.fields.pop("CertificateHolder_FullName_A", None)
        label = next(box for box in label_boxes("CERTIFICATE HOLDER") if box[1] > 600)
        overlay.text(holder.name, label[2] + rng.uniform(1.5, 4.0), label[3], size)


def _insurer_rows_apart(rng: random.Random, overlay: _Overlay) -> None:
    """Every INSURER row relabelled with its letter and colon set apart from the word."""
    for letter in "ABCDEF":
        (label,) = label_boxes(f"INSURER {letter} :")
        x0, y0, x1, y1 = label
        overlay.white((x0 - 0.3, y0 - 0.3, x1 + 0.6, y1 + 0.3))
        size = y1 - y0 + 0.6
        overlay.text("INSURER", x0, y1, size)
        mark = letter + rng.choice([" :", ":", ":"])
        # The letter where the value cell begins: 4-10 points of paper after the word.
        gap = rng.uniform(4.0, 10.0)
        overlay.text(mark, x0 + width("INSURER", size) + gap, y1, size)


def _empty_insurers(spec: Spec, rng: random.Random, overlay: _Overlay) -> None:
    insurers = spec.truth.insurers
    kept = insurers[: min(len(insurers), rng.randint(1, 3))]
    letters = [insurer.letter for insurer in kept]
    for insurer in insurers[len(kept) :]:
        spec.fields.pop(f"Insurer_FullName_{insurer.letter}", None)
        spec.fields.pop(f"Insurer_NAICCode_{insurer.letter}", None)
    spec.truth.insurers = kept
    for policy in spec.truth.policies:
        if policy.insurer_letter and policy.insurer_letter not in letters:
            policy.insurer_letter = rng.choice(letters)
            spec.fields[_ROW_FIELDS[policy.type][0]] = policy.insurer_letter
    _insurer_rows_apart(rng, overlay)


def _marks(spec: Spec, rng: random.Random, overlay: _Overlay) -> None:
    size = rng.choice([7.0, 8.0, 9.0])
    bold = rng.random() < 0.5
    first_line = rng.random() < 0.6
    letters = [insurer.letter for insurer in spec.truth.insurers]
    for policy in spec.truth.policies:
        letter_field, addl_field, subr_field = _ROW_FIELDS[policy.type]
        top = _ROW_TOPS[policy.type]
        baseline = top + 9.5 if first_line else top + 12 + 9.5
        policy.insurer_letter = policy.insurer_letter or rng.choice(letters)
        spec.fields.pop(letter_field, None)
        overlay.text(
            policy.insurer_letter,
            26.6 - width(policy.insurer_letter, size) / 2,
            baseline,
            size,
            bold=bold,
        )
        for name, column in ((addl_field, 185.2), (subr_field, 203.2)):
            if name is None:
                continue
            yes = rng.random() < 0.35
            mark = "Y" if yes else "N"
            spec.fields.pop(name, None)
            if name == addl_field:
                policy.additional_insured = yes
            else:
                policy.waiver_of_subrogation = yes
            overlay.text(mark, column - width(mark, size) / 2, baseline, size, bold=bold)


def _redrawn(spec: Spec, rng: random.Random, overlay: _Overlay) -> None:
    # No edition stamp on a carrier's own copy.
    spec.truth.form = Form(edition=None)
    for box in label_boxes("ACORD 25 (2016/03)"):
        overlay.white((box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1))
    # Half of them draw their glyphs as outlines (a PDF with no text layer to speak of).
    overlay.outlines = rng.random() < 0.5
    dx, dy = rng.uniform(-6.0, 6.0), rng.uniform(-2.0, 2.0)
    for old, new in _REWORDED:
        if rng.random() < 0.25:
            continue
        for x0, y0, x1, y1 in label_boxes(old):
            if any(top <= y0 <= bottom for top, bottom in _PARAGRAPHS):
                continue  # the word inside a printed paragraph, not a label
            overlay.white((x0 - 0.4, y0 - 0.4, x1 + 0.4, y1 + 0.4))
            overlay.text(new, max(19.0, x0 + dx), y1 + dy, max(5.0, y1 - y0 + 0.5))


def _watermark(spec: Spec, rng: random.Random, overlay: _Overlay) -> None:
    size = rng.uniform(44.0, 64.0)
    degrees = rng.uniform(25.0, 50.0)
    # From the lower left of the limits column up to its upper right.
    x = rng.uniform(405.0, 430.0)
    baseline = rng.uniform(470.0, 520.0)
    overlay.slanted(
        rng.choice(["SAMPLE", "SAMPLE", "COPY"]),
        x,
        baseline,
        size,
        degrees=degrees,
        grey=rng.uniform(0.55, 0.8),
        # Most watermarks lie under the print; some stamps cover what they cross.
        behind=rng.random() < 0.7,
    )


_FIT_TO_PAGE = re.compile(rb"^q (\S+) 0 0 (\S+) (\S+) (\S+) cm\n")


def _drawn_over(pdf: bytes, overlay: _Overlay) -> bytes:
    if not overlay.ops and not overlay.under and not overlay.outlines:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    body = b"\n".join(overlay.ops)
    fit = _FIT_TO_PAGE.match(contents.get_data())
    if fit:
        # The print was scaled to fit the page: the overlay goes where the form went.
        body = b"q %s 0 0 %s %s %s cm\n%s\nQ" % (*fit.groups(), body)
    stream = DecodedStreamObject()
    under = b"\n".join(overlay.under)
    if fit and under:
        under = b"q %s 0 0 %s %s %s cm\n%s\nQ" % (*fit.groups(), under)
    page_content = contents.get_data() + b"\nq\n" + body + b"\nQ"
    if overlay.outlines:
        # Text render mode 1 strokes each glyph's outline; the mode holds until the Q.
        page_content = b"q 1 Tr 0.3 w 0 G\n" + page_content + b"\nQ"
    stream.set_data(b"q\n" + under + b"\nQ\n" + page_content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    fonts = page["/Resources"].get_object()["/Font"].get_object()
    for name, base in (("/PWF", "/Helvetica"), ("/PWB", "/Helvetica-Bold")):
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
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
