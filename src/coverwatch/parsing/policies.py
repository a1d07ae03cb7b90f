"""Policy rows of the coverage grid, from readings to `Policy`: type, marks, boxes, limits.

A row becomes a policy when it holds a number, a date, a limit or a ticked type box; a row with
only an INSR LTR is reported in the warnings, not turned into a policy. Boxes ticked on both
sides (CLAIMS-MADE and OCCUR) and unmapped limit lines are flagged, never resolved by a guess.
"""

from __future__ import annotations

import re
from typing import Any, cast, get_args

from coverwatch.certificates.schemas import AutoKind, LimitKey, Policy, PolicyType
from coverwatch.parsing.limits import other_row_key, spare_line_key, split_limit_text
from coverwatch.parsing.readings import MARKS_DOUBT, Reading, RowReading
from coverwatch.parsing.review import Review
from coverwatch.parsing.values import (
    Parsed,
    clean_text,
    is_not_applicable,
    parse_amount,
    parse_checkbox,
    parse_date,
    parse_letter,
    parse_mark,
)

LIMIT_KEYS: frozenset[str] = frozenset(get_args(LimitKey))
_AUTO_ROLES: tuple[AutoKind, ...] = ("any", "owned", "scheduled", "hired", "non_owned")
_SIMPLE_TYPES: dict[str, PolicyType] = {
    "general_liability": "general_liability",
    "auto_liability": "auto_liability",
    "workers_comp": "workers_comp",
    "other": "other",
}
_ROW_NAMES = {
    "general_liability": "general liability",
    "auto_liability": "automobile liability",
    "excess_umbrella": "umbrella/excess",
    "workers_comp": "workers compensation",
    "other": "OTHER",
}
_MARKED = {
    "general_liability": ("claims_made", "aggregate_applies_per"),
    "auto_liability": ("autos",),
    "excess_umbrella": ("type", "claims_made"),
    "workers_comp": ("statutory",),
    "other": (),
}
_AGGREGATE_PER = (
    ("per_policy", "policy"),
    ("per_project", "project"),
    ("per_location", "location"),
)


class _Row:
    """One row's readings with its path, parsed on demand and each confidence recorded."""

    def __init__(self, row: RowReading, path: str, review: Review) -> None:
        self.values = row.values
        self.doubts = row.doubts
        self.path = path
        self.review = review

    def text(self, role: str) -> str | None:
        reading = self.values.get(role)
        return clean_text(reading.text) if reading else None

    def parsed(self, role: str, parser: Any, field: str | None = None) -> Parsed[Any]:
        reading = self.values.get(role)
        if reading is None or not reading.text.strip():
            return Parsed(None)
        result: Parsed[Any] = parser(reading.text)
        if field is not None:
            confidence = reading.confidence * result.confidence
            if role in self.doubts:
                confidence = min(confidence, 0.5)
            self.review.note(f"{self.path}/{field}", confidence)
        return result

    def checked(self, role: str) -> tuple[bool, float]:
        reading = self.values.get(role)
        if reading is None:
            return False, 1.0
        result = parse_checkbox(reading.text)
        return bool(result.value), reading.confidence * result.confidence


def _has_content(row: RowReading) -> bool:
    # A row with only an INSR LTR (or nothing) is not a policy; a ticked type box, a number,
    # a date or a limit is.
    for role, reading in row.values.items():
        if role in ("letter", "addl", "subr", "excluded") or not reading.text.strip():
            continue
        if role in ("covered", "umbrella", "excess"):
            if parse_checkbox(reading.text).value:
                return True
            continue
        if role == "number":
            if looks_like_policy_number(reading.text):
                return True
            continue
        if role in ("effective", "expiration", "description"):
            return True
        if (role in LIMIT_KEYS or role.startswith("limit_")) and parse_amount(reading.text).value:
            return True
    return False


