"""Limits: the minimums of a line, the umbrella on top, split and combined auto limits."""

from __future__ import annotations

import re
from datetime import date

from coverwatch.certificates.schemas import LimitKey
from coverwatch.requirements import messages
from coverwatch.requirements.context import Assessment, Candidate, Context
from coverwatch.requirements.insurers import EL_KEYS, rating_verdict
from coverwatch.requirements.schemas import Finding, LineRequirement

# The limit an umbrella/excess policy adds to, per line: it pays on top of GL each occurrence,
# auto combined single limit and employers' liability each accident.
UMBRELLA_COUNTED: dict[str, LimitKey] = {
    "general_liability": "each_occurrence",
    "auto_liability": "combined_single_limit",
    "workers_comp": "el_each_accident",
}
SPLIT_AUTO: tuple[LimitKey, ...] = (
    "bodily_injury_per_person",
    "bodily_injury_per_accident",
    "property_damage",
)
_STOP_GAP = re.compile(r"\bstop[\s-]*gap\b", re.IGNORECASE)


def primary_limit(candidate: Candidate, key: LimitKey) -> int | None:
    """A policy's own limit for a key, reading a CSL as meeting split auto limits and back."""
    limits = candidate.policy.limits
    shown = [limits[key]] if key in limits else []
    if key in SPLIT_AUTO and "combined_single_limit" in limits:
        # A combined single limit pays bodily injury and property damage up to its full amount.
        shown.append(limits["combined_single_limit"])
    if key == "combined_single_limit" and all(k in limits for k in SPLIT_AUTO):
        shown.append(min(limits[k] for k in SPLIT_AUTO))
    return max(shown) if shown else None


def counted_umbrella(ctx: Context) -> Candidate | None:
    """The umbrella/excess policy in force that adds to primary limits: the largest one."""
    best: Candidate | None = None
    # Layers are not stacked: two certificates often show the same umbrella, and a second
    # layer rarely fits the one UMBRELLA row, so the largest single policy is what counts.
    for candidate in ctx.candidates("umbrella"):
        amount = candidate.policy.limits.get("each_occurrence")
        if candidate.timing not in ("in_force", "dates_unknown") or not amount:
            continue
        verdict, rating = rating_verdict(ctx, candidate)
        unknown_blocks = verdict == "unknown" and ctx.spec.unrated_insurer == "deficiency"
        if verdict == "below" or unknown_blocks:
            insurer = candidate.certificate.insurer(candidate.policy.insurer_letter)
            ctx.warn(
                "umbrella_not_counted",
                coverage="umbrella",
                message=messages.umbrella_not_counted(
                    insurer=insurer.name if insurer else "an unnamed insurer",
                    grade=rating.grade if rating else None,
                    size=rating.size if rating else None,
                ),
            )
            continue
        if best is None or _umbrella_rank(candidate) > _umbrella_rank(best):
            best = candidate
    return best


def _umbrella_rank(candidate: Candidate) -> tuple[int, date]:
    return (
        candidate.policy.limits.get("each_occurrence") or 0,
        candidate.policy.expiration_date or date.min,
    )


def check_limits(
    ctx: Context,
    line: LineRequirement,
    assessment: Assessment,
    *,
    umbrella: Candidate | None,
    fund: bool,
) -> None:
    """Add each limit below its minimum, counting an umbrella where it applies."""
    candidate = assessment.candidate
    counted_key = UMBRELLA_COUNTED.get(line.coverage) if line.umbrella_counts else None
    for key, required in line.limits.items():
        if fund and key in EL_KEYS:
            continue  # state funds have no EL; the warning below suggests stop-gap cover
        primary = primary_limit(candidate, key)
        fields = [candidate.field("limits", key)]
        extra = 0
        if key == counted_key and umbrella is not None and umbrella is not candidate:
            extra = umbrella.policy.limits.get("each_occurrence") or 0
            fields.append(umbrella.field("limits", "each_occurrence"))
        total = (primary or 0) + extra
        if total >= required:
            assessment.umbrella_used |= extra > 0 and (primary or 0) < required
            continue
        assessment.drafts.append(
            ctx.draft(
                "limit_below_minimum",
                coverage=line.coverage,
                limit=key,
                required=required,
                actual=total if primary is not None or extra else None,
                message=messages.limit_below(
                    coverage=line.coverage,
                    limit=key,
                    required=required,
                    primary=primary,
                    umbrella=extra,
                    umbrella_may_count=key == counted_key,
                ),
                fields=fields,
            )
        )
    if fund:
        required_el = line.limits.get("el_each_accident")
        if required_el and _stop_gap_on_file(ctx, required_el):
            return
        assessment.notes.append(
            Finding(
                code="monopolistic_state_fund",
                coverage=line.coverage,
                message=messages.monopolistic_state_fund(required_el=required_el),
            )
        )


def _stop_gap_on_file(ctx: Context, required_el: int) -> bool:
    """Whether stop-gap employers' liability shows anywhere outside the WC row."""
    for cert, evidence in zip(ctx.certificates, ctx.evidence, strict=True):
        if any(_STOP_GAP.search(text) for text in evidence.texts):
            return True
        for policy in cert.policies:
            if policy.type == "workers_comp":
                continue
            if (policy.limits.get("el_each_accident") or 0) >= required_el:
                return True
            if policy.description and _STOP_GAP.search(policy.description):
                return True
    return False
