"""Endorsement evidence on a certificate: the forms attached or named, and what the remarks say.

A "Y" in ADDL INSD or SUBR WVD is the producer's claim; the Description of Operations and the
attached endorsement pages are where the evidence is. Descriptions are free text written by
agents, so this module reads them sentence by sentence and works out which lines of coverage
each statement is about ("Waiver of subrogation applies to GL and WC" says nothing of auto).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from coverwatch.parsing import endorsements as parsing_endorsements

# Which endorsement forms give what, per line (acord25.md section 5). Carriers also file their
# own forms that "include copyrighted material of ISO"; those count only when the Description
# of Operations names them next to what they do.
AI_ONGOING_FORMS = {
    "general_liability": frozenset({"CG 20 10", "CG 20 26", "CG 20 33", "CG 20 38"}),
    "auto_liability": frozenset({"CA 20 48"}),
}
# CG 20 26's completed-operations scope depends on its edition (sources disagree), so only
# CG 20 37 is taken as evidence of completed operations.
AI_COMPLETED_FORMS = {"general_liability": frozenset({"CG 20 37"})}
WAIVER_FORMS = {
    "general_liability": frozenset({"CG 24 04"}),
    "auto_liability": frozenset({"CA 04 44"}),
    # WC 04 03 06 is California's version of the NCCI waiver.
    "workers_comp": frozenset({"WC 00 03 13", "WC 04 03 06"}),
}
PRIMARY_FORMS = {
    "general_liability": frozenset({"CG 20 01"}),
    "auto_liability": frozenset({"CA 04 49"}),
}
PER_PROJECT_FORM = "CG 25 03"
# Per-location aggregate: not a substitute for per-project.
PER_LOCATION_FORM = "CG 25 04"

# Which line a form belongs to, by its prefix (CU is ISO's commercial umbrella series).
_FORM_LINE = {"CG": "general_liability", "CA": "auto_liability", "WC": "workers_comp"}


def find_forms(text: str) -> list[tuple[str, str | None]]:
    """Every endorsement form number in a text, normalised: ("CG 20 10", "04 13")."""
    # One reader of form numbers for the parser and the rules: the same text must name the
    # same forms whether it came from a PDF page or a certificate JSON.
    return parsing_endorsements.find_forms(text)


def normalise_form(text: str) -> str | None:
    """A form number as "CG 20 10" however it was printed ("CG2010", "CG 20 10 04 13")."""
    forms = find_forms(text)
    return forms[0][0] if forms else None


_PHRASES = {
    "additional_insured": re.compile(
        r"\b(?:additional|addl|addtl|add'l)\.?\s+(?:insureds?|insd)\b"
    ),
    "completed_operations": re.compile(
        r"\bcompleted[\s-]+op(?:eration)?s?\b|\bproducts?[\s/-]+completed\b|\bcomp(?:leted)?[\s/-]*ops\b"
    ),
    "waiver_of_subrogation": re.compile(
        r"\bwaiver\s+of\s+(?:subrogation|subro)\b|\bsubrogation\s+(?:is\s+|are\s+|has\s+been\s+)?waived\b"
        r"|\bwaives?\s+(?:all\s+)?(?:rights?\s+of\s+)?subrogation\b"
        r"|\bwaiver\s+of\s+(?:our\s+)?rights?\s+(?:of|to)\s+recover|\bwaiver\s+of\s+transfer\s+of\s+rights\b"
    ),
    "primary_noncontributory": re.compile(
        r"\bprimary\s*(?:and|&|/|,|-)?\s*non[\s-]?contributory\b"
    ),
    "per_project_aggregate": re.compile(
        r"\bper[\s-]+project\b|\bdesignated\s+construction\s+projects?\b|\bproject\s+aggregate\b"
    ),
    "follow_form": re.compile(r"\bfollow(?:s|ing)?[\s-]+form\b"),
}
_AGGREGATE = re.compile(r"\baggregate\b")
_HOLDER = re.compile(r"\bcert(?:ificate)?\.?\s+holders?\b")
_CANCEL = re.compile(r"\bcancel")
_DAYS = re.compile(r"\b(\d{1,3})\s*\)?\s*-?\s*days?\b")
_WORD_DAYS = {"ten": 10, "fifteen": 15, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90}
_WORD_DAYS_RE = re.compile(r"\b(ten|fifteen|thirty|forty-five|sixty|ninety)\s+days?\b")

# How each line is named in free text; a form number names its line too (see lines_named).
_LINE_WORDS = {
    "general_liability": re.compile(r"\b(?:general\s+liability|c?gl|commercial\s+general)\b"),
    "auto_liability": re.compile(r"\b(?:auto(?:mobile)?s?|business\s+auto|vehicles?)\b"),
    "umbrella": re.compile(r"\b(?:umbrella|excess)\b"),
    "workers_comp": re.compile(
        r"\b(?:workers'?\s*comp\w*|worker'?s'?\s+comp\w*|work\s+comp|wc|employers'?\s+liability)\b"
    ),
    "professional": re.compile(r"\b(?:professional|errors\s+(?:and|&)\s+omissions|e\s*&\s*o)\b"),
    "pollution": re.compile(r"\b(?:pollution|environmental|cpl)\b"),
    "builders_risk": re.compile(
        r"\bbuilder'?s'?\s+risk\b|\bcourse\s+of\s+construction\b|\binstallation\s+floater\b"
    ),
}
ALL_LINES = frozenset(_LINE_WORDS)
# "... applies to GL and auto except workers compensation": lines after these are left out.
_EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|excluding|other\s+than|but\s+not)\b|,\s*not\b")
# "... does not apply to auto": the sentence grants nothing to the lines after it.
_DENY = re.compile(
    r"\b(?:does|do)\s+not\s+apply\s+to\b|\bnot\s+applicable\s+to\b|\bis\s+not\s+provided\s+(?:on|for)\b"
)
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|without)\s+(?:\w+\s+){0,2}$")
_NEGATED_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:not|n/?a|excluded|none)\b")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = {"inc", "co", "corp", "ltd", "llc", "no", "st", "ave", "dba", "ft", "vs", "etc"}


def sentences(text: str) -> list[str]:
    """A description split into statements (lines, semicolons, full stops that end sentences)."""
    out: list[str] = []
    for chunk in re.split(r"[;\n\r]+", text):
        start = 0
        for match in re.finditer(r"\.\s+", chunk):
            before = re.findall(r"[A-Za-z]+$", chunk[: match.start()])
            word = before[0].casefold() if before else ""
            # "Acme Roofing, Inc. is ...", "L.L.C.", "J. Smith": not the end of a sentence.
            if word in _ABBREVIATIONS or len(word) == 1:
                continue
            out.append(chunk[start : match.start()])
            start = match.end()
        out.append(chunk[start:])
    return [s.strip().casefold() for s in out if s.strip()]


def lines_named(text: str) -> frozenset[str]:
    """The lines of coverage a piece of text names, in words or by an endorsement form number."""
    named = {line for line, pattern in _LINE_WORDS.items() if pattern.search(text)}
    named.update(_FORM_LINE[form[:2]] for form, _ in find_forms(text) if form[:2] in _FORM_LINE)
    return frozenset(named)


def _scope(sentence: str, phrase: re.Match[str]) -> frozenset[str]:
    """The lines a statement grants its phrase to (empty when it denies it)."""
    deny = _DENY.search(sentence)
    if deny:
        return lines_named(sentence[: deny.start()]) - lines_named(sentence[deny.end() :])
    if _NEGATED_BEFORE.search(sentence[: phrase.start()]) or _NEGATED_AFTER.search(
        sentence[phrase.end() :]
    ):
        return frozenset()
    cut = _EXCEPT.search(sentence)
    head, tail = (sentence[: cut.start()], sentence[cut.end() :]) if cut else (sentence, "")
    # A statement that names no line is about every line ("blanket additional insured").
    return (lines_named(head) or ALL_LINES) - lines_named(tail)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one certificate (or several, merged) shows beyond its coverage grid."""

    forms: frozenset[str]
    # Per concept, the lines some statement grants it to; `cited` only counts statements that
    # also name an endorsement form (the evidence a strict template accepts).
    stated: Mapping[str, frozenset[str]]
    cited: Mapping[str, frozenset[str]]
    notice_days: int | None
    holder_is_additional_insured: bool
    texts: tuple[str, ...]

    def says(self, concept: str, line: str, *, strict: bool) -> bool:
        """Whether the remarks grant a concept to a line (strict: only with a form named)."""
        return line in (self.cited if strict else self.stated).get(concept, frozenset())


