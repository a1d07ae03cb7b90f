"""OCR look-alike fixes where the word's place leaves one possible answer.

Tesseract confuses I, l and 1, O and 0, and the case of C/O/S at small sizes. A few words on an
ACORD 25 have a closed set of possible values, so a look-alike there is fixed, never guessed:

- in the name and address block of the producer, insured or certificate holder, the state
  before the ZIP code ("1A" and "co" can only be IA and CO; "NO", NC or ND, is left alone) and
  a street suffix ("Bivd" can only be Blvd);
- in a policy number, "$" (no insurer puts one there): "X$52007225" is XS52007225;
- in the footer of a page registered as an ACORD 25, the form number ("ACORD 26" is ACORD 25),
  an edition no ACORD 25 can have ("(2125/12)", one character from 2025/12 and from no
  other edition) and an edition read as two words ("(2025/1" "2)").

A fixed word keeps less confidence than it was read with. Everything else (names, street names,
cities) is left as read; doubt there is the confidence's business.
"""

from __future__ import annotations

import re
from dataclasses import replace

from coverwatch.parsing.ocr.tesseract import TesseractWord


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# USPS codes of the states, DC and the territories that certificates name.
STATES = _codes(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP"
)
# USPS street suffixes in the forms agents type.
STREET_SUFFIXES = _codes(
    "Ave Avenue Blvd Cir Ct Dr Hwy Ln Pkwy Pl Plz Rd Sq St Ter Trl Way "
    "AVE AVENUE BLVD CIR CT DR HWY LN PKWY PL PLZ RD SQ ST TER TRL WAY"
)
# Characters Tesseract swaps for one another, each mapped to one representative.
_LOOKALIKE = str.maketrans({"1": "I", "l": "I", "|": "I", "i": "I", "0": "O", "5": "S", "8": "B"})
_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_EDITION = re.compile(r"^\((\d{4})/(\d{2})\)$")
# The editions of the ACORD 25 (docs: shared/reference/acord25.md, 1.2).
EDITIONS = ("2001/08", "2009/09", "2010/05", "2014/01", "2016/03", "2025/12")
_FIRST_YEAR, _LAST_YEAR = 1988, 2035
_FIX_CONFIDENCE = 0.95  # the share of its confidence a fixed word keeps


def fix_address_block(words: list[TesseractWord]) -> list[TesseractWord]:
    """The words of a name-and-address block, with state codes and street suffixes fixed."""
    fixed = list(words)
    for line in _lines(fixed):
        ordered = sorted(line, key=lambda i: fixed[i].left)
        if len(ordered) >= 2 and _ZIP.match(fixed[ordered[-1]].text.strip(",.")):
            state = ordered[-2]
            fixed[state] = _fixed(fixed[state], _state_for(fixed[state].text))
        for index in ordered:
            fixed[index] = _fixed(fixed[index], _suffix_for(fixed[index].text))
    return fixed


def fix_footer(words: list[TesseractWord]) -> list[TesseractWord]:
    """On a registered ACORD 25 page, "ACORD 26 (2125/12)" in the footer is ACORD 25 (2025/12)."""
    fixed = list(words)
    i = 0
    while i < len(fixed) - 2:
        first, number = fixed[i : i + 2]
        if first.text.upper() != "ACORD" or not re.fullmatch(r"\d{2,3}", number.text):
            i += 1
            continue
        edition, parts = _edition_after(fixed, i + 2)
        found = _EDITION.match(edition.text) if edition is not None else None
        if edition is None or found is None:
            i += 1
            continue
        if number.text != "25":
            fixed[i + 1] = replace(number, text="25", confidence=min(number.confidence, 0.8))
        # The edition stands on the footer's line: a box Tesseract grew up into the frame above
        # ("(2025/1" over the rule) would put it in the certificate holder's address.
        edition = replace(edition, top=first.top, height=first.height)
        year, month = int(found.group(1)), int(found.group(2))
        if not (_FIRST_YEAR <= year <= _LAST_YEAR and 1 <= month <= 12):
            read = f"{found.group(1)}/{found.group(2)}"
            near = [
                known
                for known in EDITIONS
                if sum(a != b for a, b in zip(read, known, strict=True)) == 1
            ]
            if len(near) == 1:
                edition = replace(
                    edition, text=f"({near[0]})", confidence=min(edition.confidence, 0.8)
                )
        fixed[i + 2 : i + 2 + parts] = [edition]
        i += 3
    return fixed


def _edition_after(words: list[TesseractWord], start: int) -> tuple[TesseractWord | None, int]:
    """The edition word at `start`, or the one made of it and the next when OCR split it
    ("(2025/1" "2)"), with how many words it took."""
    word = words[start]
    if _EDITION.match(word.text):
        return word, 1
    if start + 1 >= len(words):
        return None, 0
    after = words[start + 1]
    joined = word.text + after.text
    gap = after.left - (word.left + word.width)
    if not _EDITION.match(joined) or not 0 <= gap <= max(word.height, after.height):
        return None, 0
    right = after.left + after.width
    top = min(word.top, after.top)
    bottom = max(word.top + word.height, after.top + after.height)
    merged = replace(
        word,
        text=joined,
        width=right - word.left,
        top=top,
        height=bottom - top,
        confidence=min(word.confidence, after.confidence) * _FIX_CONFIDENCE,
    )
    return merged, 2


def fix_policy_number(words: list[TesseractWord]) -> list[TesseractWord]:
    """A policy number's "$" is an S."""
    return [
        _fixed(word, word.text.replace("$", "S") if any(ch.isalnum() for ch in word.text) else None)
        for word in words
    ]


def _state_for(text: str) -> str | None:
    core = text.strip(",.")
    if core in STATES or len(core) != 2:
        return None
    tail = text[len(text.rstrip(",.")) :]
    if core.upper() in STATES:
        return core.upper() + tail
    options = {state for state in STATES if _looks_alike(core.upper(), state)}
    return next(iter(options)) + tail if len(options) == 1 else None


def _suffix_for(text: str) -> str | None:
    core = text.rstrip(",.")
    if core in STREET_SUFFIXES or len(core) < 2:
        return None
    options = {suffix for suffix in STREET_SUFFIXES if _looks_alike(core, suffix, exact_case=True)}
    return next(iter(options)) + text[len(core) :] if len(options) == 1 else None


def _looks_alike(read: str, known: str, *, exact_case: bool = False) -> bool:
    if len(read) != len(known) or read == known:
        return False
    for a, b in zip(read, known, strict=True):
        if a == b:
            continue
        same_glyph = a.translate(_LOOKALIKE) == b.translate(_LOOKALIKE)
        if not same_glyph and (exact_case or a.upper() != b.upper()):
            return False
    return True


def _fixed(word: TesseractWord, text: str | None) -> TesseractWord:
    if text is None or text == word.text:
        return word
    return replace(word, text=text, confidence=word.confidence * _FIX_CONFIDENCE)


def _lines(words: list[TesseractWord]) -> list[list[int]]:
    order = sorted(range(len(words)), key=lambda i: words[i].top + words[i].height / 2)
    lines: list[list[int]] = []
    for i in order:
        middle = words[i].top + words[i].height / 2
        if lines:
            last = words[lines[-1][0]]
            if abs(middle - (last.top + last.height / 2)) < 0.5 * max(last.height, 1):
                lines[-1].append(i)
                continue
        lines.append([i])
    return lines
