"""Values as agents really type them, normalised: dates, dollar amounts, Y/N/X marks, letters.

Every parser returns a `Parsed`: the value (None when the text holds none or we are unsure), a
confidence for the normalisation alone (the reader multiplies in its own), and a `kind` naming a
special answer ("excluded", "not_applicable", "statutory"...). OCR look-alikes (O/0, l/1, S/5)
are corrected only inside a field whose type leaves one possible answer: a dollar amount or a
date cannot contain the letter O, so "1,OOO,OOO" is 1000000; a policy number can, so it is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")

# A value whose confidence is below this goes to needs_review.
REVIEW_THRESHOLD = 0.8
# A value in which look-alike characters had to be corrected keeps this much confidence: the
# field's type makes the answer certain, the reading of the rest of the value is less so.
_CORRECTION_FACTOR = 0.92


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A normalised value, how sure the normalisation is, and what special answer it was."""

    value: T | None
    confidence: float = 1.0
    kind: str | None = None


def clean_text(text: str | None) -> str | None:
    """Whitespace collapsed, control characters and soft hyphens dropped; None when empty."""
    if text is None:
        return None
    # pdfium reports the soft hyphen of "PRO-JECT" as \x02; form fields may hold \r.
    text = re.sub(r"[\x00-\x08\x0b-\x1f\u00ad\ufffe\uffff]", "", text.replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined or None


_BLANKS = {"", "N/A", "NA", "N / A", "NONE", "-", "--", "---", "NOT APPLICABLE", "XXX", "XXXX"}


def is_not_applicable(text: str | None) -> bool:
    """Whether a cell says nothing on purpose: blank, "N/A", "NONE", dashes."""
    return text is None or text.strip().upper().rstrip(".") in _BLANKS


# ---------------------------------------------------------------- amounts

_SPECIAL_AMOUNTS = (
    (re.compile(r"^(?:N\s*/\s*A|NA|NONE|NOT\s+APPLICABLE|-+)$"), "not_applicable"),
    (re.compile(r"\bEXCL(?:UDED|\.)?\b|\bNOT\s+COVERED\b"), "excluded"),
    (re.compile(r"\bINCL(?:UDED|\.|UDES)?\b"), "included"),
    (re.compile(r"\bSTAT(?:UTORY|UTE|\.)?\b"), "statutory"),
)
_QUALIFIERS = (
    (
        re.compile(r"\bS\.?\s*I\.?\s*R\.?\b|\bSELF[\s-]*INSURED\b|\bRETENTION\b|\bRET\b"),
        "retention",
    ),
    (re.compile(r"\bDED(?:UCTIBLE|\.)?\b"), "deductible"),
)
# A money token: digits (or look-alikes) with separators, an optional cents part and a suffix.
_MONEY = re.compile(
    r"(?<![A-Z0-9])\$?\s*([0-9OIlS|][0-9OIlS|,.' ]*[0-9OIlS|]|[0-9])"
    r"\s*(MM|MIL(?:LION)?|M|K|THOUSAND)?(?![A-Z0-9])",
    re.IGNORECASE,
)
_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5"})
_GROUPED = re.compile(r"^\d{1,3}(?:([,. '])\d{3})(?:\1\d{3})*$")
_SUFFIX = {"K": 1_000, "THOUSAND": 1_000, "M": 1_000_000, "MM": 1_000_000}


def parse_amount(text: str | None) -> Parsed[int]:
    """Whole dollars from "$1,000,000", "1 000 000", "$1M", "500K", "$100,000 SIR"..."""
    if text is None or not text.strip():
        return Parsed(None)
    upper = " ".join(text.upper().split())
    for pattern, kind in _SPECIAL_AMOUNTS:
        if pattern.search(upper) and not re.search(r"\d", upper):
            return Parsed(None, 1.0, kind)
    qualifier = next((kind for pattern, kind in _QUALIFIERS if pattern.search(upper)), None)
    tokens = [m for m in _MONEY.finditer(text) if re.search(r"\d", m.group(1))]
    if not tokens:
        return Parsed(None, 0.3, "unreadable")
    if len(tokens) > 1:
        # "1,000,000 / 2,000,000": two amounts in one box; which one is meant is a guess.
        return Parsed(None, 0.3, "several_amounts")
    match = tokens[0]
    if re.search(r"\d", text[: match.start()] + text[match.end() :]):
        # Digits the amount did not take ("2 000 00C": the last group misread): the amount
        # read would be a truncated one.
        return Parsed(None, 0.3, "unreadable")
    raw, suffix = match.group(1), (match.group(2) or "").upper()
    value, confidence = _money_value(raw, suffix)
    if value is None:
        return Parsed(None, 0.3, "unreadable")
    return Parsed(value, confidence, qualifier)


def money_spans(text: str) -> list[tuple[int, int]]:
    """Where the dollar amounts are in a text, as (start, end) offsets."""
    return [m.span() for m in _MONEY.finditer(text) if re.search(r"\d", m.group(1))]


def _money_value(raw: str, suffix: str) -> tuple[int | None, float]:
    corrections = sum(1 for ch in raw if ch in "OolI|S")
    digits = raw.translate(_LOOKALIKE_DIGITS).strip().rstrip(",.").replace("'", ",")
    confidence = _CORRECTION_FACTOR if corrections else 1.0
    multiplier = _SUFFIX.get("M" if suffix.startswith("MIL") else suffix, 1)
    # Cents are written now and then ("1,000,000.00"); they never matter for a limit.
    if re.search(r"^[\d, ]*\d\.\d{2}$", digits):
        digits = digits[:-3]
    if multiplier > 1:
        if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
            return None, 0.0
        return round(float(digits) * multiplier), confidence
    compact = digits.replace(" ", "")
    if re.fullmatch(r"\d+", compact) and " " not in digits:
        return (int(compact), confidence) if len(compact) <= 10 else (None, 0.0)
    if _GROUPED.match(digits):
        return int(re.sub(r"\D", "", digits)), confidence
    # "1 000,000" or "1,000 000": mixed separators, still three-digit groups; a lost comma in
    # OCR ("1,000000") is not certain, so it is read but flagged.
    groups = re.split(r"[,. ]+", digits)
    if (
        groups[0]
        and len(groups[0]) <= 3
        and all(len(g) == 3 for g in groups[1:])
        and all(g.isdigit() for g in groups)
    ):
        return int("".join(groups)), confidence * 0.9
    if (
        len(groups) > 1
        and all(g.isdigit() for g in groups)
        and 0 < len(groups[0]) <= 3
        and all(len(g) % 3 == 0 for g in groups[1:])
    ):
        # "1,000000": a separator lost; the digits add up but the reading is a guess.
        return int("".join(groups)), 0.5
    return None, 0.0


# ---------------------------------------------------------------- dates

_DATE_SEPARATED = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4}|\d{2})(?!\d)")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}
_DATE_WORDS = re.compile(r"\b([A-Z]{3})[A-Z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DATE_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5"})


