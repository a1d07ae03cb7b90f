"""Two readings of each value cell, the full page's and the cell's own, settled line by line.

The full-page pass reads a cell with its neighbours around it; the cell pass reads it alone
(letters and marks with a whitelist). Neither is always right (the page pass drops lone letters
and full stops, the cell pass misreads what a crop cuts short), but they fail differently, so:

- both give the same value (after the field type's normalisation): that value, with the
  better of the two confidences;
- only one gives a value of the field's type: that one;
- both give values and they differ: the more confident one, its confidence capped so that the
  field goes to review;
- free text is compared word by word: words both passes read alike are sure; where they
  differ, the reading with a full stop or a space more (both passes lose those, rarely add
  them), in an e-mail address the lower-case one, else the more confident one (the cell's,
  a framed block, when even), doubted;
- a checkbox is decided by its ink alone; an empty cell drops what the page pass saw in it
  (rule slivers and dust), and so does the form's printed "$" before each limit.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from coverwatch.parsing.ocr.cells import CellReading
from coverwatch.parsing.ocr.fixes import fix_address_block, fix_policy_number
from coverwatch.parsing.ocr.template import CellKind
from coverwatch.parsing.ocr.tesseract import TesseractWord
from coverwatch.parsing.values import (
    parse_amount,
    parse_date,
    parse_letter,
    parse_mark,
    parse_naic,
)

# A value read two ways that disagree keeps at most this confidence (below review's 0.8).
DISAGREEMENT_CONFIDENCE = 0.5
# A word only the full-page pass saw in a text frame is kept from this confidence on.
_KEEP_PAGE_ONLY = 0.6
_MEANINGFUL_SYMBOLS = set("&-/#$%@\u2013\u2014")

Box = tuple[int, int, int, int]

# Labels printed right above or below a text frame that a scan can push into it (2025/12
# prints the description's box shorter), with how alike a misread line must be to count as one:
# the long label is recognisable at half its letters, the short one must be nearly whole (a
# description line may well say "notice of cancellation").
_PRINTED_AROUND: dict[str, tuple[tuple[str, float], ...]] = {
    "description": (
        (
            "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES (ACORD 101, Additional Remarks "
            "Schedule, may be attached if more space is required)",
            0.45,
        ),
        ("CERTIFICATE HOLDER CANCELLATION", 0.75),
    ),
}


# A run of at least this many letters found (almost) whole, in one piece, in a label is a
# piece of it.
_PART_LETTERS = 8
_PART_SHARE = 0.9


def merge_cells(
    words: list[TesseractWord],
    cells: list[CellReading],
    *,
    labels: tuple[Box, ...] = (),
) -> list[TesseractWord]:
    """The full-page words with each cell's settled reading put in place of what lay in it.

    Words keep the page's order (a cell's words stand where its first page word stood), so
    that text searched across words ("ACORD 25 (2014/01)") stays together. `labels` are the
    boxes of printed labels found on the page: a cell that reaches over one (another edition's
    layout, a loose registration) neither removes it nor reads it again.
    """
    # Boxes by their top-left corner, each under the nine corners within a pixel of its own:
    # a page has hundreds of words and labels, and comparing every pair costs 0.1 s a page.
    corners: dict[tuple[int, int], list[Box]] = {}
    for box in labels:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                corners.setdefault((box[0] + dx, box[1] + dy), []).append(box)
    is_label = [
        any(_same_box(word, box) for box in corners.get((word.left, word.top), ()))
        for word in words
    ]
    centres = [(word.left + word.width / 2, word.top + word.height / 2) for word in words]
    # Position in the page's order -> the words standing there (a word, a cell's words, none).
    slots: list[list[TesseractWord]] = [[word] for word in words]
    appended: list[TesseractWord] = []
    for reading in cells:
        x0, y0, x1, y1 = reading.box
        # Labels near the cell (a word read in a crop may reach a little past the cell).
        reach = max(x1 - x0, y1 - y0)
        near = [
            box
            for box in labels
            if box[0] <= x1 + reach
            and box[2] >= x0 - reach
            and box[1] <= y1 + reach
            and box[3] >= y0 - reach
        ]
        reading = replace(
            reading,
            words=[w for w in reading.words if not any(_centre_in(w, box) for box in near)],
        )
        positions = [
            i
            for i, (x, y) in enumerate(centres)
            if x0 <= x <= x1
            and y0 <= y <= y1
            and not is_label[i]
            and len(slots[i]) == 1
            and slots[i][0] is words[i]
        ]
        inside = [words[i] for i in positions]
        if any(_overhangs(word, reading.box) and word.confidence >= 0.5 for word in inside):
            # A longer text runs through the cell (free text across columns): not a cell value.
            # (A low-confidence sprawl over two boxes is junk and does not count.)
            continue
        settled = _settle(reading, inside)
        if settled is None:
            continue
        for i in positions:
            slots[i] = []
        if positions:
            slots[positions[0]] = settled
        else:
            appended.extend(settled)
    return [word for slot in slots for word in slot] + appended


def _settle(reading: CellReading, inside: list[TesseractWord]) -> list[TesseractWord] | None:
    """What the cell holds, or None to leave the full-page words as they are."""
    kind = reading.cell.kind
    if kind == "checkbox":
        return reading.words
    if kind == "printed":
        # The form's "$" as the page pass read it ("$s", "¢", "S"): a glyph or two, no value.
        return [] if all(_is_print(word) for word in inside) else None
    if not reading.inked:
        # No ink in the cell: what the page pass saw there is dust, unless it reads as a value.
        return None if _value(kind, _text(inside)) is not None else []
    if not reading.words:
        return None
    if kind == "text":
        # Text wholly above the cell's first line was left to the page pass (a label or the
        # box above reaching in): kept as the page read it.
        top = min(word.top for word in reading.words)
        above = [word for word in inside if word.top + word.height <= top]
        rest = [word for word in inside if word.top + word.height > top]
        # An e-mail address is written in lower case: of two readings, the lower one.
        lower = reading.cell.name.endswith(".email")
        text = _without_label(
            above + _vote_text(reading.words, rest, lower=lower), reading.cell.name
        )
        if reading.cell.name.endswith(".block"):
            return fix_address_block(text)
        return fix_policy_number(text) if reading.cell.name.endswith(".number") else text
    lines = _lines(reading.words)
    settled: list[TesseractWord] = []
    claimed: set[int] = set()
    for line in lines:
        top = min(word.top for word in line)
        bottom = max(word.top + word.height for word in line)
        page_line = [
            word
            for word in inside
            if top <= word.top + word.height / 2 <= bottom and id(word) not in claimed
        ]
        claimed.update(id(word) for word in page_line)
        settled.extend(_vote(kind, cell=line, page=page_line))
    # Page words beside the cell's ink lines (between two lines, say) stay as they were.
    settled.extend(word for word in inside if id(word) not in claimed)
    return settled


def _vote(
    kind: CellKind, *, cell: list[TesseractWord], page: list[TesseractWord]
) -> list[TesseractWord]:
    if not page:
        return cell
    if kind in ("date", "amount", "digits") and any(_is_text(word) for word in page):
        # "Excluded", "STATUTORY", "N/A" as the page read them: the cell's crop of a word is
        # no better, and a misread of it must not turn into an amount.
        return page
    cell_value = _value(kind, _text(cell))
    page_value = _value(kind, _text(page))
    cell_confidence = min(word.confidence for word in cell)
    page_confidence = min(word.confidence for word in page)
    if cell_value is None and page_value is None:
        return page
    if page_value is None:
        return cell
    if cell_value is None:
        return page
    if cell_value == page_value:
        return _with_confidence(cell, max(cell_confidence, page_confidence))
    better = cell if cell_confidence >= page_confidence else page
    return _with_confidence(
        better, min(max(cell_confidence, page_confidence), DISAGREEMENT_CONFIDENCE)
    )


def _vote_text(
    cell: list[TesseractWord], page: list[TesseractWord], *, lower: bool = False
) -> list[TesseractWord]:
    """Word by word: the cell's reading, sure where the page agrees, doubted where not."""
    lines = _lines(cell)
    # Tesseract's own order within a line: now and then it gives a word of a stacked crop a
    # box at the line's start, and sorting by boxes would move the word there.
    cell_order = [word for line in lines for word in line]
    page_order = sorted(page, key=lambda word: (_nearest_line(word, lines), word.left))
    matcher = SequenceMatcher(
        a=[word.text for word in page_order], b=[word.text for word in cell_order], autojunk=False
    )
    settled: list[TesseractWord] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # The page pass's box: the full page places words better than a stacked crop.
            settled.extend(
                replace(theirs, confidence=max(ours.confidence, theirs.confidence))
                for ours, theirs in zip(cell_order[j1:j2], page_order[i1:i2], strict=True)
            )
            continue
        # Read differently (or only once): one of the two readings, not taken as sure.
        ours = _pick(cell_order[j1:j2], page_order[i1:i2], lower=lower)
        settled.extend(
            replace(word, confidence=min(word.confidence, DISAGREEMENT_CONFIDENCE)) for word in ours
        )
        if j1 == j2:
            # Words only the page pass saw: dust and rule remnants mostly; a real word the
            # block reading missed is kept, doubted.
            settled.extend(
                replace(word, confidence=min(word.confidence, DISAGREEMENT_CONFIDENCE))
                for word in page_order[i1:i2]
                if word.confidence >= _KEEP_PAGE_ONLY
                and any(ch.isalnum() or ch in _MEANINGFUL_SYMBOLS for ch in word.text)
            )
    return settled


