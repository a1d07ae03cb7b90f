"""Names and addresses of the producer, the insured and the certificate holder.

An address in the contract is its lines joined by ", ", the last written "City, ST ZIP". A form
field reader has the parts; a layout reader has a block of lines in which agents let a long
name run onto the next line ("Management Solutions" / "Inc 914 Air Drive") or type name and
street on one line ("Source,Inc. 8 Three"), so the block is split where the street begins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CITY_LINE = re.compile(
    r"^(?P<city>[^,\d][^\d]*?)[\s,]+(?P<state>[A-Za-z]{2})\.?,?\s+(?P<zip>\d{5}(?:-?\d{4})?)$"
)
_LEGAL_SUFFIX = (
    r"(?:inc|incorporated|llc|l\.l\.c|corp|corporation|co|company|ltd|lp|llp|pllc|pc|p\.c|"
    r"pa|l\.p|plc|dba|d/b/a)\.?,?"
)
_SUFFIX_THEN_STREET = re.compile(rf"^(?P<name>.*?\b{_LEGAL_SUFFIX})\s+(?P<street>\d.*)$", re.I)
_STARTS_WITH_SUFFIX = re.compile(rf"^(?P<suffix>{_LEGAL_SUFFIX})\s+(?P<street>\d.*)$", re.I)
_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)"
_ADDRESS_START = re.compile(
    rf"^(?:\d|#\s*\d|p\.?\s*o\.?\s*box\b|post\s+office\b|c/o\b|attn\b|care\s+of\b|"
    rf"(?:suite|ste|floor|unit|bldg|building|room|dept)\.?\s+\w|{_NUMBER_WORDS}\s+[A-Z])",
    re.I,
)
# How sure a split is when the block had to be interpreted rather than simply read.
_SPLIT_CONFIDENCE = 0.9
# A name that still holds a phone number or an e-mail after the block's own contact lines are
# left out is not a clean name: a person checks it.
_UNCLEAN_NAME_CONFIDENCE = 0.5
_PHONE = re.compile(r"(?:\(\d{3}\)\s*|\b\d{3}[-.\s])\d{3}[-.\s]?\d{4}\b")
_EMAIL = re.compile(r"\S+@\S+\.\w{2,}")
_ACCOUNT = re.compile(
    r"\b(?:acct|account|cust(?:omer)?|client|policyholder|member|ref)\.?\s*"
    r"(?:#|no\.?|number|id)?\s*[:#]?\s*[A-Z0-9-]*\d[A-Z0-9-]*",
    re.I,
)
_CONTACT_WORDS = re.compile(
    r"\b(?:ext|x)\.?\s*\d{1,5}\b|\b(?:ph(?:one)?|tel|fax|e-?mail|cell|ext)\b\.?\s*:?", re.I
)
# Agency and carrier systems caption an address line ("HOME OFFICE: P.O. BOX 1234").
_ADDRESS_CAPTION = re.compile(
    r"^(?:home\s+office|mailing\s+address|mail\s+to|remit\s+to|address|main\s+office)\s*:?\s+"
    r"(?=\S)",
    re.I,
)


def city_line(city: str | None, *, state: str | None, postal: str | None) -> str | None:
    """ "City, ST ZIP" from its parts, whichever are present."""
    tail = " ".join(part for part in (state, postal) if part)
    if city and tail:
        return f"{city.rstrip(', ')}, {tail}"
    return city or tail or None


def join_address(lines: Sequence[str | None]) -> str | None:
    """Address lines joined by ", ", the last put in "City, ST ZIP" form when it is one."""
    kept = [" ".join(line.split()).strip(" ,") for line in lines if line and line.strip(" ,")]
    if not kept:
        return None
    match = _CITY_LINE.match(kept[-1])
    if match:
        city = match["city"].strip(" ,")
        kept[-1] = city_line(city, state=match["state"], postal=match["zip"]) or kept[-1]
    return ", ".join(kept)


def split_block(lines: list[str]) -> tuple[str | None, str | None, float]:
    """(name, address, confidence) from the lines of a name-and-address block.

    Lines that are only a phone number, an e-mail or an account number (printed above the
    name by some agency systems) are not the party's name or address.
    """
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    lines = [_ADDRESS_CAPTION.sub("", line) for line in lines if not is_contact_line(line)]
    name, address, confidence = _split(lines)
    if name and (_PHONE.search(name) or _EMAIL.search(name)):
        confidence = min(confidence, _UNCLEAN_NAME_CONFIDENCE)
    return name, address, confidence


def is_contact_line(line: str) -> bool:
    """Whether a block line holds nothing but phone numbers, e-mails and account numbers."""
    rest = _ACCOUNT.sub(" ", _EMAIL.sub(" ", _PHONE.sub(" ", line)))
    if rest == line:
        return False
    rest = _CONTACT_WORDS.sub(" ", rest)
    return not re.search(r"[A-Za-z0-9]", rest)


def _split(lines: list[str]) -> tuple[str | None, str | None, float]:
    if not lines:
        return None, None, 1.0
    first = _SUFFIX_THEN_STREET.match(lines[0])
    if first:
        # "Source,Inc. 8 Three" / "Cho Rd. Suite 14": text flowed through the box, so the legal
        # suffix ends the name and the street runs on to the next line.
        rest = lines[1:]
        street = first["street"]
        if len(rest) >= 2 and not _CITY_LINE.match(rest[0]):
            street, rest = f"{street} {rest[0]}", rest[1:]
        return first["name"].rstrip(" ,"), join_address([street, *rest]), _SPLIT_CONFIDENCE
    if len(lines) == 1:
        return lines[0], None, 1.0
    second = _STARTS_WITH_SUFFIX.match(lines[1])
    if second:
        # "Management Solutions" / "Inc 914 Air Drive": the suffix wrapped onto the street line.
        name = f"{lines[0]} {second['suffix'].rstrip(',')}"
        return name, join_address([second["street"], *lines[2:]]), _SPLIT_CONFIDENCE
    if _starts_address(lines[1]) or len(lines) == 2:
        return lines[0], join_address(lines[1:]), 1.0
    if len(lines) >= 3 and _starts_address(lines[2]):
        # A long name wrapped onto a second line before the street.
        return f"{lines[0]} {lines[1]}", join_address(lines[2:]), _SPLIT_CONFIDENCE
    return lines[0], join_address(lines[1:]), _SPLIT_CONFIDENCE


def _starts_address(line: str) -> bool:
    return bool(_ADDRESS_START.match(line) or _CITY_LINE.match(line))
