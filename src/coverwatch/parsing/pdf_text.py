"""Words with boxes from a PDF page's text layer, through pypdfium2's text page (char boxes).

pdfplumber gives the same words ~25 times slower; pdfium's char boxes are what the speed goals
need. PDFium is not thread-safe, not even across documents, and the worker runs jobs in
threads: every pdfium call in coverwatch holds `PDFIUM_LOCK`.
"""

from __future__ import annotations

import ctypes
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from coverwatch.parsing.words import PageWords, Word

# One lock for the process: pdfium state is global (pypdfium2 documents this).
PDFIUM_LOCK = threading.RLock()

# pdfium marks a hyphen at a line break (\x02) and a few non-characters; none belong in words.
_SKIPPED = {0, 2, 0xFFFE, 0xFFFF}


def page_words(page: pdfium.PdfPage, *, index: int) -> PageWords:
    """All words of one page, boxes in points from the displayed page's top-left corner."""
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    rotation = page.get_rotation() % 360
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage)
    finally:
        textpage.close()
    words = [
        _oriented(word, rotation=rotation, left=left, top=top, width=width, height=height)
        for word in _words(chars)
    ]
    if rotation in (90, 270):
        width, height = height, width
    return PageWords(index=index, width=width, height=height, source="text", words=words)


def page_char_count(page: pdfium.PdfPage) -> int:
    """How many characters the page's text layer holds (0 for a scanned image)."""
    textpage = page.get_textpage()
    try:
        return int(textpage.count_chars())
    finally:
        textpage.close()


# (char, x0, y0, x1, y1, baseline, font size) in PDF user space (y upward).
_Char = tuple[str, float, float, float, float, float, float]


def _chars(textpage: pdfium.PdfTextPage) -> list[_Char]:
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    chars: list[_Char] = []
    for i in range(max(0, count)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in _SKIPPED:
            continue
        char = chr(code) if code < 0x110000 else " "
        if char.isspace():
            chars.append((" ", 0, 0, 0, 0, 0, 0))
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or (rect.top - rect.bottom)
        chars.append(
            (char, rect.left, rect.bottom, rect.right, rect.top, origin_y.value, max(size, 1.0))
        )
    return chars


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


def _oriented(
    word: tuple[str, float, float, float, float],
    *,
    rotation: int,
    left: float,
    top: float,
    width: float,
    height: float,
) -> Word:
    text, x0, y0, x1, y1 = word
    # To top-left origin, y downward, in the unrotated page...
    ux0, ux1 = x0 - left, x1 - left
    uy0, uy1 = top - y1, top - y0
    # ...then turned the way a viewer shows the page (/Rotate is clockwise).
    if rotation == 90:
        ux0, uy0, ux1, uy1 = height - uy1, ux0, height - uy0, ux1
    elif rotation == 180:
        ux0, uy0, ux1, uy1 = width - ux1, height - uy1, width - ux0, height - uy0
    elif rotation == 270:
        ux0, uy0, ux1, uy1 = uy0, width - ux1, uy1, width - ux0
    return Word(text=text, x0=ux0, y0=uy0, x1=ux1, y1=uy1)
