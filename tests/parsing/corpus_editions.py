"""Where the 2025/12 blank (HawkSoft's print) puts each box of the 2016/03 form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium

if TYPE_CHECKING:
    from tests.parsing.corpus_print import Widget


# Labels (2016/03 middle y, a test on the word) that place the 2025/12 print's boxes.
_EDITION_LABELS: list[tuple[str, float, Any]] = [
    ("DATE", 29.9, lambda w: w.x0 > 450 and w.y0 < 100),
    ("PRODUCER", 125.8, lambda w: w.x0 < 100),
    ("INSURED", 185.8, lambda w: w.x0 < 100 and w.y0 < 250),
    ("COVERAGES", 246.6, lambda w: True),
    ("INSR", 291.3, lambda w: True),
    ("COMMERCIAL", 305.8, lambda w: True),
    ("AUTOMOBILE", 389.8, lambda w: True),
    ("UMBRELLA", 449.8, lambda w: True),
    ("WORKERS", 484.6, lambda w: True),
    ("(Mandatory", 511.4, lambda w: True),
    ("DESCRIPTION", 569.8, lambda w: w.x0 < 60 and w.y0 > 540),
    ("CERTIFICATE", 654.9, lambda w: w.x0 < 60 and w.y0 > 600),
    ("AUTHORIZED", 713.8, lambda w: True),
]


@cache
def _geometry_2025() -> tuple[float, float, list[tuple[float, float]]]:
    """x scale and shift, and (2016 y, 2025 y) pairs, from labels on the 2025/12 blank."""
    from tests.parsing.corpus_print import BLANK_2025, blank

    document = pdfium.PdfDocument(blank(BLANK_2025))
    try:
        textpage = document[0].get_textpage()
        found = {text: _occurrences(textpage, text) for text, _, _ in _EDITION_LABELS}
        found["EACH"] = _occurrences(textpage, "EACH")
        textpage.close()
    finally:
        document.close()
    pairs = []
    for text, y, wanted in _EDITION_LABELS:
        _, top, bottom = next(box for box in found[text] if wanted(_Box(box[0], box[1])))
        pairs.append((y, (top + bottom) / 2))
    producer_x = next(box[0] for box in found["PRODUCER"] if box[0] < 100)
    limit_x = next(box[0] for box in found["EACH"] if box[0] > 400)
    scale = (limit_x - producer_x) / (428.4 - 21.6)
    return scale, producer_x - scale * 21.6, pairs


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float


def _occurrences(textpage: pdfium.PdfTextPage, text: str) -> list[tuple[float, float, float]]:
    """(left, top, bottom) of each whole-word occurrence, top-left origin."""
    boxes = []
    searcher = textpage.search(text, match_case=True, match_whole_word=True)
    while (hit := searcher.get_next()) is not None:
        index, count = hit
        left, bottom, _, top = textpage.get_charbox(index)
        last_bottom = textpage.get_charbox(index + count - 1)[1]
        boxes.append((left, 792 - top, 792 - min(bottom, last_bottom)))
    searcher.close()
    return boxes


def on_2025_page(widgets: dict[str, Widget]) -> dict[str, Widget]:
    """The boxes where the 2025/12 blank's labels put them."""
    from tests.parsing.corpus_print import Widget

    scale, shift, pairs = _geometry_2025()

    def y_of(y: float) -> float:
        # Linear between the two nearest labels (above and below), scaled beyond the ends.
        below = next((p for p in pairs if p[0] >= y), pairs[-1])
        above = next((p for p in reversed(pairs) if p[0] <= y), pairs[0])
        if below == above:
            return below[1] + (y - below[0]) * scale
        return above[1] + (below[1] - above[1]) * (y - above[0]) / (below[0] - above[0])

    moved = {}
    for key, widget in widgets.items():
        x0, y0, x1, y1 = widget.rect
        top, bottom = y_of(792 - y1), y_of(792 - y0)
        rect = (x0 * scale + shift, 792 - bottom, x1 * scale + shift, 792 - top)
        moved[key] = Widget(widget.name, key, rect, widget.align, widget.checkbox)
    return moved
