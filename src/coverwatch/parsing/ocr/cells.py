"""Reading the value cells of an aligned ACORD 25 scan one by one, with settings per kind.

On a full page Tesseract drops lone characters (an INSR LTR "A", an "X" in ADDL INSD), reads
checkbox edges as "|" and "[" and muddles digits set tight against a rule. Once the page is
registered onto the form, each cell is cut out and read with what its kind allows:

- checkbox: no OCR at all; the share of ink inside the box says ticked or not;
- mark (ADDL INSD, SUBR WVD), letter (INSR LTR): the ink blobs inside the cell, read with a
  whitelist (X/Y/N, A-F);
- date, amount, NAIC: the ink lines inside the cell;
- printed (the "$" before each limit): not read; what the page pass made of it ("$s", "¢")
  is dropped;
- text (names, addresses, policy numbers, the description): the ink lines inside the frame,
  read as a block (Tesseract's sparse full-page mode drops full stops and now and then reads
  two words across a frame as one).

Crops of one kind are stacked into one image and read in one Tesseract call: a call costs
~0.1 s to start, so forty separate calls would cost more than the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from coverwatch.parsing.ocr.alignment import Alignment
from coverwatch.parsing.ocr.cleanup import CleanPage
from coverwatch.parsing.ocr.template import CELLS, Cell, CellKind, Rect
from coverwatch.parsing.ocr.tesseract import TesseractWord, recognise

CELL_TIMEOUT_SECONDS = 30.0
# Ink share inside a checkbox: an X or a tick covers well over 10 %, an empty box ~0 %.
_TICKED_SHARE = 0.08
_EMPTY_SHARE = 0.025
# Kinds read together in one Tesseract call, and what that call may read. Both cases of a
# letter are allowed: with "X" alone Tesseract still weighs "x" and reports a confidence near 0.
# Numbers have no whitelist: with one, "1 000 000" came back as "1.000000" at confidence 0 and
# the accuracy was no better (the normalisers already turn O into 0 inside an amount). So they
# share one call with the text: each call costs ~0.1 s to start.
_GROUPS: dict[str, tuple[frozenset[CellKind], str | None]] = {
    "glyphs": (frozenset({"mark", "letter"}), "ABCDEFNXYabcdefnxy"),
    "values": (frozenset({"date", "amount", "digits", "text"}), None),
}
_MOSAIC_GAP = 24  # pixels of paper between two stacked crops
_RULE_GLYPHS = set("|_~=[]")
# Crops are cut from the page with its rules, this far above and below the ink of a line.
_MARGIN_POINTS = 1.5
_MOSAIC_PAD = 8
# A line cut by its frame's left side is followed left this far for the rest of its glyph.
_REACH_POINTS = 4.0
# A frame's first line cut by its top is read when at least this tall against its other lines.
_FULL_LINE_SHARE = 0.85


@dataclass(frozen=True)
class CellReading:
    """What one cell holds: its page-pixel box and the words read in it (page pixels)."""

    cell: Cell
    box: tuple[int, int, int, int]
    words: list[TesseractWord]
    inked: bool = True  # False: nothing glyph-sized in the cell, it is empty


def read_cells(page: CleanPage, alignment: Alignment, *, dpi: float) -> list[CellReading]:
    """Every template cell of the page read on its own (empty cells with no words)."""
    ink = _despeckled(page.ink, dpi=dpi)
    cleaned = page.gray
    readings: list[CellReading] = []
    pending: dict[str, list[tuple[Cell, tuple[int, int, int, int], list[_Crop]]]] = {}
    scale = alignment.pixels_per_point
    for number, cell in enumerate(CELLS):
        box = _clip(alignment.pixel_box(cell.rect), cleaned.shape)
        if cell.kind == "checkbox":
            readings.append(_checkbox(cell, ink, alignment, number=number))
            continue
        if cell.kind == "printed":
            # The form's own print (the "$" before each limit): nothing to read.
            readings.append(CellReading(cell=cell, box=box, words=[]))
            continue
        inset = _inset(cell.rect, alignment, cleaned.shape)
        crops = _ink_lines(ink, inset, scale=scale)
        if cell.kind == "text":
            if crops and crops[0][1] <= inset[1] + 1 and not _full_line(crops):
                # Ink cut by the frame's top: a label printed above (another edition puts
                # it lower) or text from the box above; the page pass reads it whole.
                crops = crops[1:]
            crops = _whole_first_glyphs(crops, ink, inset, reach=round(_REACH_POINTS * scale))
            crops = _with_margins(crops, inset, box, margin=round(_MARGIN_POINTS * scale))
        if not crops:
            readings.append(CellReading(cell=cell, box=box, words=[], inked=False))
            continue
        group = next(name for name, (kinds, _) in _GROUPS.items() if cell.kind in kinds)
        pending.setdefault(group, []).append((cell, box, crops))
    for group, items in pending.items():
        crops = [crop for _, _, cell_crops in items for crop in cell_crops]
        # Crops are cut from the page with its rules: erasing a rule that a line of text sits
        # on takes the descenders and the feet of digits with it, and a crop inside its cell
        # holds little of the rules anyway.
        words_by_crop = _read_stacked(
            page.paper,
            crops,
            whitelist=_GROUPS[group][1],
            dpi=dpi,
            call=list(_GROUPS).index(group),
        )
        start = 0
        for cell, box, cell_crops in items:
            tidied = (
                _tidied(word, cell.kind)
                for i in range(start, start + len(cell_crops))
                for word in words_by_crop[i]
            )
            words = [word for word in tidied if word is not None]
            start += len(cell_crops)
            readings.append(CellReading(cell=cell, box=box, words=words))
    return readings


def _tidied(word: TesseractWord, kind: CellKind) -> TesseractWord | None:
    if kind == "text":
        # The edge of the frame read as a glyph; no value on the form is a lone bar.
        return None if set(word.text) <= _RULE_GLYPHS else word
    if kind not in ("mark", "letter"):
        return word
    # One glyph comes back as "xX" now and then (both cases of the same letter).
    letters = "".join(dict.fromkeys(word.text.upper()))
    allowed = "XYN" if kind == "mark" else "ABCDEF"
    confidence = word.confidence if len(letters) == 1 and letters in allowed else 0.3
    return replace(word, text=letters, confidence=confidence)


_Crop = tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels


def _despeckled(ink: np.ndarray, *, dpi: float) -> np.ndarray:
    # Scanner specks and JPEG noise are a pixel or two; a glyph stroke is several.
    size = max(2, round(dpi / 150))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))


def _clip(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    height, width = shape[:2]
    x0, y0, x1, y1 = box
    return max(0, x0), max(0, y0), min(width, x1), min(height, y1)


def _inset(rect: Rect, alignment: Alignment, shape: tuple[int, ...]) -> _Crop:
    # Stay clear of the rules around the cell (erased, but their bridged remains linger) and
    # of a checkbox edge inside it.
    x0, y0, x1, y1 = rect
    return _clip(alignment.pixel_box((x0 + 1.5, y0 + 1.0, x1 - 1.5, y1 - 1.0)), shape)


def _checkbox(cell: Cell, ink: np.ndarray, alignment: Alignment, *, number: int) -> CellReading:
    x0, y0, x1, y1 = cell.rect
    # What the page pass saw on the box's edges is replaced too (the layout reader looks that
    # far around a box): "|", "[", "/" read off an empty box are not marks.
    box = _clip(alignment.pixel_box((x0 - 1.5, y0 - 1.0, x1 + 1.5, y1 + 1.0)), ink.shape)
    mark_box = _clip(alignment.pixel_box(cell.rect), ink.shape)
    # The box's own edges are ink too: measure well inside them.
    ix0, iy0, ix1, iy1 = _clip(
        alignment.pixel_box((x0 + 3.0, y0 + 2.5, x1 - 3.0, y1 - 2.5)), ink.shape
    )
    inside = ink[iy0:iy1, ix0:ix1]
    if inside.size == 0:
        return CellReading(cell=cell, box=box, words=[], inked=False)
    share = float(np.count_nonzero(inside)) / inside.size
    if share < _EMPTY_SHARE:
        return CellReading(cell=cell, box=box, words=[], inked=False)
    # Between empty and clearly ticked: a smudge or a faint mark, said with low confidence.
    confidence = 0.95 if share >= _TICKED_SHARE else 0.5
    mark = TesseractWord(
        text="X",
        left=mark_box[0],
        top=mark_box[1],
        width=mark_box[2] - mark_box[0],
        height=mark_box[3] - mark_box[1],
        confidence=confidence,
        line=(-100, number, 0),  # a line of its own
    )
    return CellReading(cell=cell, box=box, words=[mark])


def _ink_lines(ink: np.ndarray, box: _Crop, *, scale: float) -> list[_Crop]:
    """Boxes around each line of ink blobs inside a cell (none for an empty cell)."""
    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    if region.size == 0 or not region.any():
        return []
    count, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    # Glyph-sized blobs only: a period is ~0.8 pt across, a speck far less.
    min_area = max(4.0, (0.6 * scale) ** 2)
    blobs = [
        (int(s[0]), int(s[1]), int(s[0] + s[2]), int(s[1] + s[3]))
        for s in stats[1:count]
        if s[4] >= min_area
    ]
    if not blobs:
        return []
    lines: list[list[int]] = []
    for bx0, by0, bx1, by1 in sorted(blobs, key=lambda b: (b[1] + b[3]) / 2):
        middle = (by0 + by1) / 2
        for line in lines:
            if line[1] - 1 <= middle <= line[3] + 1:
                line[0], line[1] = min(line[0], bx0), min(line[1], by0)
                line[2], line[3] = max(line[2], bx1), max(line[3], by1)
                break
        else:
            lines.append([bx0, by0, bx1, by1])
    # A line shorter than a glyph is dust that survived the opening.
    tall_enough = 2.5 * scale
    return [
        (x0 + lx0, y0 + ly0, x0 + lx1, y0 + ly1)
        for lx0, ly0, lx1, ly1 in sorted(lines, key=lambda line: line[1])
        if ly1 - ly0 >= tall_enough
    ]


def _whole_first_glyphs(
    lines: list[_Crop], ink: np.ndarray, inset: _Crop, *, reach: int
) -> list[_Crop]:
    """Line boxes that the frame's left side cuts, grown left to the paper before the glyph.

    Agencies print a value tight against its label ("INSURER A :Northbridge", the contact
    beside NAME:): the frame then cuts its first letter in half, and half a "G" reads "S".
    """
    grown: list[_Crop] = []
    for x0, y0, x1, y1 in lines:
        if x0 <= inset[0] + 1:
            limit = max(0, x0 - reach)
            while x0 > limit and ink[y0:y1, x0 - 1].any():
                x0 -= 1
        grown.append((x0, y0, x1, y1))
    return grown


def _full_line(lines: list[_Crop]) -> bool:
    """Whether the first of a frame's lines is as tall as the others: a value set high in its
    frame (the first insurer's name), not the cut-off foot of a label above."""
    if len(lines) < 2:
        return False
    heights = sorted(y1 - y0 for _, y0, _, y1 in lines[1:])
    first = lines[0][3] - lines[0][1]
    return first >= _FULL_LINE_SHARE * heights[len(heights) // 2]


def _with_margins(lines: list[_Crop], inset: _Crop, box: _Crop, *, margin: int) -> list[_Crop]:
    """Line boxes grown up and down by `margin`, short of the half-way mark to the next line.

    A line whose ink runs into the cell's edge sits on the rule there: its crop reaches past
    the edge to take back the descenders under the rule. Any other line stays inside the
    cell, so that the rule does not come back as "_" between its words.
    """
    grown: list[_Crop] = []
    for i, (x0, y0, x1, y1) in enumerate(lines):
        touches_top, touches_bottom = y0 <= inset[1] + 1, y1 >= inset[3] - 1
        ceiling = (y0 + lines[i - 1][3]) // 2 if i else box[1] if touches_top else inset[1]
        last = i + 1 == len(lines)
        floor = (y1 + lines[i + 1][1]) // 2 if not last else box[3] if touches_bottom else inset[3]
        grown.append((x0, min(y0, max(y0 - margin, ceiling)), x1, max(y1, min(y1 + margin, floor))))
    return grown


def _read_stacked(
    source: np.ndarray, crops: list[_Crop], *, whitelist: str | None, dpi: float, call: int
) -> list[list[TesseractWord]]:
    """Each crop's words (page pixels), read in one Tesseract call over the crops stacked.

    Each crop is one line of its own: the words get the line id (-1 - call, crop, line).
    """
    width = max(x1 - x0 for x0, _, x1, _ in crops) + 2 * _MOSAIC_PAD
    heights = [y1 - y0 + 2 * _MOSAIC_PAD for _, y0, _, y1 in crops]
    mosaic = np.full((sum(heights) + _MOSAIC_GAP * (len(crops) + 1), width), 255, np.uint8)
    offsets: list[int] = []
    top = _MOSAIC_GAP
    for (x0, y0, x1, y1), height in zip(crops, heights, strict=True):
        mosaic[
            top + _MOSAIC_PAD : top + _MOSAIC_PAD + y1 - y0, _MOSAIC_PAD : _MOSAIC_PAD + x1 - x0
        ] = source[y0:y1, x0:x1]
        offsets.append(top)
        top += height + _MOSAIC_GAP
    words = recognise(mosaic, psm=6, dpi=dpi, timeout=CELL_TIMEOUT_SECONDS, whitelist=whitelist)
    found: list[list[TesseractWord]] = [[] for _ in crops]
    for word in words:
        middle = word.top + word.height / 2
        for i, ((x0, y0, _, _), offset, height) in enumerate(
            zip(crops, offsets, heights, strict=True)
        ):
            if offset <= middle < offset + height:
                found[i].append(
                    TesseractWord(
                        text=word.text,
                        left=x0 + word.left - _MOSAIC_PAD,
                        top=y0 + word.top - offset - _MOSAIC_PAD,
                        width=word.width,
                        height=word.height,
                        confidence=word.confidence,
                        line=(-1 - call, i, word.line[2]),
                    )
                )
                break
    return found