def _pick(
    cell: list[TesseractWord], page: list[TesseractWord], *, lower: bool
) -> list[TesseractWord]:
    """Of a stretch the two passes read differently, the reading to keep (doubted)."""
    if not cell or not page:
        return cell
    cell_text = " ".join(word.text for word in cell)
    page_text = " ".join(word.text for word in page)
    if lower and cell_text.lower() == page_text.lower():
        # "Carmen.holloway@" / "carmen.holloway@": Tesseract capitalises a word's first letter
        # after its language model; an address is written in lower case.
        return (
            cell if sum(map(str.isupper, cell_text)) <= sum(map(str.isupper, page_text)) else page
        )
    if cell_text.replace(".", "") == page_text.replace(".", ""):
        # The same letters, one reading with a full stop more ("Inc." / "Inc"): both passes
        # lose small stops far more often than they make one up.
        return cell if cell_text.count(".") >= page_text.count(".") else page
    if cell_text.replace(" ", "") == page_text.replace(" ", ""):
        # The same letters, spaced differently ("EACHOCCURRENCE" / "EACH OCCURRENCE"): a block
        # reading runs tight words together far more often than either pass splits one.
        return cell if len(cell) >= len(page) else page
    # Otherwise the more confident one, the cell's block reading when even.
    if _least(page) > _least(cell):
        return [
            word
            for word in page
            if any(ch.isalnum() or ch in _MEANINGFUL_SYMBOLS for ch in word.text)
        ] or cell
    return cell


