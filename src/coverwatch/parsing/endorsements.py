"""Endorsement forms named in a certificate's text or printed on the pages attached to it.

Form numbers are written many ways: "CG 20 10 04 13", "CG2010", "CG 20 10 (04/13)",
"CG 20 10 & 20 37", "WC 00 03 13 (04 84)". ISO forms have two pairs of digits (CG 20 10), NCCI
workers' compensation forms three (WC 00 03 13); a further pair of pairs is the edition, month
and year. Carriers file forms of their own that "include copyrighted material of ISO" with any
prefix (CG 85 83 04 13); those are taken from a page only when it says so and carries an edition,
since a bare "AB 12 34" in free text is more often something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coverwatch.certificates.schemas import Endorsement
from coverwatch.parsing.readings import CertificateReading

_SEP = r"[\s.\-/()]{0,3}"
_PAIRS = rf"\d{{2}}(?:{_SEP}\d{{2}}){{1,9}}"
_STANDARD = re.compile(rf"(?<![A-Z0-9])(CG|CA|CU|IL|WC|CP)\s?[.\-]?\s?({_PAIRS})(?!\d)", re.I)
# "& 20 37", ", 2037", " and 20 37": a number borrowing the prefix before it.
_CONTINUED = re.compile(rf"\s*(?:,|&|\+|/|\band\b)\s*({_PAIRS})(?!\d)", re.I)
_CARRIER = re.compile(
    rf"(?<![A-Z0-9])([A-Z]{{2,5}})\s?(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}})(?!\d)"
)
_ISO_COPYRIGHT = re.compile(
    r"copyright(?:ed)?\s+material\s+of\s+(?:ISO|Insurance\s+Services\s+Office)", re.I
)
# Prefixes that are not forms although they look like one ("PAGE 12 34"...).
_NOT_PREFIXES = {"PAGE", "NO", "FORM", "ACORD", "NAIC", "PH", "FAX", "TEL", "ZIP", "SUITE", "STE"}


def find_forms(text: str) -> list[tuple[str, str | None]]:
    """Every standard (ISO, NCCI) form number in a text: ("CG 20 10", "04 13")."""
    found: list[tuple[str, str | None]] = []
    for match in _STANDARD.finditer(text):
        prefix = match.group(1).upper()
        forms = _split(prefix, match.group(2))
        found.extend(forms)
        end = match.end()
        while forms and (continued := _CONTINUED.match(text, end)):
            forms = _split(prefix, continued.group(1))
            found.extend(forms)
            end = continued.end()
    return found


def carrier_forms(text: str) -> list[tuple[str, str | None]]:
    """Carrier forms with an edition on a page that includes ISO's copyrighted material."""
    if not _ISO_COPYRIGHT.search(text):
        return []
    found: list[tuple[str, str | None]] = []
    for match in _CARRIER.finditer(text):
        prefix = match.group(1).upper()
        if prefix in _NOT_PREFIXES or not _valid_month(match.group(4)):
            continue
        found.append(
            (f"{prefix} {match.group(2)} {match.group(3)}", f"{match.group(4)} {match.group(5)}")
        )
    return found


def endorsements(pages: Iterable[tuple[int, str]]) -> list[Endorsement]:
    """The forms found on each (1-based page, text), once per page; editions kept when given."""
    result: list[Endorsement] = []
    for page, text in pages:
        forms = find_forms(text) + carrier_forms(text)
        with_edition = {form for form, edition in forms if edition}
        seen: set[tuple[str, str | None]] = set()
        for form, edition in forms:
            if (form, edition) in seen or (edition is None and form in with_edition):
                continue
            seen.add((form, edition))
            result.append(Endorsement(form=form, edition=edition, page=page))
    return result


def free_text(reading: CertificateReading) -> str:
    """The certificate's own free text where forms are named: the Description of Operations and
    the other-coverage lines (not policy numbers, which look like forms: "CA 1234567")."""
    texts = [value.text for role, value in reading.values.items() if role == "description"]
    texts += [
        value.text
        for row in reading.rows
        for role, value in row.values.items()
        if role == "description" or role.endswith("_text")
    ]
    return "\n".join(texts)


def _split(prefix: str, digits_text: str) -> list[tuple[str, str | None]]:
    # Number, then an edition when the next pair is a month, then maybe another number with the
    # same prefix ("CG 2010 / 2037", "CG 20 10 04 13 / 20 37 04 13"). A run of digits that does
    # not divide that way ("CA 95676629", "WC 1234567") is a policy number, not a form.
    groups = re.findall(r"\d+", digits_text)
    if any(len(group) % 2 for group in groups):
        return []
    pairs = [(group[i : i + 2], i == 0) for group in groups for i in range(0, len(group), 2)]
    width = 3 if prefix == "WC" else 2
    forms: list[tuple[str, str | None]] = []
    i = 0
    while i + width <= len(pairs) and pairs[i][1]:
        number = " ".join([prefix, *(pair for pair, _ in pairs[i : i + width])])
        i += width
        edition = None
        if i + 2 <= len(pairs) and _valid_month(pairs[i][0]):
            edition = f"{pairs[i][0]} {pairs[i + 1][0]}"
            i += 2
        forms.append((number, edition))
    if i < len(pairs) and not pairs[i][1]:
        return []
    return forms


def _valid_month(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= 12
