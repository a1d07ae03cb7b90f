"""Registering a page against the ACORD 25 template: find the printed labels, fit a mapping.

Labels are matched on their letters alone (case, spaces and punctuation ignored), so "INSURER A :"
and "INSURERA" are the same label and a split or merged OCR token still matches. A label OCR
misread ("E.L. EACH ACC DENT") is matched approximately near where the others say it should be.
The mapping is affine across the page (x) and piecewise linear down it (y), since editions and
agency prints move whole blocks by a few points while keeping the grid.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise
from statistics import median

from coverwatch.parsing.layout.template import ANCHORS, Anchor
from coverwatch.parsing.words import PageWords, Word

# Fewer labels than this and the page is not read as an ACORD 25.
MIN_ANCHORS = 8
# How far (template points) a label may sit from where the others place it.
_TOLERANCE = 18.0
_FUZZY_RATIO = 0.78
_FUZZY_MIN_LENGTH = 5


def normalise(text: str) -> str:
    """Letters and digits only (plus & $ #), upper case: how labels are compared."""
    return re.sub(r"[^A-Z0-9&$#]", "", text.upper())


@dataclass(frozen=True)
class _Match:
    anchor: Anchor
    x: float
    y: float
    words: tuple[int, ...]


@dataclass
class Registration:
    """Template points to page points: affine in x, piecewise linear in y."""

    ax: float
    bx: float
    ay: float
    by: float
    knots: list[tuple[float, float]]  # (template y, page y), increasing
    matched: int
    residual: float  # median distance (points) between labels and where the fit puts them
    label_words: set[int] = field(default_factory=set)

    def x(self, x: float) -> float:
        """A template x on the page."""
        return self.ax * x + self.bx

    def y(self, y: float) -> float:
        """A template y on the page."""
        knots = self.knots
        if len(knots) < 2:
            return self.ay * y + self.by
        i = bisect_left(knots, (y, float("-inf")))
        if i == 0:
            t0, p0 = knots[0]
            return p0 + (y - t0) * self.ay
        if i >= len(knots):
            t1, p1 = knots[-1]
            return p1 + (y - t1) * self.ay
        (t0, p0), (t1, p1) = knots[i - 1], knots[i]
        return p0 + (p1 - p0) * (y - t0) / (t1 - t0)

    def box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A template box on the page."""
        x0, y0, x1, y1 = box
        return self.x(x0), self.y(y0), self.x(x1), self.y(y1)

    @property
    def quality(self) -> float:
        """How much to trust positions on this page, 0..1 (labels found, fit residual)."""
        found = min(1.0, self.matched / (0.5 * len(ANCHORS)))
        fit = 1.0 if self.residual <= 2.5 else max(0.5, 1.0 - (self.residual - 2.5) / 20)
        return round(min(1.0, 0.6 + 0.4 * found) * fit, 3)


class _Lines:
    """Page words with their right-hand neighbour on the same line, and an index by letter."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.norms = [normalise(word.text) for word in words]
        self.next: list[int | None] = [None] * len(words)
        for line in _lines(words):
            for left, right in pairwise(line):
                a, b = words[left], words[right]
                height = max(a.y1 - a.y0, 1.0)
                if a.x1 - 0.6 * height <= b.x0 < a.x1 + 2.5 * height:
                    self.next[left] = right
        self.by_letter: dict[str, list[int]] = {}
        for i, norm in enumerate(self.norms):
            if norm:
                self.by_letter.setdefault(norm[0], []).append(i)

    def exact(self, key: str) -> list[tuple[int, ...]]:
        """Runs of words on one line whose letters spell `key`."""
        found = []
        for start in self.by_letter.get(key[0], ()):
            run = [start]
            spelled = self.norms[start]
            while key.startswith(spelled) and spelled != key:
                following = self.next[run[-1]]
                if following is None or len(run) > 12:
                    break
                run.append(following)
                spelled += self.norms[following]
            if spelled == key:
                found.append(tuple(run))
        return found

    def fuzzy(self, key: str, near: tuple[float, float], reach: float) -> tuple[int, ...] | None:
        """The run of words near a point whose letters best resemble `key` (OCR slips)."""
        best: tuple[float, tuple[int, ...]] | None = None
        cx, cy = near
        for start, word in enumerate(self.words):
            if abs(word.x0 - cx) > reach or abs((word.y0 + word.y1) / 2 - cy) > reach / 2:
                continue
            run = [start]
            spelled = self.norms[start]
            while True:
                if spelled and abs(len(spelled) - len(key)) <= max(2, len(key) // 4):
                    ratio = SequenceMatcher(None, spelled, key, autojunk=False).ratio()
                    if ratio >= _FUZZY_RATIO and (best is None or ratio > best[0]):
                        best = (ratio, tuple(run))
                following = self.next[run[-1]]
                if following is None or len(spelled) > len(key) + 2:
                    break
                run.append(following)
                spelled += self.norms[following]
        return best[1] if best else None


def _lines(words: list[Word]) -> list[list[int]]:
    """Word indexes grouped into lines (middles within half a word height), left to right."""
    order = sorted(range(len(words)), key=lambda i: words[i].y0 + words[i].y1)
    lines: list[list[int]] = []
    reference = 0.0
    for i in order:
        word = words[i]
        middle = (word.y0 + word.y1) / 2
        height = max(word.y1 - word.y0, 1.0)
        if lines and abs(middle - reference) < 0.45 * height:
            lines[-1].append(i)
        else:
            lines.append([i])
            reference = middle
    return [sorted(line, key=lambda i: words[i].x0) for line in lines]


def register(page: PageWords) -> Registration | None:
    """The mapping from the template to this page, or None if too few labels are found."""
    lines = _Lines(page.words)
    candidates: dict[int, list[_Match]] = {}
    for index, anchor in enumerate(ANCHORS):
        for phrase in anchor.phrases:
            for run in lines.exact(normalise(phrase)):
                candidates.setdefault(index, []).append(_match(anchor, run, page.words))
    # Labels printed once place the others: "EACH OCCURRENCE" is the one where they say.
    coarse = _mapping([found[0] for found in candidates.values() if len(found) == 1])
    if coarse is None:
        return None
    scale = max(abs(coarse.ax), abs(coarse.ay), 0.1)
    chosen: list[_Match] = []
    used: set[int] = set()
    for index, anchor in enumerate(ANCHORS):
        expected = (coarse.x(anchor.x), coarse.y(anchor.y))
        options = candidates.get(index, [])
        match = min(options, key=lambda m: _distance(m, expected), default=None)
        if match is None or _distance(match, expected) > _TOLERANCE * scale:
            match = _fuzzy(lines, anchor, expected, scale, page.words)
        if match is None or used.intersection(match.words):
            continue
        chosen.append(match)
        used.update(match.words)
    if len(chosen) < MIN_ANCHORS:
        return None
    registration = _mapping(chosen)
    if registration is not None:
        registration.label_words = used
    return registration


def _mapping(matches: list[_Match]) -> Registration | None:
    fx = _fit([(m.anchor.x, m.x) for m in matches])
    fy = _fit([(m.anchor.y, m.y) for m in matches])
    if fx is None or fy is None:
        return None
    (ax, bx), (ay, by) = fx, fy
    # A label far off the page-wide fit (a value that reads like a label) places nothing.
    placed = [m for m in matches if abs(ay * m.anchor.y + by - m.y) < 30 * abs(ay)]
    registration = Registration(
        ax=ax, bx=bx, ay=ay, by=by, knots=_knots(placed, ay), matched=len(matches), residual=0.0
    )
    registration.residual = median(
        abs(registration.x(m.anchor.x) - m.x) + abs(registration.y(m.anchor.y) - m.y)
        for m in matches
    )
    return registration


def _match(anchor: Anchor, run: tuple[int, ...], words: list[Word]) -> _Match:
    first = words[run[0]]
    middle = sum((words[i].y0 + words[i].y1) / 2 for i in run) / len(run)
    return _Match(anchor, first.x0, middle, run)


def _distance(match: _Match, expected: tuple[float, float]) -> float:
    return abs(match.x - expected[0]) + abs(match.y - expected[1])


def _fuzzy(
    lines: _Lines, anchor: Anchor, expected: tuple[float, float], scale: float, words: list[Word]
) -> _Match | None:
    for phrase in anchor.phrases:
        key = normalise(phrase)
        if len(key) < _FUZZY_MIN_LENGTH:
            continue
        run = lines.fuzzy(key, expected, _TOLERANCE * scale)
        if run is not None:
            return _match(anchor, run, words)
    return None


def _fit(pairs: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least squares p = a*t + b, refitted without the pairs far off the first fit."""
    for _ in range(3):
        if len(pairs) < 3:
            return None
        n = len(pairs)
        mean_t = sum(t for t, _ in pairs) / n
        mean_p = sum(p for _, p in pairs) / n
        spread = sum((t - mean_t) ** 2 for t, _ in pairs)
        if spread < 1e-6:
            return None
        a = sum((t - mean_t) * (p - mean_p) for t, p in pairs) / spread
        b = mean_p - a * mean_t
        errors = [abs(a * t + b - p) for t, p in pairs]
        limit = max(6.0, 3 * median(errors))
        kept = [pair for pair, error in zip(pairs, errors, strict=True) if error <= limit]
        if len(kept) == len(pairs):
            break
        pairs = kept
    if not 0.2 < a < 5:
        return None
    return a, b


def _knots(matches: list[_Match], slope: float) -> list[tuple[float, float]]:
    """(template y, page y) pairs, one per label row, kept increasing."""
    rows: dict[float, list[float]] = {}
    for match in matches:
        rows.setdefault(round(match.anchor.y), []).append(match.y)
    knots: list[tuple[float, float]] = []
    for template_y in sorted(rows):
        page_y = median(rows[template_y])
        if knots:
            last_t, last_p = knots[-1]
            # A row that would fold the page back (a misplaced label) is left out.
            if page_y <= last_p or not 0.5 < (page_y - last_p) / (template_y - last_t) / slope < 2:
                continue
        knots.append((float(template_y), page_y))
    return knots
