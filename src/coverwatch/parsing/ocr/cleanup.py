"""Making a page image easy for Tesseract: even paper, black ink, no form rules.

An ACORD 25 is a grid: Tesseract reads a rule touching a value as a glyph ("|", "_", "I") or
drops the value with it. The rules are found as long straight runs of ink and erased; strokes of
characters that crossed a rule are then bridged again across the erased band.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from coverwatch.parsing.ocr.watermark import erased, ground, watermark_mask

# Runs of ink longer than these (points) are rules, not glyphs. The shortest rules that matter
# are a 12 pt cell's sides and a checkbox's 14 pt edges; the tallest glyph of a 10 pt value ("|",
# "[", "l" with its descender room) stays under 10 pt, an em dash of 8 pt type is 8 pt long.
_VERTICAL_RULE_POINTS = 10.8
_HORIZONTAL_RULE_POINTS = 10.0
_PALE_RULE_POINTS = 40.0
# The form's rules are 0.5-1 pt; blurred and scanned, under 2 pt.
_MAX_RULE_POINTS = 2.0


def flatten_background(gray: np.ndarray) -> np.ndarray:
    """The page divided by an estimate of its paper, so that the paper is white everywhere."""
    height, width = gray.shape
    # The paper's brightness varies slowly: estimate it on a coarse copy in which the text
    # vanishes under a max filter and a median, then scale it back up.
    scale = min(1.0, 160 / max(height, width))
    coarse = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    paper = cv2.medianBlur(cv2.dilate(coarse, np.ones((3, 3), np.uint8)), 7)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """255 where there is ink, 0 for paper (Otsu's threshold on the flattened page)."""
    _, ink = cv2.threshold(
        flatten_background(gray), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU
    )
    return ink


def rules_mask(
    ink: np.ndarray, *, dpi: float, faint: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) masks of the long, thin straight rules in an ink mask.

    `faint` (ink with a lighter threshold) adds rules too pale for `ink`, from longer runs.
    """
    masks = []
    for horizontal in (True, False):
        points = _HORIZONTAL_RULE_POINTS if horizontal else _VERTICAL_RULE_POINTS
        found = _runs(ink, length=round(points / 72 * dpi), horizontal=horizontal)
        if faint is not None:
            pale = _runs(faint, length=round(_PALE_RULE_POINTS / 72 * dpi), horizontal=horizontal)
            found = cv2.bitwise_or(found, pale)
        # A run as thick as a line of text is a blurred line of text, not a rule.
        thick = round(_MAX_RULE_POINTS / 72 * dpi) + 1
        across = (1, thick) if horizontal else (thick, 1)
        too_thick = cv2.morphologyEx(
            found, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across)
        )
        masks.append(cv2.bitwise_and(found, cv2.bitwise_not(too_thick)))
    return masks[0], masks[1]


def _runs(mask: np.ndarray, *, length: int, horizontal: bool) -> np.ndarray:
    length = max(15, length)
    shape = (length, 1) if horizontal else (1, length)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))


@dataclass(frozen=True)
class CleanPage:
    """A page without its form rules (grayscale, and its ink as a 0/255 mask), and with them."""

    gray: np.ndarray
    ink: np.ndarray
    # The levelled page with its rules: text that sits on a rule keeps its descenders here.
    paper: np.ndarray
    # Where a watermark lay (erased from the page): words read there are doubted.
    watermark: np.ndarray | None = None


def clean_page(gray: np.ndarray, *, dpi: float) -> CleanPage:
    """The page on white paper with the form's rules erased (text crossing a rule kept)."""
    # Each step frees what the next no longer needs: at 300 dpi every mask is ~9 MB, and a
    # dozen of them at once would double the parser's peak memory.
    paper = flatten_background(gray)
    stamp = watermark_mask(paper, dpi=dpi)
    if stamp is not None:
        paper = erased(paper, stamp)
        stamp = ground(stamp, dpi=dpi)
    threshold, ink = cv2.threshold(paper, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Thin rules blur to a light grey that Otsu counts as paper, and Tesseract then reads their
    # shadow as a row of letters. Long rules are also looked for in a fainter mask: noise never
    # forms a straight run that long, and blurred text runs are too thick to pass for rules.
    faint_level = threshold + (255 - threshold) * 0.5
    _, faint = cv2.threshold(paper, faint_level, 255, cv2.THRESH_BINARY_INV)
    horizontal, vertical = rules_mask(ink, dpi=dpi, faint=faint)
    del faint
    # A blurred rule's soft edges reach a pixel or two past the run that found it; left on the
    # page, that fringe reads as a line of "eeaaa" under every row.
    fringe = max(2, round(dpi / 150))
    band_h = cv2.dilate(horizontal, np.ones((2 * fringe + 1, 3), np.uint8))
    del horizontal
    band_v = cv2.dilate(vertical, np.ones((3, 2 * fringe + 1), np.uint8))
    del vertical
    bands = cv2.bitwise_or(band_h, band_v)
    text = cv2.bitwise_and(ink, cv2.bitwise_not(bands))
    del ink
    # Bridge strokes cut by an erased rule, only inside the erased bands: a character that sat
    # on a rule gets its stroke back, empty stretches of rule stay empty.
    gap = max(3, round(dpi / 75))
    bridged = cv2.morphologyEx(
        text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 2 * gap + 1))
    )
    cv2.bitwise_and(bridged, band_h, dst=bridged)
    del band_h
    across = cv2.morphologyEx(
        text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * gap + 1, 1))
    )
    cv2.bitwise_and(across, band_v, dst=across)
    del band_v
    cv2.bitwise_or(bridged, across, dst=bridged)
    del across
    # Tesseract reads grey better than a thresholded page: strokes keep their true weight
    # (a threshold fattens blurred digits until "1/17" runs together).
    cleaned = paper.copy()
    cleaned[cv2.bitwise_and(bands, cv2.bitwise_not(bridged)) > 0] = 255
    del bands
    cv2.bitwise_or(text, bridged, dst=text)
    del bridged
    # Scanner dust, a pixel or two: Tesseract's sparse-text mode will join two words across a
    # speck between them and misread both ("OH . 43215" as "am"). A full stop is far larger.
    specks = _dust(text, largest=max(2, round(6 * (dpi / 300) ** 2)))
    cleaned[specks] = 255
    text[specks] = 0
    return CleanPage(gray=cleaned, ink=text, paper=paper, watermark=stamp)


def _dust(mask: np.ndarray, *, largest: int) -> np.ndarray:
    """Where the mask's components of at most `largest` pixels are."""
    try:
        # 16-bit labels take half the memory of OpenCV's default; a page rarely has 65,535
        # separate blobs, and one that has falls back to 32 bits.
        count, labels, stats, _ = cv2.connectedComponentsWithStats(
            mask, connectivity=8, ltype=cv2.CV_16U
        )
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = np.zeros(count, dtype=bool)
    small[1:] = stats[1:, cv2.CC_STAT_AREA] <= largest
    return np.asarray(small[labels])
