"""Plain-English findings a subcontractor, or its insurance agent, can act on without help."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from coverwatch.requirements.period import days_left, has_ended

if TYPE_CHECKING:
    from coverwatch.requirements.schemas import LineRequirement

COVERAGE_LABELS = {
    "general_liability": "general liability",
    "auto_liability": "automobile liability",
    "umbrella": "umbrella/excess liability",
    "workers_comp": "workers' compensation",
    "professional": "professional liability",
    "pollution": "pollution liability",
    "builders_risk": "builder's risk",
}
LIMIT_LABELS = {
    "each_occurrence": "each occurrence",
    "damage_to_rented_premises": "damage to rented premises",
    "medical_expense": "medical expense",
    "personal_advertising_injury": "personal and advertising injury",
    "general_aggregate": "general aggregate",
    "products_completed_operations_aggregate": "products-completed operations aggregate",
    "combined_single_limit": "combined single limit",
    "bodily_injury_per_person": "bodily injury per person",
    "bodily_injury_per_accident": "bodily injury per accident",
    "property_damage": "property damage",
    "aggregate": "aggregate",
    "retention": "retention",
    "el_each_accident": "employers' liability each accident",
    "el_disease_each_employee": "employers' liability disease, each employee",
    "el_disease_policy_limit": "employers' liability disease, policy limit",
}
_NOT_SHOWN = "not shown on the certificate"


def money(amount: int) -> str:
    """Dollars as printed on a certificate: $1,000,000."""
    return f"${amount:,}"


def day(value: date) -> str:
    """A date as people write it: January 1, 2026."""
    return f"{value:%B} {value.day}, {value.year}"


def coverage_label(coverage: str | None) -> str:
    """A line of coverage in words."""
    return COVERAGE_LABELS.get(coverage or "", coverage or "coverage")


def limit_label(coverage: str | None, limit: str) -> str:
    """A limit in words; professional liability is written per claim, not per occurrence."""
    if coverage == "professional" and limit == "each_occurrence":
        return "each claim"
    return LIMIT_LABELS.get(limit, limit)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _policy(coverage: str, number: str | None) -> str:
    label = coverage_label(coverage)
    return f"the {label} policy {number}" if number else f"the {label} policy"


def and_list(items: Sequence[str], word: str = "and") -> str:
    """Items joined as in a sentence: "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def quoted_list(names: Iterable[str]) -> str:
    """Names in quotes, joined as in a sentence."""
    return and_list([f"“{name}”" for name in names])


def _forms(forms: Iterable[str]) -> str:
    return and_list(sorted(forms), "or") if forms else "the carrier's endorsement"


def limits_summary(line: LineRequirement) -> str:
    """What a line requires, in words: "$2,000,000 each occurrence and $4,000,000 ..."."""
    parts = [
        f"{money(amount)} {limit_label(line.coverage, key)}" for key, amount in line.limits.items()
    ]
    if line.statutory:
        parts.insert(0, "statutory limits")
    return and_list(parts)


def missing_coverage(line: LineRequirement) -> str:
    """No policy of a required line is on file."""
    wanted = limits_summary(line)
    detail = f" with {wanted}" if wanted else ""
    return (
        f"No {coverage_label(line.coverage)} policy is on file. Ask your agent for a certificate "
        f"that shows {coverage_label(line.coverage)} coverage{detail}."
    )


def limit_below(
    *,
    coverage: str,
    limit: str,
    required: int,
    primary: int | None,
    umbrella: int,
    umbrella_may_count: bool,
) -> str:
    """A limit below the minimum, with what would fix it."""
    name = f"{_cap(coverage_label(coverage))} {limit_label(coverage, limit)}"
    wants = f"this project requires {money(required)}"
    if umbrella:
        base = money(primary) if primary is not None else "not shown"
        total = (primary or 0) + umbrella
        return (
            f"{name} is {base} and the umbrella adds {money(umbrella)}, {money(total)} in all; "
            f"{wants}. Ask your agent to raise the {coverage_label(coverage)} limit or the "
            f"umbrella by at least {money(required - total)}."
        )
    if primary is None:
        return f"{name} is {_NOT_SHOWN}; {wants}. Ask your agent to show it on the certificate."
    if umbrella_may_count:
        return (
            f"{name} is {money(primary)}; {wants}. Ask your agent to raise it or add an "
            f"umbrella policy of at least {money(required - primary)}."
        )
    return f"{name} is {money(primary)}; {wants}. Ask your agent to raise it."


def policy_expired(*, coverage: str, number: str | None, expired_on: date) -> str:
    """The only policies of a line have lapsed."""
    return (
        f"{_cap(_policy(coverage, number))} expired on {day(expired_on)}. Ask your agent for a "
        f"certificate that shows the renewal."
    )


