"""Matching a certificate's named insured to a vendor of the list, with a score; pure.

The engine's rule (`names.same_entity`) decides a sure match (score 100). Below that, a
fuzzy score over the names' words (rapidfuzz) finds misspelt lists ("Acme Rofing LLC"); a
score under the threshold, or two vendors scoring nearly alike, is left to a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from coverwatch.requirements.names import same_entity, tokens

THRESHOLD = 90.0
# Two candidates this close are a coin toss: a person chooses.
AMBIGUOUS_MARGIN = 3.0


@dataclass(frozen=True)
class Match:
    """The best candidate for a name, its score (0-100), and whether it is sure enough."""

    index: int | None
    score: float
    accepted: bool
    reason: str


def words(name: str) -> str:
    """A name as its folded words ("Acme Roofing, L.L.C." reads "acme roofing llc")."""
    return " ".join(tokens(name))


def score(first: str, second: str) -> float:
    """How alike two business names are, 100 when the engine takes them for the same entity."""
    if same_entity(first, second):
        return 100.0
    return round(float(fuzz.token_sort_ratio(words(first), words(second))), 1)


def best_match(
    name: str | None, candidates: Sequence[str], *, threshold: float = THRESHOLD
) -> Match:
    """The candidate (by index) that `name` names, or why none is taken."""
    if not name or not name.strip():
        return Match(None, 0.0, False, "the insured's name could not be read")
    if not candidates:
        return Match(None, 0.0, False, "the vendor list is empty")
    sure = [i for i, candidate in enumerate(candidates) if same_entity(name, candidate)]
    if len(sure) == 1:
        return Match(sure[0], 100.0, True, "same name")
    if len(sure) > 1:
        return Match(sure[0], 100.0, False, "several vendors of the list have this name")
    found = process.extract(
        words(name),
        [words(c) for c in candidates],
        scorer=fuzz.token_sort_ratio,
        limit=2,
    )
    if not found:
        return Match(None, 0.0, False, "no vendor of the list is near this name")
    _text, best, index = found[0]
    best = round(float(best), 1)
    if best < threshold:
        return Match(
            index, best, False, f"the nearest vendor scores {best:.0f}, under {threshold:.0f}"
        )
    if len(found) > 1 and best - float(found[1][1]) < AMBIGUOUS_MARGIN:
        return Match(index, best, False, "two vendors of the list are nearly as close")
    return Match(index, best, True, "near spelling")
