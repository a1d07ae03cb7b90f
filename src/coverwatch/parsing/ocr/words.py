"""Tesseract's words made fit for the layout reader: rule remnants dropped, boxes in points.

What a full-page pass reports besides text: slivers of form rules read as "|", "_" or "—", the
flat fringe of a rule read as a row of letters, dust read as a quote mark, and punctuation with
a box a point high ("-", ",") whose middle sits off its line. The first three are dropped; the
last gets its line's height, so that grouping words into lines by their middles keeps a dash on
its line.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import replace

from coverwatch.parsing.ocr.tesseract import TesseractWord
from coverwatch.parsing.words import Word

_RULE_CHARACTERS = set("|!lI1[](){}")
_DASH_CHARACTERS = set("_-~=\u2013\u2014")  # and en and em dashes
_KEPT_SYMBOLS = set("&$#@%")
# A glyph of the values' type is under ~9 points tall; a sliver of a cell's side is taller.
_SLIVER_POINTS = 9.0
_DASH_RUN_POINTS = 10.0
_FLAT_POINTS = 2.0
_DUST_CONFIDENCE = 0.3


def page_words(words: list[TesseractWord], *, points_per_pixel: float) -> list[Word]:
    """The words worth reading, each with its box in points."""
    kept = [word for word in words if not _junk(word, points_per_pixel=points_per_pixel)]
    return [_to_points(word, points_per_pixel) for word in _level_punctuation(kept)]


def _junk(word: TesseractWord, *, points_per_pixel: float) -> bool:
    text = word.text
    width = word.width * points_per_pixel
    height = word.height * points_per_pixel
    if height < _FLAT_POINTS and any(ch.isalnum() for ch in text):
        # Letters a point high: the fringe of a rule, read as "eeaaa".
        return True
    if set(text) <= _RULE_CHARACTERS and height >= _SLIVER_POINTS and width <= 0.3 * height:
        return True
    if set(text) <= _DASH_CHARACTERS and width >= _DASH_RUN_POINTS:
        return True
    has_meaning = any(ch.isalnum() or ch in _KEPT_SYMBOLS for ch in text)
    return not has_meaning and word.confidence < _DUST_CONFIDENCE


def _level_punctuation(words: list[TesseractWord]) -> list[TesseractWord]:
    by_line: dict[tuple[int, int, int], list[TesseractWord]] = defaultdict(list)
    for word in words:
        by_line[word.line].append(word)
    levelled: list[TesseractWord] = []
    for word in words:
        line = by_line[word.line]
        height = statistics.median(w.height for w in line)
        if len(line) > 1 and word.height < 0.5 * height:
            top = statistics.median(w.top for w in line)
            levelled.append(replace(word, top=round(top), height=round(height)))
        else:
            levelled.append(word)
    return levelled


# Tesseract spells apostrophes and quotes the typographer's way; typed forms rarely do.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _to_points(word: TesseractWord, scale: float) -> Word:
    return Word(
        text=word.text.translate(_QUOTES),
        x0=word.left * scale,
        y0=word.top * scale,
        x1=(word.left + word.width) * scale,
        y1=(word.top + word.height) * scale,
        confidence=word.confidence,
    )