def read_policy(
    reading: RowReading,
    *,
    index: int,
    known: frozenset[str],
    review: Review,
    warnings: list[str],
) -> Policy | None:
    """The policy on one row (`index` in the contract's list), or None for an empty row."""
    name = _ROW_NAMES[reading.section]
    if not _has_content(reading):
        letter = reading.values.get("letter")
        if letter is not None and letter.text.strip():
            warnings.append(
                f"the {name} row has only an insurer letter; it is not read as a policy"
            )
        return None
    row = _Row(reading, f"/policies/{index}", review)
    policy = Policy(
        type=_policy_type(row, reading.section),
        description=_row_description(row),
        insurer_letter=row.parsed(
            "letter", lambda text: parse_letter(text, known=known), "insurer_letter"
        ).value,
        policy_number=row.parsed("number", _policy_number, "policy_number").value,
        effective_date=row.parsed("effective", parse_date, "effective_date").value,
        expiration_date=row.parsed("expiration", parse_date, "expiration_date").value,
        additional_insured=row.parsed("addl", parse_mark, "additional_insured").value,
        waiver_of_subrogation=row.parsed("subr", parse_mark, "waiver_of_subrogation").value,
    )
    if policy.policy_number is not None:
        policy.policy_number = " ".join(policy.policy_number.split())
    if reading.section in ("general_liability", "excess_umbrella"):
        policy.claims_made = _claims_made(row)
    if reading.section == "general_liability":
        policy.aggregate_applies_per = _aggregate_per(row, warnings)
    if reading.section == "auto_liability":
        policy.autos = _autos(row)
    if reading.section == "workers_comp":
        policy.statutory = _statutory(row)
        if row.parsed("excluded", parse_mark).value:
            warnings.append(
                "workers compensation: proprietors/partners/officers are excluded (Y/N box Y)"
            )
    policy.limits = _limits(row, reading.section, warnings)
    if MARKS_DOUBT in reading.doubts:
        # No check mark was found on the page as text: the boxes may be ticked with drawn
        # lines, which a text layer does not hold, so what depends on them is unsure.
        for part in _MARKED[reading.section]:
            review.doubt(f"{row.path}/{part}")
    if policy.insurer_letter and known and policy.insurer_letter not in known:
        warnings.append(
            f"the {name} row names insurer {policy.insurer_letter}, which is not listed"
        )
    return policy


def looks_like_policy_number(text: str) -> bool:
    """Whether a policy-number box holds a number: a digit, or five letters and digits."""
    if is_not_applicable(text):
        return False
    compact = re.sub(r"[^A-Za-z0-9]", "", text)
    return any(ch.isdigit() for ch in compact) or len(compact) >= 5


def _policy_number(text: str) -> Parsed[str]:
    # "N/A", "xX", a stray mark: no policy number, and a person looks at the row.
    if looks_like_policy_number(text):
        return Parsed(text)
    return Parsed(None, 0.5)


def _policy_type(row: _Row, section: str) -> PolicyType:
    if section in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[section]
    umbrella, umbrella_confidence = row.checked("umbrella")
    excess, excess_confidence = row.checked("excess")
    if umbrella != excess:
        row.review.note(f"{row.path}/type", min(umbrella_confidence, excess_confidence))
        return "umbrella" if umbrella else "excess"
    # Neither box (or both) ticked: the row is umbrella-or-excess, which one is a guess.
    row.review.doubt(f"{row.path}/type")
    return "umbrella"


def _row_description(row: _Row) -> str | None:
    text = row.text("description")
    if text is None:
        return None
    reading = row.values["description"]
    row.review.note(f"{row.path}/description", reading.confidence)
    return " ".join(text.split())


def _claims_made(row: _Row) -> bool | None:
    claims_made, claims_confidence = row.checked("claims_made")
    occurrence, occurrence_confidence = row.checked("occurrence")
    path = f"{row.path}/claims_made"
    if claims_made and occurrence:
        row.review.doubt(path)
        return None
    if claims_made or occurrence:
        row.review.note(path, min(claims_confidence, occurrence_confidence))
        return claims_made
    return None


def _aggregate_per(row: _Row, warnings: list[str]) -> Any:
    ticked = []
    for role, value in _AGGREGATE_PER:
        checked, confidence = row.checked(role)
        if checked:
            ticked.append((value, confidence))
    other, _ = row.checked("per_other")
    path = f"{row.path}/aggregate_applies_per"
    if other:
        warnings.append(
            f"general aggregate applies per other: {row.text('per_other_text') or 'not stated'}"
        )
    if len(ticked) > 1:
        row.review.doubt(path)
        return None
    if ticked:
        row.review.note(path, ticked[0][1])
        return ticked[0][0]
    return None


