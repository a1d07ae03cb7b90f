"""Words with boxes from scanned pages and photos, through Tesseract.

Each page is decoded at ~300 dpi (`images`), turned upright and levelled (`deskew`), cleaned of
its form rules (`cleanup`) and read whole by Tesseract (`tesseract`). When its printed labels
register it onto the ACORD 25 (`alignment`), every value cell is read again on its own
(`cells`: checkboxes by their ink, letters and marks with a whitelist, digits and text as
blocks) and the two readings of each cell are settled (`cell_votes`): agreement is sure,
disagreement goes to review. A few look-alikes that a word's place makes certain are fixed
(`fixes`), and rule remnants are dropped (`words`).

Boxes come back in PDF points of the upright page, from its top-left corner, y downward, like
the text-layer reader's, so the layout reader works on either. A PDF page keeps its own size in
points. An image has no trustworthy physical size (phones write 72 dpi whatever they shot), so
its upright short side is taken as 612 points, the width of a US-Letter page; the scale is the
same in x and y, which is what the layout reader, anchored on printed labels, needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from coverwatch.parsing.ocr.alignment import align
from coverwatch.parsing.ocr.cell_votes import merge_cells
from coverwatch.parsing.ocr.cells import read_cells
from coverwatch.parsing.ocr.cleanup import CleanPage, clean_page
from coverwatch.parsing.ocr.deskew import measure, straighten
from coverwatch.parsing.ocr.fixes import fix_footer
from coverwatch.parsing.ocr.images import PageImage, image_page_images, pdf_page_images
from coverwatch.parsing.ocr.leaks import without_leaks
from coverwatch.parsing.ocr.tesseract import TesseractWord, recognise
from coverwatch.parsing.ocr.words import page_words
from coverwatch.parsing.words import PageWords

# A full page takes ~2 s at 300 dpi on one core; anything far beyond is a pathological image.
PAGE_TIMEOUT_SECONDS = 60.0
# Readable upright text gives hundreds of confident words on a certificate; an upside-down page
# gives a handful. Below these the other orientation is tried.
_GOOD_WORD_CONFIDENCE = 0.7
_MIN_GOOD_WORDS = 25
_MIN_GOOD_SHARE = 0.45
# Words of a page whose labels do not register well keep at most this confidence.
_UNPLACED = 0.5
# A word this much on a watermark's ground is doubted, to this confidence (review is below 0.8).
_UNDER_SHARE = 0.05
_UNDER_CONFIDENCE = 0.5
_UNDER_JUNK = 0.3


def ocr_pages(
    content: bytes,
    *,
    kind: Literal["pdf", "image"],
    page_indexes: list[int] | None = None,
) -> list[PageWords]:
    """Words of the chosen pages (all when None) of a scanned PDF or an image file."""
    pages: Iterator[PageImage] = (
        pdf_page_images(content, page_indexes=page_indexes)
        if kind == "pdf"
        else image_page_images(content, page_indexes=page_indexes)
    )
    return [read_page(page) for page in pages]


def read_page(page: PageImage) -> PageWords:
    """One page image turned upright, levelled and read."""
    dpi = 72 / page.points_per_pixel
    level = measure(page.gray)
    best: _Attempt | None = None
    # A projection tells lines across from lines down, not which way up: the second candidate
    # is the same page turned half a turn, read only when the first reads badly.
    for turns in (level.quarter_turns, level.quarter_turns + 2):
        upright = straighten(page.gray, quarter_turns=turns, skew_degrees=level.skew_degrees)
        attempt = _read(upright, dpi=dpi)
        if best is None or attempt.good_words > best.good_words:
            best = attempt
        if attempt.readable:
            break
    assert best is not None
    words = best.words
    alignment = align(words, points_per_pixel=page.points_per_pixel)
    if alignment is None:
        # Too few of the form's labels found, or placed badly (a redrawn copy, another form):
        # the layout reader may still place values, but where they sit is a guess.
        words = [replace(word, confidence=min(word.confidence, _UNPLACED)) for word in words]
    else:
        cells = read_cells(best.cleaned, alignment, dpi=dpi)
        words = without_leaks(
            fix_footer(merge_cells(words, cells, labels=alignment.labels)), alignment
        )
    if best.cleaned.watermark is not None:
        words = _doubted_under(words, best.cleaned.watermark)
    scale = page.points_per_pixel
    height, width = best.cleaned.gray.shape
    return PageWords(
        index=page.index,
        width=width * scale,
        height=height * scale,
        source="ocr",
        words=page_words(words, points_per_pixel=scale),
    )


def _doubted_under(words: list[TesseractWord], stamp: np.ndarray) -> list[TesseractWord]:
    # What a watermark crossed may have lost strokes to it or kept some of its own: a value
    # read there, even half under it, is never sure.
    height, width = stamp.shape
    out: list[TesseractWord] = []
    for word in words:
        x0, y0 = max(0, word.left), max(0, word.top)
        x1, y1 = min(width, word.left + word.width), min(height, word.top + word.height)
        under = stamp[y0:y1, x0:x1]
        if under.size and under.mean() >= _UNDER_SHARE:
            if word.confidence < _UNDER_JUNK:
                # The stamp's own remains read as glyphs: no value was printed there.
                continue
            word = replace(word, confidence=min(word.confidence, _UNDER_CONFIDENCE))
        out.append(word)
    return out


@dataclass(frozen=True)
class _Attempt:
    words: list[TesseractWord]
    cleaned: CleanPage

    @property
    def good_words(self) -> int:
        return sum(1 for word in self.words if _is_good(word))

    @property
    def readable(self) -> bool:
        long_words = sum(1 for word in self.words if len(word.text) >= 3)
        return self.good_words >= _MIN_GOOD_WORDS and self.good_words >= _MIN_GOOD_SHARE * max(
            1, long_words
        )


def _is_good(word: TesseractWord) -> bool:
    return (
        len(word.text) >= 3
        and word.confidence >= _GOOD_WORD_CONFIDENCE
        and sum(ch.isalnum() for ch in word.text) >= 2
    )


def _read(upright: np.ndarray, *, dpi: float) -> _Attempt:
    cleaned = clean_page(upright, dpi=dpi)
    words = recognise(cleaned.gray, psm=11, dpi=dpi, timeout=PAGE_TIMEOUT_SECONDS)
    return _Attempt(words=words, cleaned=cleaned)