def parse_date(text: str | None) -> Parsed[date]:
    """A date from "01/15/2024", "1/5/2024", "1-5-24", "2024-01-05" or "Jan 5, 2024" (US order)."""
    if text is None or not text.strip():
        return Parsed(None)
    if is_not_applicable(text):
        return Parsed(None, 1.0, "not_applicable")
    words = _DATE_WORDS.search(text.upper())
    if words and words.group(1) in _MONTHS:
        return _checked_date(int(words.group(3)), _MONTHS[words.group(1)], int(words.group(2)))
    # Look-alikes are fixed only between digits and separators: "O1/15/2O24".
    fixed = re.sub(
        r"[0-9OolI|S/\-.]+", lambda m: m.group(0).translate(_DATE_LOOKALIKES), text.strip()
    )
    confidence = _CORRECTION_FACTOR if fixed != text.strip() else 1.0
    if match := _DATE_ISO.search(fixed):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(year, month, day, confidence)
    if match := _DATE_SEPARATED.search(fixed):
        month, day, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
        year = int(year_text)
        if len(year_text) == 2:
            # ACORD asks for four digits; a two-digit year on a certificate is this century.
            year += 2000
            confidence *= 0.95
        return _checked_date(year, month, day, confidence)
    if match := _DATE_COMPACT.search(fixed):
        # "01152024": separators lost (OCR) or never typed; MMDDYYYY is the form's order.
        month, day, year = (int(g) for g in match.groups())
        return _checked_date(year, month, day, confidence * 0.85)
    return Parsed(None, 0.3, "unreadable")


def _checked_date(year: int, month: int, day: int, confidence: float = 1.0) -> Parsed[date]:
    if not 1950 <= year <= 2150:
        return Parsed(None, 0.3, "unreadable")
    try:
        return Parsed(date(year, month, day), confidence)
    except ValueError:
        return Parsed(None, 0.3, "unreadable")


# ---------------------------------------------------------------- marks and boxes

