"""Tolerant matching of business names: named insureds, certificate holders, insurers.

Users hate false deficiencies more than missed ones, and most name "mismatches" on certificates
are spelling: case, punctuation, "&" for "and", "L.L.C." for "LLC", a DBA printed after the legal
name, accents an agency system drops ("PENA ROOFING" for "Peña Roofing"). Those must match; a
different entity ("Acme Roofing Holdings" for "Acme Roofing") must not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# "Acme Roofing Inc dba Acme Exteriors" names two businesses of one legal entity.
_DBA = re.compile(
    r"\b(?:d\s*/\s*b\s*/\s*a|d\.\s*b\.\s*a\.?|dba|doing\s+business\s+as|t\s*/\s*a|trading\s+as"
    r"|a\s*/\s*k\s*/\s*a|aka|f\s*/\s*k\s*/\s*a|fka)\b",
    re.IGNORECASE,
)
_PHRASES = (
    ("professional limited liability company", "pllc"),
    ("limited liability company", "llc"),
    ("limited liability partnership", "llp"),
    ("limited partnership", "lp"),
    ("professional corporation", "pc"),
)
# Legal-form words and the kind of entity each one says. LLC and Inc are different legal
# entities, so "Acme LLC" must not match "Acme Inc"; "Co", "Company" and "Ltd" say nothing.
_SUFFIXES: dict[str, str | None] = {
    "llc": "llc",
    "lc": "llc",
    "pllc": "llc",
    "inc": "corporation",
    "incorporated": "corporation",
    "corp": "corporation",
    "corporation": "corporation",
    "pc": "corporation",
    "pa": "corporation",
    "plc": "corporation",
    "lp": "partnership",
    "llp": "partnership",
    "lllp": "partnership",
    "co": None,
    "company": None,
    "ltd": None,
    "limited": None,
}
# Insurer names are abbreviated freely on certificates ("Cascade Mut Ins Co").
_INSURER_WORDS = {
    "ins": "insurance",
    "insur": "insurance",
    "cas": "casualty",
    "mut": "mutual",
    "natl": "national",
    "amer": "american",
    "prop": "property",
    "indem": "indemnity",
    "assur": "assurance",
    "gen": "general",
    "cos": "companies",
}


@dataclass(frozen=True, slots=True)
class NameKey:
    """A business name reduced to what identifies it."""

    tokens: tuple[str, ...]
    entity: str | None

    @property
    def compact(self) -> str:
        """The name with all spaces removed ("AcmeRoofing" equals "Acme Roofing")."""
        return "".join(self.tokens)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A text in lower-case ASCII, as certificates often print names: "Peña" reads "pena".

    Transliterated rather than only stripped of accents, so that letters with no accent to
    strip (ø, ł, ß, æ) read as the ASCII an agency system prints for them (o, l, ss, ae).
    """
    return anyascii(text).casefold()


def slug(text: str) -> str:
    """The words of a name joined by dashes, for identifiers and file names ("" if none)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Words of a text folded to lower-case ASCII, "&" read as "and", periods and apostrophes
    dropped."""
    text = fold(text).replace("&", " and ")
    text = re.sub(r"[.'`\u2019]", "", text)
    for phrase, short in _PHRASES:
        text = text.replace(phrase, short)
    return tuple(re.findall(r"[0-9a-z]+", text))


@lru_cache(maxsize=4096)
def name_key(text: str) -> NameKey:
    """The identifying words of a business name, with legal-form suffixes stripped."""
    words = list(tokens(text))
    if words and words[0] == "the":
        words = words[1:]
    entity: str | None = None
    while len(words) > 1 and words[-1] in _SUFFIXES:
        kind = _SUFFIXES[words.pop()]
        entity = entity or kind
        # "Smith & Co" leaves a dangling "and"; it says nothing either way.
        while len(words) > 1 and words[-1] == "and":
            words.pop()
    return NameKey(tuple(words), entity)


def same_entity(first: str, second: str) -> bool:
    """Whether two business names plainly name the same entity."""
    a, b = name_key(first), name_key(second)
    if not a.tokens or a.compact != b.compact:
        return False
    return a.entity is None or b.entity is None or a.entity == b.entity


@lru_cache(maxsize=4096)
def name_variants(text: str) -> tuple[str, ...]:
    """Each business a printed name block names: its lines, and both sides of any DBA."""
    variants: list[str] = []
    for line in re.split(r"[\n;]+", text):
        variants.extend(part.strip(" ,:-") for part in _DBA.split(line))
    return tuple(v for v in variants if v)


def insured_matches(printed: str | None, wanted: Sequence[str]) -> bool:
    """Whether the certificate's named insured is the vendor, under its legal name or a DBA."""
    if not printed:
        return False
    expected = [variant for name in wanted for variant in name_variants(name)]
    return any(same_entity(seen, name) for seen in name_variants(printed) for name in expected)


# Words that may follow the holder's name on the first line ("..., its subsidiaries and
# affiliates", "... ATIMA" = as their interests may appear, "c/o", "attn").
_HOLDER_TAIL = {"and", "its", "as", "atima", "attn", "c", "o", "including", "for", "on", "care"}


def holder_matches(printed: str | None, expected: str) -> bool:
    """Whether a certificate holder block names the project's holder (address lines ignored)."""
    if not printed:
        return False
    wanted_lines = [line for line in expected.splitlines() if line.strip()]
    if not wanted_lines:
        return True
    wanted = wanted_lines[0]
    key = name_key(wanted)
    for line in name_variants(printed):
        if same_entity(line, wanted):
            return True
        seen = tokens(line)
        full = tokens(wanted)
        for prefix in (full, key.tokens):
            if (
                prefix
                and len(seen) > len(prefix)
                and seen[: len(prefix)] == prefix
                and seen[len(prefix)] in _HOLDER_TAIL
            ):
                return True
    return False


def mentions(text: str, name: str) -> bool:
    """Whether a free text (the Description of Operations) names a business."""
    wanted = name_key(name).tokens
    if not wanted:
        return False
    seen = tokens(text)
    width = len(wanted)
    return any(seen[i : i + width] == wanted for i in range(len(seen) - width + 1))


def any_mentioned(texts: Iterable[str], name: str) -> bool:
    """Whether any of several texts names a business."""
    return any(mentions(text, name) for text in texts)


@lru_cache(maxsize=4096)
def insurer_key(name: str) -> str:
    """An insurer name reduced for lookup in the rating table."""
    words = [_INSURER_WORDS.get(word, word) for word in tokens(name)]
    return name_key(" ".join(words)).compact