def not_yet_effective(*, coverage: str, number: str | None, starts_on: date) -> str:
    """The only policies of a line start in the future."""
    return (
        f"{_cap(_policy(coverage, number))} does not start until {day(starts_on)}, so nothing is "
        f"in force today. Ask your agent for a certificate that shows the current policy."
    )


def expires_during_project(
    *, coverage: str, number: str | None, ends_on: date, project_end: date, as_of: date
) -> str:
    """Coverage ends before the project does."""
    verb = "expired" if has_ended(ends_on, as_of) else "expires"
    return (
        f"{_cap(_policy(coverage, number))} {verb} on {day(ends_on)}, before this project ends on "
        f"{day(project_end)}. Send the renewal certificate as soon as the policy renews."
    )


def when_it_ends(ends: date, *, today: date) -> tuple[str, str]:
    """How a policy's expiration date reads on a day: (verb phrase, in brackets).

    The expiration date is the first day without coverage (requirements.period), so on the last
    day covered the policy "expires tomorrow", and on the expiration date it has expired:
    ("expires in 14 days", "in 14 days"), ("expires tomorrow", "tomorrow"), then
    ("expired on November 19, 2026", "today"), ("...", "yesterday"), ("...", "12 days ago").
    """
    left = days_left(ends, today)
    if left > 1:
        return f"expires in {left} days", f"in {left} days"
    if left == 1:
        return "expires tomorrow", "tomorrow"
    ago = {0: "today", -1: "yesterday"}.get(left, f"{-left} days ago")
    return f"expired on {day(ends)}", ago


def expiring_soon(*, coverage: str, number: str | None, ends_on: date, as_of: date) -> str:
    """Coverage ends within the renewal window."""
    _verb, when = when_it_ends(ends_on, today=as_of)
    return (
        f"{_cap(_policy(coverage, number))} expires on {day(ends_on)} ({when}). Ask your agent "
        f"to send the renewal certificate before then."
    )


def additional_insured_missing(*, coverage: str, claimed_only: bool, forms: Iterable[str]) -> str:
    """No evidence of additional insured status for ongoing operations."""
    label = coverage_label(coverage)
    ask = (
        f"Ask your agent to attach the additional insured endorsement ({_forms(forms)}, or the "
        f"carrier's equivalent) or name it in the Description of Operations."
    )
    if claimed_only:
        return (
            f"The certificate marks ADDL INSD “Y” for {label}, but this project needs the "
            f"endorsement itself. {ask}"
        )
    return f"The certificate does not show additional insured status on {label}. {ask}"


def completed_operations_missing(*, coverage: str) -> str:
    """Additional insured status without completed operations."""
    return (
        f"Additional insured status on {coverage_label(coverage)} does not include completed "
        f"operations. Ask your agent to add CG 20 37 (or the carrier's equivalent) and name it "
        f"on the certificate."
    )


def waiver_missing(*, coverage: str, claimed_only: bool, forms: Iterable[str]) -> str:
    """No evidence of a waiver of subrogation on a line."""
    label = coverage_label(coverage)
    ask = (
        f"Ask your agent to add the waiver endorsement ({_forms(forms)}) and name it on the "
        f"certificate."
    )
    if claimed_only:
        return (
            f"The certificate marks SUBR WVD “Y” for {label}, but this project needs the waiver "
            f"endorsement itself. {ask}"
        )
    return f"The certificate does not show a waiver of subrogation on {label}. {ask}"


def primary_missing(*, coverage: str, forms: Iterable[str]) -> str:
    """No evidence that a line is primary and non-contributory."""
    return (
        f"The certificate does not show {coverage_label(coverage)} as primary and "
        f"non-contributory. Ask your agent to add {_forms(forms)} (or equivalent) and say so in "
        f"the Description of Operations."
    )


def claims_made(*, coverage: str) -> str:
    """A claims-made policy where occurrence is required."""
    return (
        f"The {coverage_label(coverage)} policy is written on a claims-made basis; this project "
        f"requires an occurrence policy. Ask your agent for occurrence coverage."
    )


def per_project_missing(*, per_location: bool, claimed_only: bool) -> str:
    """The general aggregate does not apply per project."""
    if per_location:
        shown = (
            "applies per location (CG 25 04), which does not reserve an aggregate for this project"
        )
    elif claimed_only:
        shown = "is marked PRO-JECT, but this project needs the endorsement itself"
    else:
        shown = "is not shown to apply per project"
    return (
        f"The general liability aggregate {shown}. Ask your agent to add CG 25 03 (designated "
        f"construction project general aggregate) and name it on the certificate."
    )


