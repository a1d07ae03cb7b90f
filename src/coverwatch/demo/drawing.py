"""Certificate PDFs drawn from a certificate's data (for the demo and the tests).

`certificate_pdf` draws one flattened page in the ACORD 25 (2016/03) layout: the printed labels
where the form has them and every value in its box, as an agency system prints a certificate.
Labels and boxes come from the layout reader's own template, so the page is drawn where the
reader looks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from string import ascii_uppercase

from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject, TextStringObject

from coverwatch.certificates.schemas import CertificateData, Policy
from coverwatch.parsing.layout.template import ANCHORS, ROW_ZONES

_HEIGHT = 792.0
# pdfium's character boxes for Helvetica have their middle this far (x size) above the baseline,
# and the reader places a word by that middle.
_MIDDLE = 0.361
_VALUE_SIZE = 8.0
# (size, font, labels): labels printed larger or in bold; the others are the form's 5-point print.
_STYLES: tuple[tuple[float, str, tuple[str, ...]], ...] = (
    (13.0, "B", ("CERTIFICATE OF LIABILITY INSURANCE",)),
    (8.0, "B", ("ACORD 25",)),
    (7.0, "B", ("COVERAGES",)),
    (6.5, "B", ("PRODUCER", "INSURED", "CERTIFICATE HOLDER", "CANCELLATION")),
    (6.0, "B", ("CERTIFICATE NUMBER:", "REVISION NUMBER:", "TYPE OF INSURANCE", "LIMITS")),
    (6.0, "B", ("POLICY NUMBER",)),
    (6.0, "R", ("DATE (MM/DD/YYYY)",)),
    (5.5, "R", ("AUTHORIZED REPRESENTATIVE",)),
    (5.5, "B", ("INSURER(S) AFFORDING COVERAGE", "NAIC #", "COMMERCIAL GENERAL LIABILITY")),
    (5.5, "B", ("AUTOMOBILE LIABILITY", "UMBRELLA LIAB", "EXCESS LIAB", "WORKERS COMPENSATION")),
    (5.5, "B", ("AND EMPLOYERS' LIABILITY", "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES")),
)
_STYLE = {label: (size, font) for size, font, labels in _STYLES for label in labels}
# The edition is read from the footer, so it is printed with its anchor as one run.
_PRINTED_AS = {"ACORD 25": "ACORD 25 (2016/03)"}
# Printed text that is no anchor, "x middle size font wrap-width | words" (further lines go on
# with the words). All of it lies outside every value zone, so none of it is read as a value.
_SMALL_PRINT = """
21.6 58 5.5 B 574 | THIS CERTIFICATE IS ISSUED AS A MATTER OF INFORMATION ONLY AND CONFERS NO
RIGHTS UPON THE CERTIFICATE HOLDER. THIS CERTIFICATE DOES NOT AFFIRMATIVELY OR NEGATIVELY AMEND,
EXTEND OR ALTER THE COVERAGE AFFORDED BY THE POLICIES BELOW. THIS CERTIFICATE OF INSURANCE DOES
NOT CONSTITUTE A CONTRACT BETWEEN THE ISSUING INSURER(S), AUTHORIZED REPRESENTATIVE OR PRODUCER,
AND THE CERTIFICATE HOLDER.
24 86 5.5 R 566 | IMPORTANT: If the certificate holder is an ADDITIONAL INSURED, the policy(ies)
must have ADDITIONAL INSURED provisions or be endorsed. If SUBROGATION IS WAIVED, subject to the
terms and conditions of the policy, certain policies may require an endorsement. A statement on
this certificate does not confer rights to the certificate holder in lieu of such endorsement(s).
21.6 259 5 R 574 | THIS IS TO CERTIFY THAT THE POLICIES OF INSURANCE LISTED BELOW HAVE BEEN ISSUED
TO THE INSURED NAMED ABOVE FOR THE POLICY PERIOD INDICATED. NOTWITHSTANDING ANY REQUIREMENT, TERM
OR CONDITION OF ANY CONTRACT OR OTHER DOCUMENT WITH RESPECT TO WHICH THIS CERTIFICATE MAY BE
ISSUED OR MAY PERTAIN, THE INSURANCE AFFORDED BY THE POLICIES DESCRIBED HEREIN IS SUBJECT TO ALL
THE TERMS, EXCLUSIONS AND CONDITIONS OF SUCH POLICIES. LIMITS SHOWN MAY HAVE BEEN REDUCED BY PAID
CLAIMS.
337.3 296.8 5 R 0 | (MM/DD/YYYY)
383.7 296.8 5 R 0 | (MM/DD/YYYY)
54 416.6 4.5 R 0 | AUTOS ONLY
122.4 416.6 4.5 R 0 | AUTOS
54 428.6 4.5 R 0 | AUTOS ONLY
122.4 428.6 4.5 R 0 | AUTOS ONLY
492 483.3 5 R 0 | OTH-
492 488.8 5 R 0 | ER
205 569.8 5 R 0 | (ACORD 101, Additional Remarks Schedule, may be attached if more space is
required)
312 668 6 R 276 | SHOULD ANY OF THE ABOVE DESCRIBED POLICIES BE CANCELLED BEFORE THE EXPIRATION
DATE THEREOF, NOTICE WILL BE DELIVERED IN ACCORDANCE WITH THE POLICY PROVISIONS.
330 762 6 I 0 | Sample certificate drawn for a demonstration: it is not evidence of insurance.
"""
# Ruled lines "x0 y0 x1 y1" in template points: the form's boxes, for the eye only.
_RULES = """
18 76 594 76; 18 112 594 112; 18 76 18 112; 594 76 594 112; 18 118 594 118; 306 118 306 242;
306 160 594 160; 18 182 306 182; 540 168 540 242; 18 242 594 242; 18 253 594 253;
18 286 594 286; 18 299.5 594 299.5; 18 384 594 384; 18 444 594 444; 18 480 594 480;
18 528 594 528; 18 566 594 566; 18 648 594 648; 306 648 306 748; 306 708 594 708;
18 748 594 748; 18 118 18 748; 594 118 594 748; 37 286 37 566; 175 286 175 566;
194 286 194 566; 213.5 286 213.5 566; 330 286 330 566; 378 286 378 566; 426 286 426 566;
516 299.5 516 566
"""

# Where values are written (template points, from the 2016/03 field boxes): the line of each
# grid row that holds its letter, marks, number and dates, and those columns.
_ROW_LINE = {"general_liability": 336.0, "auto_liability": 408.0, "excess_umbrella": 456.0}
_ROW_LINE |= {"workers_comp": 498.0, "other": 540.0}
_CELLS = {"letter": (18.0, 36.0, "C"), "addl": (176.0, 194.0, "C"), "subr": (194.0, 212.0, "C")}
_CELLS |= {"number": (216.0, 328.0, "L"), "effective": (331.0, 378.0, "C")}
_CELLS |= {"expiration": (378.0, 425.0, "C")}
_AMOUNT_X = (526.0, 588.0)
_SECTIONS = {"umbrella": "excess_umbrella", "excess": "excess_umbrella"}
_OTHER_LABELS = {"each_occurrence": "EACH OCCURRENCE", "aggregate": "AGGREGATE", "retention": "SIR"}
_AGGREGATE_BOX = {"policy": "per_policy", "project": "per_project", "location": "per_location"}
_MARKS = {True: "Y", False: "N", None: ""}
# The reader's zones by (section, role): checkboxes, limit amounts and the spare limit lines.
_ZONES: dict[tuple[str, str], tuple[float, float, float, float]] = {
    (zone.section, zone.role): zone.box for zone in ROW_ZONES
}
_CHECKBOXES = tuple(zone.box for zone in ROW_ZONES if zone.checkbox)
_AMOUNT_LINES = tuple(zone.box for zone in ROW_ZONES if zone.box[0] == 516.0)
# Helvetica character widths (in ems) by class, each a little above the widest of its class.
_WIDTHS = {" .,:;'!|il": 0.28, "fjrtI()[]-/": 0.34, "mwMW@%": 0.95, ascii_uppercase + "&#": 0.78}
_STATE_ZIP = re.compile(r"^[A-Z]{2}\s+\d{5}(?:-\d{4})?$")


def certificate_pdf(data: CertificateData) -> bytes:
    """A one-page flattened ACORD 25 (2016/03) certificate showing `data`."""
    page = _Page()
    page.form()
    page.header(data)
    rows: set[str] = set()
    for policy in data.policies:
        section = _SECTIONS.get(policy.type, policy.type)
        if section in rows:
            raise ValueError(f"only one policy fits the {section} row of the form")
        rows.add(section)
        page.policy(policy, section)
    return page.pdf()


# ---------------------------------------------------------------- drawing


class _Page:
    """Content-stream operators for one Letter page, in template points (origin top left)."""

    def __init__(self) -> None:
        self.ops: list[bytes] = []

    def text(self, value: str, x: float, middle: float, size: float, font: str = "R") -> None:
        raw = value.encode("cp1252", errors="replace")
        literal = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        baseline = _HEIGHT - middle - _MIDDLE * size
        operators = b"BT /F%s %.2f Tf %.2f %.2f Td (%s) Tj ET"
        self.ops.append(operators % (font.encode(), size, x, baseline, literal))

    def fitted(self, value: str, box: tuple[float, float, float, float], align: str = "L") -> None:
        x0, y0, x1, y1 = box
        size = _VALUE_SIZE
        while size > 5.0 and _width(value, size) > x1 - x0 - 2:
            size -= 0.5
        width = _width(value, size)
        x = {"L": x0 + 1, "C": (x0 + x1 - width) / 2, "R": x1 - width}[align]
        self.text(value, x, (y0 + y1) / 2, size)

    def lines(self, lines: list[str], *, x: float, middle: float, size: float, font: str) -> None:
        for i, line in enumerate(lines):
            self.text(line, x, middle + 1.2 * size * i, size, font)

    def form(self) -> None:
        self.ops.append(b"0.6 w 0 G")
        for rule in _RULES.replace("\n", " ").split(";"):
            x0, y0, x1, y1 = (float(n) for n in rule.split())
            self.ops.append(b"%.2f %.2f m %.2f %.2f l S" % (x0, _HEIGHT - y0, x1, _HEIGHT - y1))
        for x0, y0, x1, y1 in _CHECKBOXES:
            cx, cy = (x0 + x1) / 2, _HEIGHT - (y0 + y1) / 2
            self.ops.append(b"%.2f %.2f 7 7 re S" % (cx - 3.5, cy - 3.5))
        for anchor in ANCHORS:
            label = anchor.phrases[0]
            size, font = _STYLE.get(label, (5.0, "R"))
            self.text(_PRINTED_AS.get(label, label), anchor.x, anchor.y, size, font)
        for x, middle, size, font, width, words in _small_print():
            lines = _wrapped(words, width, size) if width else [words]
            self.lines(lines, x=x, middle=middle, size=size, font=font)
        for _, y0, _, y1 in _AMOUNT_LINES:
            self.text("$", 517.2, (y0 + y1) / 2, 6.0)

    def header(self, data: CertificateData) -> None:
        if data.certificate_date:
            self.fitted(f"{data.certificate_date:%m/%d/%Y}", (511, 36, 590, 48), "C")
        producer, insured, holder = data.producer, data.insured, data.certificate_holder
        self.block([producer.name, *_address_lines(producer.address)], x=22, top=132)
        self.block([insured.name, *_address_lines(insured.address)], x=72, top=192)
        self.block([holder.name, *_address_lines(holder.address)], x=72, top=690)
        for value, box in (
            (producer.contact_name, (346, 120, 590, 132)),
            (producer.phone, (353, 132, 479, 144)),
            (producer.email, (346, 144, 590, 156)),
        ):
            if value:
                self.fitted(value, box)
        for insurer in data.insurers:
            if insurer.letter not in "ABCDEF" or len(insurer.letter) != 1:
                raise ValueError(f"the form lists insurers A to F, not {insurer.letter!r}")
            top = 168 + 12 * "ABCDEF".index(insurer.letter)
            self.fitted(insurer.name, (349, top, 536, top + 12))
            if insurer.naic:
                self.fitted(insurer.naic, (544, top, 590, top + 12), "C")
        if producer.contact_name:  # the authorized representative's signature
            self.text(producer.contact_name, 330, 730, 11.0, "I")
        if data.description_of_operations:
            self.paragraph(data.description_of_operations, (24, 576, 588, 644))

    def block(self, lines: list[str | None], *, x: float, top: float) -> None:
        kept = [line for line in lines if line]
        if len(kept) > 4:
            raise ValueError("a name and address block holds four lines")
        for i, line in enumerate(kept):
            self.fitted(line, (x, top + 12 * i, 302, top + 12 * (i + 1)))

    def paragraph(self, value: str, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        for size in (7.0, 6.5, 6.0, 5.5, 5.0):
            lines = _wrapped(value, x1 - x0, size)
            if len(lines) * size * 1.2 <= y1 - y0:
                self.lines(lines, x=x0, middle=y0 + 0.6 * size, size=size, font="R")
                return
        raise ValueError("the text is too long for its box on the form")

    def policy(self, policy: Policy, section: str) -> None:
        top = _ROW_LINE[section]
        cells = {
            "letter": policy.insurer_letter or "",
            # The WC row prints N/A there: the form has no additional insured on WC.
            "addl": "" if section == "workers_comp" else _MARKS[policy.additional_insured],
            "subr": _MARKS[policy.waiver_of_subrogation],
            "number": policy.policy_number or "",
            "effective": f"{policy.effective_date:%m/%d/%Y}" if policy.effective_date else "",
            "expiration": f"{policy.expiration_date:%m/%d/%Y}" if policy.expiration_date else "",
        }
        for role, value in cells.items():
            x0, x1, align = _CELLS[role]
            if value:
                self.fitted(value, (x0, top, x1, top + 12), align)
        if section == "workers_comp":  # proprietors excluded? The usual answer.
            self.text("N", 162.0, 504.0, _VALUE_SIZE)
        for role in _boxes(policy, section):
            x0, y0, x1, y1 = _ZONES[(section, role)]
            self.text("X", (x0 + x1) / 2 - 2.3, (y0 + y1) / 2, 7.0, "B")
        if section == "other":
            if policy.description:
                self.paragraph(policy.description, (40, 530, 173, 564))
            limits = list(policy.limits.items())
            for i, (key, amount) in enumerate(limits):
                if key not in _OTHER_LABELS or len(limits) > 3:
                    raise ValueError(f"the OTHER row of the form cannot show its {key} limit")
                top = 528 + 12 * i
                self.fitted(_OTHER_LABELS[key], (432, top, 511, top + 12))
                self.fitted(f"{amount:,}", (_AMOUNT_X[0], top, _AMOUNT_X[1], top + 12), "R")
            return
        for key, amount in policy.limits.items():
            line: str = key
            if key == "retention" and section == "excess_umbrella":
                x0, y0, x1, y1 = _ZONES[(section, "retention_amount")]
                self.fitted(f"{amount:,}", (x0 + 2, y0, x1 - 2, y1), "R")
                continue
            if key == "retention":  # a self-insured retention on the row's spare limit line
                line = "extra_limit_amount"
                self.fitted("SIR", _ZONES[(section, "extra_limit_label")])
            if (section, line) not in _ZONES:
                raise ValueError(f"the {section} row of the form has no {key} limit")
            _, y0, _, y1 = _ZONES[(section, line)]
            self.fitted(f"{amount:,}", (_AMOUNT_X[0], y0, _AMOUNT_X[1], y1), "R")

    def pdf(self) -> bytes:
        writer = PdfWriter()
        page = writer.add_blank_page(612, _HEIGHT)
        fonts = DictionaryObject()
        for key, name in (("R", "Helvetica"), ("B", "Helvetica-Bold"), ("I", "Helvetica-Oblique")):
            font = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": f"/{name}"}
            font["/Encoding"] = "/WinAnsiEncoding"  # what the text is encoded in (cp1252)
            fonts[NameObject(f"/F{key}")] = DictionaryObject(
                {NameObject(k): NameObject(v) for k, v in font.items()}
            )
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        content = ContentStream(None, writer)
        content.set_data(b"\n".join(self.ops))
        page.replace_contents(content)
        page.compress_content_streams()
        writer.add_metadata({"/Title": TextStringObject("Certificate of Liability Insurance")})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _small_print() -> Iterator[tuple[float, float, float, str, float, str]]:
    for entry in re.split(r"\n(?=[^\n|]*\|)", _SMALL_PRINT.strip()):
        head, _, words = entry.partition("|")
        x, middle, size, font, width = head.split()
        yield float(x), float(middle), float(size), font, float(width), " ".join(words.split())


def _boxes(policy: Policy, section: str) -> list[str]:
    """The checkboxes a policy ticks on its row."""
    ticked: list[str] = []
    if section == "general_liability":
        ticked.append("covered")
        if policy.aggregate_applies_per:
            ticked.append(_AGGREGATE_BOX[policy.aggregate_applies_per])
    if section == "excess_umbrella":
        ticked.append("excess" if policy.type == "excess" else "umbrella")
        if "retention" in policy.limits:
            ticked.append("retention_box")
    if section in ("general_liability", "excess_umbrella") and policy.claims_made is not None:
        ticked.append("claims_made" if policy.claims_made else "occurrence")
    if section == "auto_liability":
        ticked.extend(policy.autos)
    if section == "workers_comp" and policy.statutory is not None:
        ticked.append("statutory" if policy.statutory else "other_box")
    return ticked


def _address_lines(address: str | None) -> list[str]:
    """An address as the form prints it: street lines, then "City, ST ZIP"."""
    parts = [part.strip() for part in (address or "").split(",") if part.strip()]
    if len(parts) >= 3 and _STATE_ZIP.match(parts[-1]):
        parts = [*parts[:-2], f"{parts[-2]}, {parts[-1]}"]
    if len(parts) > 3:
        parts = [", ".join(parts[:-2]), *parts[-2:]]
    return parts


def _width(text: str, size: float) -> float:
    """Helvetica text width, rounded up by character class (enough to fit a value in its box)."""
    em = (next((w for chars, w in _WIDTHS.items() if char in chars), 0.56) for char in text)
    return sum(em) * size


def _wrapped(value: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for part in value.split("\n"):
        line = ""
        for word in part.split():
            candidate = f"{line} {word}".strip()
            if line and _width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines
