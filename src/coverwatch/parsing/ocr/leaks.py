"""Printed label text that a scan lets into the values beside it, taken out again.

Agency systems print a value tight against its label ("CONTACT" / "NAME:" on the left of the
contact, "INSURER A :" before an insurer's name, the insured's name on the INSURED label's own
line). At scan resolution Tesseract runs the two together: "NAME:Megan", "A:Northbridge",
":Redwood", or leaves a label word alone in the value's box ("CONTACT", "B :" on an empty
insurer row). Once the page is registered, what lies in each value box is checked against the
printed words of that box and its neighbours (ACORD 25's label vocabulary): a leading or
trailing label word is dropped, a row letter glued to an insurer's name is cut off, and the
value left is doubted, since the cut is a guess about where the label ended. A value printed on
its block label's line is moved down into the block, doubted, so the block's first line is
its name and not the street.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from coverwatch.parsing.ocr.alignment import Alignment
from coverwatch.parsing.ocr.tesseract import TesseractWord

Rect = tuple[float, float, float, float]

# A value whose label was cut from it keeps at most this confidence (below review's 0.8).
_DOUBTED = 0.5
# Value boxes (2016/03 form points, as `layout.template` zones them) and the printed words of
# their own label and of the labels beside them.
_LABEL_WORDS: tuple[tuple[Rect, frozenset[str]], ...] = (
    ((338.0, 118.5, 604.0, 132.0), frozenset({"CONTACT", "NAME", "PHONE"})),
    ((330.0, 132.0, 604.0, 144.0), frozenset({"PHONE", "FAX", "AC", "NO", "EXT", "ACNO"})),
    ((330.0, 144.0, 604.0, 156.0), frozenset({"EMAIL", "ADDRESS", "E"})),
    ((14.0, 128.0, 305.0, 181.0), frozenset({"PRODUCER"})),
    ((14.0, 190.0, 305.0, 241.0), frozenset({"INSURED", "NAMED"})),
    ((14.0, 661.0, 305.0, 746.0), frozenset({"CERTIFICATE", "HOLDER"})),
    (
        (340.0, 162.0, 540.0, 240.5),
        frozenset({"INSURER", "INSURERS", "NAIC", "AFFORDING", "COVERAGE", "PROVIDING"}),
    ),
)
# The insurer rows: from the INSURER labels to the NAIC boxes.
_INSURER_ROWS: Rect = (330.0, 168.5, 540.0, 240.5)
# Label words of at least this many letters also count when read this much alike.
_FUZZY_LETTERS = 5
_FUZZY_SHARE = 0.8
# A row letter with its colon, alone ("B", "C:", ":") or glued to the name ("A:Northbridge").
_ROW_LETTER = re.compile(r"^[A-F]?\s*[:;.]$")
_LONE_LETTER = re.compile(r"^[A-F]$")
_GLUED_LETTER = re.compile(r"^(?:[A-F]\s*)?[:;]+(?=\w)")
# A label glued to the value after it: "NAME:Megan", "ADDRESS:megan@".
_GLUED_LABEL = re.compile(r"^(?:CONTACT|NAME|ADDRESS|E-MAIL|PHONE|INSURED)[:;]+(?=\S)")
# The coverage grid's rows (top, bottom) and its POLICY NUMBER column (left, right), in points.
_GRID_ROWS = ((299.8, 383.8), (383.8, 443.8), (443.8, 479.8), (479.8, 527.8), (527.8, 563.8))
_NUMBER_COLUMN = (212.5, 330.8)
# What stands in a policy number's place without being one: N/A, NONE, a mark or two.
_NO_NUMBER = re.compile(r"^(?:N/?A|NONE|[XYN]{1,2}|[^A-Z0-9]*)$")
# Block labels whose own line may hold the block's first line (its name): the band right of
# the label, the label's last word, and the block's top.
_LABEL_LINES: tuple[tuple[Rect, str, float], ...] = (
    ((49.0, 181.5, 305.0, 189.8), "INSURED", 190.5),
    ((116.0, 650.0, 305.0, 660.5), "HOLDER", 661.5),
)


def without_leaks(words: list[TesseractWord], alignment: Alignment) -> list[TesseractWord]:
    """The page's words with printed label text taken out of the value boxes."""
    is_label = [_is_label(word, alignment.labels) for word in words]
    # Moved first, so that a label word carried along is then dropped as one.
    kept = _moved_down(words, is_label, set(), alignment)
    dropped: set[int] = set()
    # A value's confidence is its least word's: doubting the word next to a cut is enough.
    doubted: set[int] = set()
    for rect, vocabulary in _LABEL_WORDS:
        zone = alignment.pixel_box(rect)
        members = [i for i, word in enumerate(kept) if not is_label[i] and _centre_in(word, zone)]
        for line in _lines(kept, members):
            ends = _label_ends(kept, line, vocabulary)
            if ends:
                dropped.update(ends)
                doubted.update(i for i in line if i not in ends)
    rows = alignment.pixel_box(_INSURER_ROWS)
    in_rows = [
        i
        for i, word in enumerate(kept)
        if not is_label[i] and i not in dropped and _centre_in(word, rows)
    ]
    for line in _lines(kept, in_rows):
        # Only a line's first word can be its row's letter (an insurer's name may hold "A").
        while line and _ROW_LETTER.match(kept[line[0]].text.strip()):
            # The row's letter with its colon: the label's, no part of the insurer's name.
            dropped.add(line.pop(0))
        if len(line) == 1 and _LONE_LETTER.match(kept[line[0]].text.strip()):
            # A letter alone on its row (a name's first word may be one: "F re", "i" lost).
            dropped.add(line.pop(0))
        if line and (cut := _GLUED_LETTER.match(kept[line[0]].text)):
            word = kept[line[0]]
            kept[line[0]] = replace(word, text=word.text[cut.end() :])
            doubted.update(line)
    for i, word in enumerate(kept):
        if i not in dropped and (glued := _GLUED_LABEL.match(word.text.upper())):
            kept[i] = replace(word, text=word.text[glued.end() :])
            doubted.add(i)
    for i, word in enumerate(kept):
        if i in doubted and i not in dropped:
            kept[i] = replace(word, confidence=min(word.confidence, _DOUBTED))
    dropped.update(_not_policy_numbers(kept, is_label, alignment))
    return [word for i, word in enumerate(kept) if i not in dropped]


