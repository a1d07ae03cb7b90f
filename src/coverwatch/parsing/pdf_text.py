"""Words with boxes from a PDF page's text layer, through pypdfium2's text page (char boxes).

pdfplumber gives the same words ~25 times slower; pdfium's char boxes are what the speed goals
need. PDFium is not thread-safe, not even across documents, and the worker runs jobs in
threads: every pdfium call in coverwatch holds `PDFIUM_LOCK`.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Callable
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from coverwatch.parsing import pdf_shapes
from coverwatch.parsing.words import Box, PageWords, Word

# One lock for the process: pdfium state is global (pypdfium2 documents this).
PDFIUM_LOCK = threading.RLock()

# pdfium marks a hyphen at a line break (\x02) and a few non-characters; none belong in words.
_SKIPPED = {0, 2, 0xFFFE, 0xFFFF}


def page_words(page: pdfium.PdfPage, *, index: int) -> PageWords:
    """All words of one page, boxes in points from the displayed page's top-left corner."""
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    to_page = _orientation(page.get_rotation() % 360, left, top, width, height)
    textpage = page.get_textpage()
    try:
        chars, covered = _chars(textpage, to_page)
    finally:
        textpage.close()
    words = [Word(text=text, x0=x0, y0=y0, x1=x1, y1=y1) for text, x0, y0, x1, y1 in _words(chars)]
    if page.get_rotation() % 180 == 90:
        width, height = height, width
    return PageWords(
        index=index,
        width=width,
        height=height,
        source="text",
        words=words,
        marks=pdf_shapes.marks(page, to_page),
        covered=covered,
    )


def page_char_count(page: pdfium.PdfPage) -> int:
    """How many characters the page's text layer holds (0 for a scanned image)."""
    textpage = page.get_textpage()
    try:
        return int(textpage.count_chars())
    finally:
        textpage.close()


# (char, x0, y0, x1, y1, baseline, font size) in page points from the displayed top-left.
_Char = tuple[str, float, float, float, float, float, float]
# Text this much taller than the form's own, or turned this far from it, is a watermark or a
# stamp drawn over the form ("SAMPLE", "COPY"), not a value.
_WATERMARK_HEIGHT = 3.0
_WATERMARK_ANGLE = 0.2  # radians


def _chars(
    textpage: pdfium.PdfTextPage, to_page: Callable[[float, float], tuple[float, float]]
) -> tuple[list[_Char], list[Box]]:
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    found: list[tuple[_Char, float, float]] = []
    for i in range(max(0, count)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in _SKIPPED:
            continue
        char = chr(code) if code < 0x110000 else " "
        if char.isspace():
            found.append(((" ", 0, 0, 0, 0, 0, 0), 0.0, 0.0))
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or (rect.top - rect.bottom)
        (ax, ay), (bx, by) = to_page(rect.left, rect.bottom), to_page(rect.right, rect.top)
        _, baseline = to_page(origin_x.value, origin_y.value)
        angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
        box = (char, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), baseline, max(size, 1.0))
        found.append((box, rect.top - rect.bottom, angle))
    return _without_watermarks(found)


def _without_watermarks(found: list[tuple[_Char, float, float]]) -> tuple[list[_Char], list[Box]]:
    """The chars with those far larger than the page's text, or turned from it, left out."""
    glyphs = [(height, angle) for char, height, angle in found if char[0] != " "]
    if len(glyphs) < 20:
        return [char for char, _, _ in found], []
    usual_height = median(height for height, _ in glyphs)
    usual_angle = median(angle for _, angle in glyphs)
    kept: list[_Char] = []
    covered: list[Box] = []
    for char, height, angle in found:
        turn = abs((angle - usual_angle + math.pi) % (2 * math.pi) - math.pi)
        if char[0] != " " and (
            height > _WATERMARK_HEIGHT * usual_height or turn > _WATERMARK_ANGLE
        ):
            covered.append(char[1:5])
            kept.append((" ", 0, 0, 0, 0, 0, 0))
            continue
        kept.append(char)
    return kept, covered


def _words(chars: list[_Char]) -> list[tuple[str, float, float, float, float]]:
    words: list[tuple[str, float, float, float, float]] = []
    current: list[_Char] = []

    def flush() -> None:
        if current:
            words.append(
                (
                    "".join(c[0] for c in current),
                    min(c[1] for c in current),
                    min(c[2] for c in current),
                    max(c[3] for c in current),
                    max(c[4] for c in current),
                )
            )
            current.clear()

    for char in chars:
        if char[0] == " ":
            flush()
            continue
        if current:
            last = current[-1]
            size = max(char[6], last[6])
            # A new word when the baseline moves (another line) or when two runs sit apart
            # without a space between them (agency systems draw each box's text separately).
            if (
                abs(char[5] - last[5]) > 0.5 * size
                or char[1] - last[3] > 0.6 * size
                or char[1] < last[1] - 0.5 * size
            ):
                flush()
        current.append(char)
    flush()
    return words


def _orientation(
    rotation: int, left: float, top: float, width: float, height: float
) -> Callable[[float, float], tuple[float, float]]:
    """PDF user space to points from the top-left of the page as a viewer shows it."""

    def to_page(x: float, y: float) -> tuple[float, float]:
        # To top-left origin, y downward, in the unrotated page...
        ux, uy = x - left, top - y
        # ...then turned the way a viewer shows the page (/Rotate is clockwise).
        if rotation == 90:
            return height - uy, ux
        if rotation == 180:
            return width - ux, height - uy
        if rotation == 270:
            return uy, width - ux
        return ux, uy

    return to_page