def _concepts(statements: list[str]) -> tuple[dict[str, set[str]], dict[str, set[str]], bool]:
    stated: dict[str, set[str]] = {concept: set() for concept in _PHRASES}
    cited: dict[str, set[str]] = {concept: set() for concept in _PHRASES}
    holder_is_ai = False
    for sentence in statements:
        names_form = bool(find_forms(sentence))
        for concept, pattern in _PHRASES.items():
            match = pattern.search(sentence)
            if match is None:
                continue
            if concept == "completed_operations" and not _PHRASES["additional_insured"].search(
                sentence
            ):
                continue  # "completed operations" alone is not an additional insured grant
            if concept == "per_project_aggregate" and not _AGGREGATE.search(sentence):
                continue
            lines = _scope(sentence, match)
            stated[concept] |= lines
            if names_form:
                cited[concept] |= lines
            if concept == "additional_insured" and lines and _HOLDER.search(sentence):
                holder_is_ai = True
    return stated, cited, holder_is_ai


def _notice_days(statements: list[str]) -> int | None:
    days = []
    for sentence in statements:
        if _CANCEL.search(sentence):
            days += [int(n) for n in _DAYS.findall(sentence)]
            days += [_WORD_DAYS[w] for w in _WORD_DAYS_RE.findall(sentence)]
    return max(days) if days else None


