"""Straightening a page image: sideways pages and small skew, by projection profiles.

Text lines and form rules are horizontal on an upright page, so the ink projected onto the
y axis is sharply peaked (sum of squared row counts is high) only when the page is level. The
same measure on the x axis tells a sideways page. Upside-down pages look the same to a
projection; `ocr.py` settles 0 versus 180 degrees by how well Tesseract reads the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from coverwatch.parsing.ocr.cleanup import ink_mask

MAX_SKEW_DEGREES = 4.0  # scans are expected within 3 degrees; a little slack for photos
_PROBE_WIDTH = 1000  # pixels across the downscaled copy that the angle is measured on
_COARSE_STEP = 0.1
_FINE_STEP = 0.01


@dataclass(frozen=True)
class Straightening:
    """How to straighten a page: quarter turns (counter-clockwise) then a small rotation."""

    quarter_turns: int
    skew_degrees: float  # counter-clockwise, applied after the quarter turns
    # >1: text runs horizontally (upright or upside down); <1: the page lies on its side.
    line_ratio: float


def measure(gray: np.ndarray) -> Straightening:
    """The quarter turns and skew correction that make the page's lines horizontal."""
    xs, ys = _ink_points(gray)
    if len(xs) < 200:
        return Straightening(quarter_turns=0, skew_degrees=0.0, line_ratio=1.0)
    across_angle, across_score = _best_angle(xs, ys)
    down_angle, down_score = _best_angle(ys, xs)
    ratio = across_score / down_score if down_score else 1.0
    if ratio >= 1.0:
        return Straightening(quarter_turns=0, skew_degrees=across_angle, line_ratio=ratio)
    # Lines run down the page: turning it a quarter clockwise (3 counter-clockwise) or
    # counter-clockwise puts them across; which of the two is OCR's call. Turning by 90
    # degrees changes the sign of the shear measured on the transposed points.
    return Straightening(quarter_turns=1, skew_degrees=-down_angle, line_ratio=ratio)


def straighten(gray: np.ndarray, *, quarter_turns: int, skew_degrees: float) -> np.ndarray:
    """The page turned by quarter turns, then rotated by skew_degrees on a white, larger canvas."""
    turned = np.ascontiguousarray(np.rot90(gray, quarter_turns % 4)) if quarter_turns else gray
    if abs(skew_degrees) < 0.02:
        return turned
    height, width = turned.shape
    radians = np.radians(abs(skew_degrees))
    # Grow the canvas so that no corner of the sheet is cut off.
    new_width = int(np.ceil(width * np.cos(radians) + height * np.sin(radians)))
    new_height = int(np.ceil(height * np.cos(radians) + width * np.sin(radians)))
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew_degrees, 1.0)
    matrix[0, 2] += (new_width - width) / 2
    matrix[1, 2] += (new_height - height) / 2
    return cv2.warpAffine(
        turned,
        matrix,
        (new_width, new_height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def _ink_points(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = min(1.0, _PROBE_WIDTH / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
    ys, xs = np.nonzero(ink)
    return xs.astype(np.float64), ys.astype(np.float64)


def _best_angle(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + _COARSE_STEP / 2, _COARSE_STEP)
    angle = _argmax(xs, ys, coarse)
    fine = np.arange(angle - _COARSE_STEP, angle + _COARSE_STEP + _FINE_STEP / 2, _FINE_STEP)
    angle = _argmax(xs, ys, fine)
    return angle, _sharpness(xs, ys, angle)


def _argmax(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> float:
    scores = [_sharpness(xs, ys, float(angle)) for angle in angles]
    return float(angles[int(np.argmax(scores))])


def _sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float) -> float:
    # A shear is as good as a rotation for a few degrees and far cheaper.
    rows = ys - xs * np.tan(np.radians(degrees))
    counts = np.bincount(np.round(rows - rows.min()).astype(np.int64)).astype(np.float64)
    return float(np.dot(counts, counts))