def _not_policy_numbers(
    words: list[TesseractWord], is_label: list[bool], alignment: Alignment
) -> set[int]:
    """Words in a row's POLICY NUMBER column that are no policy number: "N/A", a mark.

    A redrawn form's "N/A" (printed under ADDL INSD on the WC row) or a Y/N mark read a column
    over lands here, and the layout reader would make a policy of it. No insurer writes a
    policy number without a digit.
    """
    out: set[int] = set()
    for top, bottom in _GRID_ROWS:
        column = alignment.pixel_box((_NUMBER_COLUMN[0], top, _NUMBER_COLUMN[1], bottom))
        members = [
            i for i, word in enumerate(words) if not is_label[i] and _centre_in(word, column)
        ]
        for line in _lines(words, members):
            text = "".join(words[i].text for i in line)
            if not any(ch.isdigit() for ch in text) and _NO_NUMBER.match(text.upper()):
                out.update(line)
    return out


def _label_ends(
    words: list[TesseractWord], line: list[int], vocabulary: frozenset[str]
) -> list[int]:
    """The label words at the start or the end of a value line."""
    ends: list[int] = []
    for order in (line, line[::-1]):
        for i in order:
            text = words[i].text
            # Labels are printed in capitals; a value in mixed case is no label.
            if i in ends or not text.isupper() or not _is_label_word(text, vocabulary):
                break
            ends.append(i)
    # A line that is all label words is a label read loose, not a value: dropped whole.
    return ends


def _moved_down(
    words: list[TesseractWord], is_label: list[bool], dropped: set[int], alignment: Alignment
) -> list[TesseractWord]:
    moved = list(words)
    for rect, label, top in _LABEL_LINES:
        band = alignment.pixel_box(rect)
        inside = [
            i
            for i, word in enumerate(words)
            if i not in dropped and not is_label[i] and _centre_in(word, band)
        ]
        if not inside or not any(sum(ch.isalpha() for ch in words[i].text) >= 2 for i in inside):
            continue
        first = min(words[i].left for i in inside)
        line = (band[1], band[3])
        if not any(
            _letters(word.text) == label
            and line[0] <= word.top + word.height / 2 <= line[1]
            and word.left + word.width <= first
            for word in words
        ):
            # Only beside its label is a line the block's name: not the box above reaching in.
            continue
        # Just inside the block's top, where the layout reader looks for its first line.
        target = alignment.pixel_box((rect[0], top, rect[2], top + 1.0))[1]
        for i in inside:
            word = words[i]
            moved[i] = replace(word, top=target, confidence=min(word.confidence, _DOUBTED))
    return moved


def _lines(words: list[TesseractWord], members: list[int]) -> list[list[int]]:
    """Members grouped into lines by their middles, each line left to right."""
    lines: list[list[int]] = []
    for i in sorted(members, key=lambda i: words[i].top + words[i].height / 2):
        word = words[i]
        middle = word.top + word.height / 2
        for line in lines:
            first = words[line[0]]
            if abs(first.top + first.height / 2 - middle) <= 0.5 * max(first.height, 1):
                line.append(i)
                break
        else:
            lines.append([i])
    return [sorted(line, key=lambda i: words[i].left) for line in lines]


def _is_label_word(text: str, vocabulary: frozenset[str]) -> bool:
    letters = _letters(text)
    if letters in vocabulary:
        return True
    # A long label word misread by a letter or two ("#SURER(S)" for INSURER(S)).
    return len(letters) >= _FUZZY_LETTERS and any(
        SequenceMatcher(None, letters, word).ratio() >= _FUZZY_SHARE for word in vocabulary
    )


def _letters(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalpha())


def _is_label(word: TesseractWord, labels: tuple[tuple[int, int, int, int], ...]) -> bool:
    # Boxes went to points and back: equal within a pixel.
    right, bottom = word.left + word.width, word.top + word.height
    return any(
        abs(word.left - box[0]) <= 1
        and abs(word.top - box[1]) <= 1
        and abs(right - box[2]) <= 1
        and abs(bottom - box[3]) <= 1
        for box in labels
    )


def _centre_in(word: TesseractWord, box: tuple[int, int, int, int]) -> bool:
    x = word.left + word.width / 2
    y = word.top + word.height / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