def _freeze(concepts: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({key: frozenset(lines) for key, lines in concepts.items()})


@lru_cache(maxsize=2048)
def read_evidence(description: str | None, attached: tuple[str, ...]) -> Evidence:
    """The evidence in one certificate's description and attached endorsement form numbers."""
    text = description or ""
    forms = {form for form, _ in find_forms(text)}
    forms |= {form for entry in attached for form, _ in find_forms(entry)}
    statements = sentences(text)
    stated, cited, holder_is_ai = _concepts(statements)
    return Evidence(
        forms=frozenset(forms),
        stated=_freeze(stated),
        cited=_freeze(cited),
        notice_days=_notice_days(statements),
        holder_is_additional_insured=holder_is_ai,
        texts=(text,) if text else (),
    )


def merge(evidences: Iterable[Evidence]) -> Evidence:
    """Several certificates' evidence as one."""
    items = list(evidences)
    if len(items) == 1:
        return items[0]
    stated: dict[str, set[str]] = {}
    cited: dict[str, set[str]] = {}
    for item in items:
        for key, lines in item.stated.items():
            stated.setdefault(key, set()).update(lines)
        for key, lines in item.cited.items():
            cited.setdefault(key, set()).update(lines)
    notices = [item.notice_days for item in items if item.notice_days is not None]
    return Evidence(
        forms=frozenset().union(*(item.forms for item in items)),
        stated=_freeze(stated),
        cited=_freeze(cited),
        notice_days=max(notices) if notices else None,
        holder_is_additional_insured=any(item.holder_is_additional_insured for item in items),
        texts=tuple(text for item in items for text in item.texts),
    )
