"""Field-level comparison of a parsed certificate with its ground truth (tests and bench).

Every leaf of the contract is a field: `/producer/name`, `/policies/0/limits/each_occurrence`,
`/policies/1/autos` (the list as one value), one field per endorsement. A field counts when the
truth has a value; a value the parser reports where the truth has none counts as a wrong field
too. A field is "sure" when no needs_review path covers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coverwatch.certificates.schemas import CertificateData

_IGNORED = {"source", "confidence", "needs_review", "warnings", "schema_", "schema", "form/type"}


def flatten(certificate: CertificateData) -> dict[str, Any]:
    """Path -> value for every non-empty leaf of the contract."""
    data = certificate.model_dump(mode="json")
    out: dict[str, Any] = {}
    for endorsement in data.pop("endorsements"):
        out[
            f"/endorsements/{endorsement['form']}|{endorsement['edition']}|{endorsement['page']}"
        ] = 1
    _walk(data, "", out)
    return out


def _walk(value: Any, path: str, out: dict[str, Any]) -> None:
    if path.lstrip("/") in _IGNORED:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}/{key}", out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for index, item in enumerate(value):
            _walk(item, f"{path}/{index}", out)
    elif value not in (None, [], {}, ""):
        if isinstance(value, str):
            value = " ".join(value.split())
        out[path] = value


def reviewed(path: str, needs_review: list[str]) -> bool:
    """Whether a needs_review path covers a field (one contains the other)."""
    parts = _parts(path)
    for flagged in needs_review:
        other = _parts(flagged)
        width = min(len(parts), len(other))
        if parts[:width] == other[:width]:
            return True
    return False


def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[/.\[\]]+", path) if p)


@dataclass
class Score:
    """Counts over one or many certificates."""

    truth_fields: int = 0
    correct: int = 0
    extra: int = 0  # values reported where the truth has none
    sure: int = 0  # reported values not in needs_review
    sure_wrong: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Correct fields over truth fields plus invented ones."""
        total = self.truth_fields + self.extra
        return self.correct / total if total else 1.0

    @property
    def sure_error_rate(self) -> float:
        """Wrong values among those reported with high confidence."""
        return self.sure_wrong / self.sure if self.sure else 0.0

    def add(self, other: Score) -> None:
        """Accumulate another score."""
        self.truth_fields += other.truth_fields
        self.correct += other.correct
        self.extra += other.extra
        self.sure += other.sure
        self.sure_wrong += other.sure_wrong
        self.misses.extend(other.misses)


def compare(parsed: CertificateData, truth: CertificateData, *, label: str = "") -> Score:
    """How many of the truth's fields the parser got, and how sure it was of wrong ones."""
    got, want = flatten(parsed), flatten(truth)
    score = Score(truth_fields=len(want))
    for path, value in want.items():
        if got.get(path) == value:
            score.correct += 1
        else:
            score.misses.append(f"{label}{path}: got {got.get(path)!r}, want {value!r}")
    for path, value in got.items():
        if path not in want:
            score.extra += 1
            score.misses.append(f"{label}{path}: got {value!r}, want nothing")
        if not reviewed(path, parsed.needs_review):
            score.sure += 1
            if want.get(path) != value:
                score.sure_wrong += 1
    return score
