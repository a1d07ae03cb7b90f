"""AM Best ratings: ordering letter grades and financial size classes, looking insurers up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from coverwatch.requirements.names import insurer_key

if TYPE_CHECKING:
    from coverwatch.certificates.schemas import Insurer
    from coverwatch.requirements.schemas import InsurerRating

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


def _naic_key(naic: str | None) -> str | None:
    digits = re.sub(r"\D", "", naic or "")
    return digits.lstrip("0") or None


@dataclass(frozen=True, slots=True)
class Rating:
    """An insurer's rating as the engine compares it."""

    name: str
    grade: str
    size: str | None
    grade_rank: int | None
    size_rank: int | None


class RatingBook:
    """The organization's rating table, indexed by NAIC number and by normalised name."""

    def __init__(self, ratings: Sequence[InsurerRating]) -> None:
        self._by_naic: dict[str, Rating] = {}
        self._by_name: dict[str, Rating] = {}
        for row in ratings:
            grade, size_in_grade = split_rating(row.best_rating)
            size = row.financial_size or size_in_grade
            rating = Rating(row.name, grade, size, grade_rank(grade), size_rank(size))
            naic = _naic_key(row.naic)
            if naic:
                self._by_naic.setdefault(naic, rating)
            self._by_name.setdefault(insurer_key(row.name), rating)

    def find(self, insurer: Insurer | None) -> Rating | None:
        """The rating of a certificate's insurer: NAIC number first, then its name."""
        if insurer is None:
            return None
        naic = _naic_key(insurer.naic)
        if naic and naic in self._by_naic:
            return self._by_naic[naic]
        return self._by_name.get(insurer_key(insurer.name))