# ADDL INSD / SUBR WVD: ACORD asks for Y or N; agents also type X, a tick or a plus.
_YES_MARKS = {"Y", "YES", "X", "✓", "✔", "√", "+", "*", "☑", "☒", "■", "●", "\u00d7", "✗", "✘"}
_NO_MARKS = {"N", "NO"}
# Characters a scanned box edge adds around a mark: "[X]", "|X|", "(X)".
_BOX_EDGES = "[](){}|_ ."


def parse_mark(text: str | None) -> Parsed[bool]:
    """True for Y/X/tick, False for N, None for blank or N/A (a blank box claims nothing)."""
    if text is None:
        return Parsed(None)
    core = text.strip().strip(_BOX_EDGES).upper()
    if is_not_applicable(core):
        return Parsed(None, 1.0, "not_applicable" if core else None)
    if core in _YES_MARKS:
        return Parsed(True)
    if core in _NO_MARKS:
        return Parsed(False)
    if core in {"V", "4"}:
        # A tick read as a letter by OCR, or ZapfDingbats' tick glyph code.
        return Parsed(True, 0.85)
    return Parsed(None, 0.4, "unreadable")


# A ticked checkbox in a flattened or scanned form: a text X (agency systems), a tick, or the
# ZapfDingbats codes for tick and cross ("4", "8") that pdfium reports for filled form boxes.
_CHECK_MARKS = {"X", "✓", "✔", "√", "✗", "✘", "\u00d7", "☑", "☒", "■", "●", "4", "8", "V", "1"}


def parse_checkbox(text: str | None) -> Parsed[bool]:
    """Whether a checkbox holds a mark (text found inside it); unknown marks lower confidence."""
    if text is None or not text.strip():
        return Parsed(False)
    core = text.strip().strip(_BOX_EDGES).upper()
    if not core:
        # Only a box edge: OCR saw the empty box itself.
        return Parsed(False, 0.9)
    if core in _CHECK_MARKS or core in {"XX", "/1", "ON", "YES", "TRUE"}:
        return Parsed(True, 1.0 if core not in {"V", "1"} else 0.85)
    if len(core) <= 2:
        return Parsed(True, 0.6, "unknown_mark")
    return Parsed(None, 0.4, "unreadable")


# ---------------------------------------------------------------- letters and codes

_LETTER_LOOKALIKES = {"8": "B", "0": "D", "4": "A", "€": "E"}


def parse_letter(text: str | None, *, known: frozenset[str] | None = None) -> Parsed[str]:
    """An INSR LTR A-F; an OCR look-alike ("8" for B) only when that insurer is listed."""
    if text is None or not text.strip():
        return Parsed(None)
    core = text.strip().strip(_BOX_EDGES + ":,;").upper()
    if len(core) == 1 and "A" <= core <= "Z":
        return Parsed(core)
    if len(core) == 1 and core in _LETTER_LOOKALIKES:
        letter = _LETTER_LOOKALIKES[core]
        if known is not None and letter in known:
            return Parsed(letter, 0.85)
    return Parsed(None, 0.4, "unreadable")


def parse_naic(text: str | None) -> Parsed[str]:
    """An NAIC company code: five digits as printed; look-alikes fixed, other lengths flagged."""
    if text is None or not text.strip() or is_not_applicable(text):
        return Parsed(None)
    raw = text.strip().strip("#:")
    fixed = raw.translate(_LOOKALIKE_DIGITS)
    if not fixed.isdigit():
        return Parsed(None, 0.4, "unreadable")
    return Parsed(fixed, _CORRECTION_FACTOR if fixed != raw else 1.0)


_EMAIL_TLD_SPACE = re.compile(
    r"^([^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*)\s+(com|net|org|us|biz|info|gov|edu)$"
)


def parse_email(text: str | None) -> Parsed[str]:
    """An e-mail address; the dot before the top-level domain restored when OCR dropped it."""
    cleaned = clean_text(text)
    if cleaned is None:
        return Parsed(None)
    cleaned = cleaned.replace(" @ ", "@").replace("@ ", "@").replace(" @", "@")
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", cleaned):
        return Parsed(cleaned)
    # An address holds no space: OCR splits one at a full stop ("rosa. jablonski@..."), and a
    # label's tail read into the cell ("Ext:") ends with a colon. Either leaves one reading.
    joined = re.sub(r"\s*\.\s*", ".", cleaned)
    words = [word for word in joined.split() if not word.endswith(":")]
    if len(words) == 1 and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", words[0]):
        return Parsed(words[0], _CORRECTION_FACTOR)
    if match := _EMAIL_TLD_SPACE.match(cleaned):
        return Parsed(f"{match.group(1)}.{match.group(2)}", 0.9)
    return Parsed(cleaned, 0.7, "unusual_email")