def _autos(row: _Row) -> list[AutoKind]:
    autos: list[AutoKind] = []
    for role in _AUTO_ROLES:
        checked, confidence = row.checked(role)
        if checked:
            row.review.note(f"{row.path}/autos", confidence)
            autos.append(role)
    return autos


def _statutory(row: _Row) -> bool | None:
    statutory, statutory_confidence = row.checked("statutory")
    other, other_confidence = row.checked("other_box")
    path = f"{row.path}/statutory"
    if statutory and other:
        row.review.doubt(path)
        return None
    if statutory or other:
        row.review.note(path, min(statutory_confidence, other_confidence))
        return statutory
    return None


# ---------------------------------------------------------------- limits


def _limits(row: _Row, section: str, warnings: list[str]) -> dict[LimitKey, int]:
    limits: dict[LimitKey, int] = {}
    name = _ROW_NAMES[section]
    for role in sorted(LIMIT_KEYS & row.values.keys()):
        key = cast(LimitKey, role)
        _put_limit(row, limits, key, row.values[role], name, warnings)
    if section == "excess_umbrella":
        _umbrella_retention(row, limits, warnings)
    if section == "other":
        lines = [
            row.values[role]
            for role in sorted(row.values)
            if role.startswith("limit_line") and row.values[role].text.strip()
        ]
        for line in lines:
            for label, amount_text in split_limit_text(clean_text(line.text) or ""):
                other_key = other_row_key(label)
                if other_key is None or not amount_text:
                    warnings.append(f"OTHER row limit not mapped: {label} {amount_text}".strip())
                    continue
                reading = Reading(amount_text, line.confidence)
                _put_limit(row, limits, other_key, reading, name, warnings)
    else:
        label = row.text("extra_limit_label") or ""
        amount = row.values.get("extra_limit_amount")
        if amount is not None and amount.text.strip():
            spare_key = spare_line_key(label) or spare_line_key(amount.text)
            if spare_key is None:
                warnings.append(f"{name}: limit not mapped: {label} {amount.text}".strip())
            else:
                _put_limit(row, limits, spare_key, amount, name, warnings)
    if "limits" in row.doubts:
        for key in limits:
            row.review.doubt(f"{row.path}/limits/{key}")
    return limits


def _put_limit(
    row: _Row,
    limits: dict[LimitKey, int],
    key: LimitKey,
    reading: Reading,
    name: str,
    warnings: list[str],
) -> None:
    path = f"{row.path}/limits/{key}"
    parsed = parse_amount(reading.text)
    text = " ".join(reading.text.split())
    if parsed.kind in ("retention", "deductible") and key != "retention":
        # "$100,000 SIR" typed into a limit box: the amount is the insured's share, not a limit.
        warnings.append(f"{name} {key.replace('_', ' ')}: {text}")
        if parsed.kind == "retention" and parsed.value is not None and "retention" not in limits:
            limits["retention"] = parsed.value
            row.review.note(f"{row.path}/limits/retention", reading.confidence * parsed.confidence)
        return
    if parsed.kind in ("excluded", "included", "statutory", "not_applicable"):
        if parsed.kind != "not_applicable":
            warnings.append(f"{name} {key.replace('_', ' ')}: {text}")
        return
    confidence = reading.confidence * parsed.confidence
    if key in limits:
        if limits[key] != parsed.value:
            row.review.doubt(path)
        return
    row.review.note(path, confidence)
    if parsed.value is not None:
        limits[key] = parsed.value


def _umbrella_retention(row: _Row, limits: dict[LimitKey, int], warnings: list[str]) -> None:
    amount = row.values.get("retention_amount")
    if amount is None or not amount.text.strip():
        return
    deductible, _ = row.checked("deductible")
    retention, _ = row.checked("retention_box")
    if deductible and not retention:
        warnings.append(f"umbrella/excess deductible: {' '.join(amount.text.split())}")
        return
    before = len(row.review.paths)
    _put_limit(row, limits, "retention", amount, _ROW_NAMES["excess_umbrella"], warnings)
    if not retention and len(row.review.paths) == before and "retention" in limits:
        # An amount beside unticked DED/RETENTION boxes is most likely the retention.
        row.review.doubt(f"{row.path}/limits/retention", 0.7)
