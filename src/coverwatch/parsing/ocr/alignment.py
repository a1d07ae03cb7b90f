"""Registering a scanned page onto the ACORD 25 form, to know where each value cell lies.

The layout reader already registers any page of words against the form's printed labels
(`layout.anchors.register`: affine across, piecewise linear down, which carries the 2016/03
geometry to 2014/01, 2025/12 and agency prints). The OCR reads its full-page words through the
same registration, so the cells it reads alone are the boxes the layout reader will look in. A
page with too few labels, or labels that fit badly, gets no cell pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from coverwatch.parsing.layout.anchors import Registration, register
from coverwatch.parsing.ocr.template import Rect
from coverwatch.parsing.ocr.tesseract import TesseractWord
from coverwatch.parsing.ocr.words import page_words
from coverwatch.parsing.words import PageWords

# The layout reader takes a scan for a certificate from 20 labels on; the cells need the map to
# be right within a point or two (a row is 12 points tall).
_MIN_LABELS = 20
_MAX_RESIDUAL_POINTS = 2.0


@dataclass(frozen=True)
class Alignment:
    """Form points to page pixels, through the layout reader's registration of the page."""

    registration: Registration
    points_per_pixel: float
    # Page-pixel boxes of the printed labels the registration recognised.
    labels: tuple[tuple[int, int, int, int], ...] = ()

    def pixel_box(self, rect: Rect) -> tuple[int, int, int, int]:
        """The page-pixel box (x0, y0, x1, y1) that holds a rectangle of the form."""
        x0, y0, x1, y1 = self.registration.box(rect)
        scale = self.points_per_pixel
        return (
            int(min(x0, x1) / scale),
            int(min(y0, y1) / scale),
            int(max(x0, x1) / scale + 0.999),
            int(max(y0, y1) / scale + 0.999),
        )

    @property
    def pixels_per_point(self) -> float:
        """Page pixels per form point (the mean of the map's x and y scales)."""
        registration = self.registration
        return (abs(registration.ax) + abs(registration.ay)) / 2 / self.points_per_pixel


def align(words: list[TesseractWord], *, points_per_pixel: float) -> Alignment | None:
    """The map from the form onto the page, or None when the page does not fit the form."""
    page = PageWords(
        index=0,
        width=0.0,
        height=0.0,
        source="ocr",
        words=page_words(words, points_per_pixel=points_per_pixel),
    )
    registration = register(page)
    if (
        registration is None
        or registration.matched < _MIN_LABELS
        or registration.residual > _MAX_RESIDUAL_POINTS
    ):
        return None
    scale = points_per_pixel
    labels = tuple(
        (
            int(word.x0 / scale),
            int(word.y0 / scale),
            int(word.x1 / scale + 0.999),
            int(word.y1 / scale + 0.999),
        )
        for index, word in enumerate(page.words)
        if index in registration.label_words
    )
    return Alignment(registration=registration, points_per_pixel=scale, labels=labels)
