"""A watermark stamped across the page ("SAMPLE", "COPY"): found, erased, and its ground marked.

Carriers' sample copies and some agency prints lay a large grey word across the limits column.
Otsu's threshold then counts its strokes as ink, the cells under it read as a mess of glyphs, and
the limits there are lost. Its strokes are told from print by their tone and size: far lighter
than type or as dark, but many points wide where a stroke of type is one. Pale strokes are
erased from the page (dark type over them is kept); what a watermark stamped over the print
hid cannot be read back, so the ground it covers is kept as a mask and every word read there
is doubted.
"""

from __future__ import annotations

import cv2
import numpy as np

# Tones of the background-flattened page (paper 255): anything darker than _PAPER is marked.
_PAPER = 232
# Inside a stamp, what is darker than this share of its tone is type printed over it.
_TYPE_SHARE = 0.6
# A watermark's strokes are several points wide; a glyph's fringe is under one.
_STROKE_POINTS = 2.2
# How far a stamp's blurred edge reaches past its solid stroke.
_EDGE_POINTS = 1.5
# A stamp's letter (a blob after the opening): at least this tall and wide (points), not far
# longer one way than the other, mostly hollow; and a stamp has a few of them.
_MIN_SIDE_POINTS = 18.0
_MAX_ASPECT = 2.5
_MAX_FILL = 0.5
_MIN_LETTERS = 2
# Around the strokes, words this close (points) are on the watermark's ground too.
_GROUND_POINTS = 2.0


def watermark_mask(paper: np.ndarray, *, dpi: float) -> np.ndarray | None:
    """Where a watermark's strokes lie on a flattened page (bool mask), None when there is none."""
    # Type's strokes are a point or so wide, a stamp's several: an opening by a square wider
    # than any type stroke leaves only the stamp (a stamp dark enough to pass for type too).
    stroke = max(3, round(_STROKE_POINTS / 72 * dpi))
    marked = cv2.morphologyEx(
        (paper < _PAPER).astype(np.uint8), cv2.MORPH_OPEN, np.ones((stroke, stroke), np.uint8)
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(marked, connectivity=8)
    del marked
    height, width = paper.shape
    side = _MIN_SIDE_POINTS / 72 * dpi
    big = np.zeros(count, dtype=bool)
    for number in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[number])
        big[number] = (
            min(w, h) >= side
            and max(w, h) <= _MAX_ASPECT * min(w, h)
            # A stamp's letter is an outline of strokes; a filled box or a black bar is solid.
            and area <= _MAX_FILL * w * h
            # A dark page edge or a scanner's border runs into the image's side.
            and x > 0
            and y > 0
            and x + w < width
            and y + h < height
        )
    # A stamp is a word: two letters at least (one blob alone is a logo or a smudge).
    if np.count_nonzero(big) < _MIN_LETTERS:
        return None
    # Strokes grown back over their own blurred edges, which the opening shaved: a faint
    # outline left on the page reads as "ws:" and "ay".
    mask = big[labels].astype(np.uint8)
    del labels
    grow = 2 * max(2, round(_EDGE_POINTS / 72 * dpi)) + 1
    return cv2.dilate(mask, np.ones((grow, grow), np.uint8)) > 0


def erased(paper: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The page with the watermark's pale pixels turned to paper, type over it kept."""
    stamped = paper[mask]
    # Type printed over a grey stamp is far darker than the stamp.
    # (its own tone: the darker quarter of what it covers; the rest is its blurred edge).
    inked = stamped[stamped < _PAPER]
    tone = float(np.percentile(inked, 25)) if inked.size else 0.0
    out = paper.copy()
    out[mask & (paper > _TYPE_SHARE * tone)] = 255
    return out


def ground(mask: np.ndarray, *, dpi: float) -> np.ndarray:
    """The watermark's strokes widened a little: a word touching them is on its ground."""
    reach = max(3, round(_GROUND_POINTS / 72 * dpi))
    return cv2.dilate(mask.astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
