"""An organization's insurer ratings, looked up for a certificate's insurers (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coverwatch.certificates.schemas import Insurer
from coverwatch.requirements.names import insurer_key
from coverwatch.requirements.rating_scale import grade_rank, size_rank, split_rating
from coverwatch.requirements.schemas import InsurerRating


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
