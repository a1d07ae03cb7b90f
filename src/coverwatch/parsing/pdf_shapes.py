"""Check marks drawn as strokes in a text-layer PDF (pdf-lib and similar flatteners).

Such a print has no text X in the box: the mark is a small path of slanted line segments. Box
outlines and ruling lines are straight (horizontal or vertical), logos are curves, so a small
path with two slanted segments or more is taken as a mark.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from coverwatch.parsing.words import Box

# A check mark is box-sized: larger paths are drawings, smaller ones specks.
_MIN_SIDE, _MAX_SIDE = 2.0, 16.0
_MAX_PATHS = 5000


def marks(
    page: pdfium.PdfPage, to_page: Callable[[float, float], tuple[float, float]]
) -> list[Box]:
    """Boxes of the drawn check marks, through `to_page` (PDF point to page point)."""
    found: list[Box] = []
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for count, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)):
        if count > _MAX_PATHS:
            break
        left, bottom, right, top = obj.get_bounds()
        if not (_MIN_SIDE <= right - left <= _MAX_SIDE and _MIN_SIDE <= top - bottom <= _MAX_SIDE):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj.raw, matrix):
            continue
        slanted, last = 0, None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            point = (x.value, y.value)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
                dx, dy = point[0] - last[0], point[1] - last[1]
                # The direction on the page, through the path's own matrix.
                px, py = matrix.a * dx + matrix.c * dy, matrix.b * dx + matrix.d * dy
                length = math.hypot(px, py)
                if length > 1.5 and min(abs(px), abs(py)) > 0.3 * length:
                    slanted += 1
            elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                slanted = -99  # curves: a logo or a round box, not a stroked mark
            last = point
        if slanted >= 2:
            (ax, ay), (bx, by) = to_page(left, bottom), to_page(right, top)
            found.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return found
