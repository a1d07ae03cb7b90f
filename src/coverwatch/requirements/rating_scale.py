"""The AM Best scale: letter grades and financial size classes in order, read from text (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

# Best's Financial Strength Ratings from best to worst. E (under regulatory supervision),
# F (in liquidation) and S (suspended) sit below D: none of them is an acceptable insurer.
GRADES = (
    "A++",
    "A+",
    "A",
    "A-",
    "B++",
    "B+",
    "B",
    "B-",
    "C++",
    "C+",
    "C",
    "C-",
    "D",
    "E",
    "F",
    "S",
)
_GRADE_RANK = {grade: len(GRADES) - index for index, grade in enumerate(GRADES)}
_GRADE_RE = re.compile(r"^\s*([A-FS])(\+\+|\+|-)?(?![A-Z+\-])", re.IGNORECASE)

_ROMAN = {"I": 1, "V": 5, "X": 10}
# Financial size categories run from I to XV; "FSC VIII" and "Class VIII" are common spellings.
_SIZE_RE = re.compile(r"^\s*(?:FSC|FSC:|CLASS|SIZE)?\s*([IVX]+|\d{1,2})\s*$", re.IGNORECASE)


@lru_cache(maxsize=256)
def grade_rank(text: str | None) -> int | None:
    """A comparable rank for an AM Best letter grade (higher is better), None if unreadable."""
    if not text:
        return None
    match = _GRADE_RE.match(text)
    if match is None:
        return None
    return _GRADE_RANK.get(match.group(1).upper() + (match.group(2) or ""))


@lru_cache(maxsize=256)
def size_rank(text: str | None) -> int | None:
    """The number of a financial size category ("VIII" is 8), None if unreadable."""
    if not text:
        return None
    match = _SIZE_RE.match(text)
    if match is None:
        return None
    token = match.group(1).upper()
    if token.isdigit():
        value = int(token)
    else:
        value = 0
        for index, char in enumerate(token):
            number = _ROMAN[char]
            following = _ROMAN[token[index + 1]] if index + 1 < len(token) else 0
            value += -number if number < following else number
    return value if 1 <= value <= 15 else None


def split_rating(text: str) -> tuple[str, str | None]:
    """Split "A- VIII" into its grade and size class; a lone grade keeps size None."""
    parts = text.split()
    if len(parts) >= 2 and size_rank(parts[-1]) is not None:
        return " ".join(parts[:-1]), parts[-1]
    return text.strip(), None