def statutory_missing() -> str:
    """The WC line does not show statutory limits."""
    return (
        "The workers' compensation line does not show statutory limits (PER STATUTE is not "
        "marked). Ask your agent to mark PER STATUTE on the certificate."
    )


def _rating(grade: str | None, size: str | None) -> str:
    return " ".join(part for part in (grade, size) if part) or "no rating"


def rating_below(
    *,
    coverage: str,
    insurer: str,
    grade: str,
    size: str | None,
    min_grade: str | None,
    min_size: str | None,
) -> str:
    """An insurer rated below the template's minimum."""
    return (
        f"{insurer} ({coverage_label(coverage)}) is rated {_rating(grade, size)} by AM Best; "
        f"this project requires {_rating(min_grade, min_size)} or better. Ask your agent to place "
        f"the coverage with a higher-rated insurer."
    )


def rating_unknown(
    *, coverage: str, insurer: str | None, min_grade: str | None, min_size: str | None
) -> str:
    """An insurer the rating table does not know."""
    if insurer is None:
        return (
            f"The certificate does not say which insurer writes {coverage_label(coverage)} (the "
            f"INSR LTR column is blank). Ask your agent to fill it in."
        )
    wants = (
        f"; this project requires {_rating(min_grade, min_size)} or better"
        if min_grade or min_size
        else ""
    )
    return (
        f"We could not find an AM Best rating for {insurer} ({coverage_label(coverage)}){wants}. "
        f"Ask your agent to confirm the insurer's rating and NAIC number."
    )


def holder_mismatch(*, printed: Sequence[str | None], expected: str) -> str:
    """The certificate holder is not the project's."""
    names = [name for name in printed if name]
    shown = (
        f"The certificate holder is {quoted_list(names)}"
        if names
        else ("The certificate does not show a certificate holder")
    )
    return (
        f"{shown}, but this project needs “{expected}”. Ask your agent for a certificate "
        f"naming “{expected}” as certificate holder."
    )


def insured_mismatch(
    *, printed: Sequence[str | None], legal_name: str, dba_names: Sequence[str]
) -> str:
    """The named insured is not the vendor."""
    names = [name for name in printed if name]
    shown = (
        f"The certificate names {quoted_list(names)} as the insured"
        if names
        else ("The certificate does not show the insured's name")
    )
    also = f" (doing business as {quoted_list(dba_names)})" if dba_names else ""
    return (
        f"{shown}, but the subcontract is with “{legal_name}”{also}. Ask your agent to issue the "
        f"certificate to the company that signed the subcontract, or tell us its correct legal "
        f"name."
    )


def named_insureds_missing(*, names: Sequence[str]) -> str:
    """Entities the project names as additional insureds are not named on the certificate."""
    return (
        f"The Description of Operations does not name {quoted_list(names)} as additional "
        f"insured{'s' if len(names) > 1 else ''}. Ask your agent to name "
        f"{'them' if len(names) > 1 else 'it'} there or on the attached endorsement schedule."
    )


def notice_missing(*, days: int, to: str | None, found: int | None, lines: Sequence[str]) -> str:
    """The certificate does not promise the notice of cancellation the project requires."""
    recipient = f" to {to}" if to else ""
    shown = f"promises only {found} days'" if found is not None else "does not promise"
    where = f" for {and_list([coverage_label(line) for line in lines])}" if lines else ""
    return (
        f"The certificate{where} {shown} notice of cancellation; this project requires {days} "
        f"days' notice{recipient}. Ask your agent to add a notice of cancellation endorsement and "
        f"say so in the Description of Operations."
    )


def monopolistic_state_fund(*, required_el: int | None) -> str:
    """A monopolistic state fund writes the WC: no employers' liability, no AM Best rating."""
    text = (
        "Workers' compensation is written by a monopolistic state fund (ND, OH, WA or WY), "
        "which has no AM Best rating and does not include employers' liability."
    )
    if required_el:
        text += (
            f" Ask your agent for stop-gap employers' liability (usually an endorsement on the "
            f"general liability policy) of at least {money(required_el)} each accident."
        )
    return text


def umbrella_not_counted(*, insurer: str, grade: str | None, size: str | None) -> str:
    """An umbrella left out of the limits because of its insurer's rating."""
    return (
        f"The umbrella policy written by {insurer} ({_rating(grade, size)}) does not count "
        f"toward other limits: its insurer is below this project's minimum rating."
    )


def project_not_named(*, project: str) -> str:
    """The description does not say which project the certificate is for."""
    return (
        f"The Description of Operations does not name the project ({project}). Ask your agent to "
        f"add the project name or number."
    )