def _without_label(words: list[TesseractWord], name: str) -> list[TesseractWord]:
    """The frame's words less a first or last line that is a printed label, misread."""
    printed = _PRINTED_AROUND.get(name, ())
    for pick in (min, max):
        if not words:
            break
        end = pick(words, key=lambda word: word.top + word.height / 2)
        middle = end.top + end.height / 2
        line = [w for w in words if abs(w.top + w.height / 2 - middle) < 0.5 * max(end.height, 1)]
        if any(_resembles(line, label, least=least) for label, least in printed):
            words = [word for word in words if all(word is not other for other in line)]
    return words


def _resembles(words: list[TesseractWord], printed: str, *, least: float) -> bool:
    """Whether a line's words read as a (garbled) copy of a printed label, by their letters:
    alike overall, or a part of the label read well ("DESCRIPTION" alone)."""
    ordered = " ".join(word.text for word in sorted(words, key=lambda word: word.left))
    read = "".join(ch for ch in ordered.upper() if ch.isalpha())
    label = "".join(ch for ch in printed.upper() if ch.isalpha())
    matcher = SequenceMatcher(None, read, label, autojunk=False)
    if matcher.ratio() >= least:
        return True
    longest = matcher.find_longest_match(0, len(read), 0, len(label)).size
    return len(read) >= _PART_LETTERS and longest >= _PART_SHARE * len(read)


def _least(words: list[TesseractWord]) -> float:
    return min(word.confidence for word in words)


def _nearest_line(word: TesseractWord, lines: list[list[TesseractWord]]) -> int:
    middle = word.top + word.height / 2
    return min(
        range(len(lines)),
        key=lambda i: abs(
            middle - (min(w.top for w in lines[i]) + max(w.top + w.height for w in lines[i])) / 2
        ),
    )


def _value(kind: CellKind, text: str) -> Any:
    """The field type's reading of a text, None when it holds no value of that type."""
    if not text.strip():
        return None
    try:
        return _parsed(kind, text)
    except ValueError:
        # The normalisers are not ours to vouch for on every OCR oddity: no value, then.
        return None


def _parsed(kind: CellKind, text: str) -> Any:
    if kind == "amount":
        return parse_amount(text).value
    if kind == "date":
        return parse_date(text).value
    if kind == "digits":
        return parse_naic(text).value
    if kind == "letter":
        return parse_letter(text).value
    if kind == "mark":
        return parse_mark(text).value
    return text


def _text(words: list[TesseractWord]) -> str:
    ordered = sorted(words, key=lambda word: (word.top + word.height / 2, word.left))
    return " ".join(word.text for word in ordered)


def _lines(words: list[TesseractWord]) -> list[list[TesseractWord]]:
    by_line: dict[tuple[int, int, int], list[TesseractWord]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    return sorted(by_line.values(), key=lambda line: min(word.top for word in line))


def _with_confidence(words: list[TesseractWord], confidence: float) -> list[TesseractWord]:
    return [replace(word, confidence=confidence) for word in words]


def _same_box(word: TesseractWord, box: Box) -> bool:
    # Boxes went to points and back: equal within a pixel.
    return (
        abs(word.left - box[0]) <= 1
        and abs(word.top - box[1]) <= 1
        and abs(word.left + word.width - box[2]) <= 1
        and abs(word.top + word.height - box[3]) <= 1
    )


def _centre_in(word: TesseractWord, box: Box) -> bool:
    x = word.left + word.width / 2
    y = word.top + word.height / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _overhangs(word: TesseractWord, box: Box) -> bool:
    outside = max(0, box[0] - word.left) + max(0, word.left + word.width - box[2])
    return outside > 0.3 * max(1, word.width)


def _is_print(word: TesseractWord) -> bool:
    return len(word.text) <= 3 and sum(ch.isdigit() for ch in word.text) <= 1


def _is_text(word: TesseractWord) -> bool:
    letters = sum(ch.isalpha() for ch in word.text)
    digits = sum(ch.isdigit() for ch in word.text)
    # "$4M" and "500K" are amounts; "Excluded" is not.
    return word.confidence >= 0.5 and letters >= 2 and letters > digits
