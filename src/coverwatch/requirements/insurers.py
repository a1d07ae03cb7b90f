"""Insurers behind the policies: AM Best ratings against the template, and state funds."""

from __future__ import annotations

import re
from typing import Literal

from coverwatch.certificates.schemas import LimitKey
from coverwatch.requirements import messages
from coverwatch.requirements.context import Assessment, Candidate, Context
from coverwatch.requirements.rating_scale import grade_rank, size_rank
from coverwatch.requirements.ratings import Rating
from coverwatch.requirements.schemas import Finding, LineRequirement

# Employers' liability, the part of the WC row a monopolistic state fund does not write.
EL_KEYS: tuple[LimitKey, ...] = (
    "el_each_accident",
    "el_disease_each_employee",
    "el_disease_policy_limit",
)
# In these states only the state fund writes WC; it carries no employers' liability and no
# AM Best rating, which is not the sub's fault (stop-gap EL goes on the GL policy instead).
MONOPOLISTIC_STATES = frozenset({"ND", "OH", "WA", "WY"})
_STATE_FUND = re.compile(
    r"bureau of workers|workforce safety|labor (?:and|&) industries|department of labor"
    r"|wyoming workers|workers'? compensation division|state fund",
    re.IGNORECASE,
)

RatingVerdict = Literal["ok", "below", "unknown", "skip"]


def is_state_fund(ctx: Context, candidate: Candidate) -> bool:
    """Whether a WC policy is a monopolistic state fund's (no EL limits, no rating)."""
    policy = candidate.policy
    if policy.type != "workers_comp" or any(key in policy.limits for key in EL_KEYS):
        return False
    insurer = candidate.certificate.insurer(policy.insurer_letter)
    if insurer is not None and _STATE_FUND.search(insurer.name):
        return True
    state = (ctx.project.state or "").strip().upper() if ctx.project else ""
    return state in MONOPOLISTIC_STATES


def rating_verdict(ctx: Context, candidate: Candidate) -> tuple[RatingVerdict, Rating | None]:
    """How a policy's insurer compares with the template's minimum AM Best rating."""
    spec = ctx.spec
    if spec.min_rating is None and spec.min_financial_size is None:
        return "skip", None
    if is_state_fund(ctx, candidate):
        return "skip", None
    insurer = candidate.certificate.insurer(candidate.policy.insurer_letter)
    rating = ctx.ratings.find(insurer)
    if rating is None or rating.grade_rank is None:
        return "unknown", rating
    wanted_grade = grade_rank(spec.min_rating)
    if wanted_grade is not None and rating.grade_rank < wanted_grade:
        return "below", rating
    wanted_size = size_rank(spec.min_financial_size)
    if wanted_size is not None:
        if rating.size_rank is None:
            return "unknown", rating
        if rating.size_rank < wanted_size:
            return "below", rating
    return "ok", rating


def check_rating(ctx: Context, line: LineRequirement, assessment: Assessment) -> None:
    """Add what the policy's insurer rating falls short of, per the template."""
    candidate = assessment.candidate
    verdict, rating = rating_verdict(ctx, candidate)
    if verdict in ("ok", "skip"):
        return
    spec = ctx.spec
    insurer = candidate.certificate.insurer(candidate.policy.insurer_letter)
    wanted = " ".join(part for part in (spec.min_rating, spec.min_financial_size) if part)
    insurer_index = next(
        (i for i, item in enumerate(candidate.certificate.insurers) if item is insurer), None
    )
    fields = [candidate.field("insurer_letter")]
    if insurer_index is not None:
        fields.append((candidate.cert_index, ("insurers", str(insurer_index))))
    if verdict == "below" and rating is not None:
        assessment.drafts.append(
            ctx.draft(
                "insurer_rating_below_minimum",
                coverage=line.coverage,
                required=wanted,
                actual=" ".join(part for part in (rating.grade, rating.size) if part),
                message=messages.rating_below(
                    coverage=line.coverage,
                    insurer=insurer.name if insurer else rating.name,
                    grade=rating.grade,
                    size=rating.size,
                    min_grade=spec.min_rating,
                    min_size=spec.min_financial_size,
                ),
                fields=fields,
            )
        )
        return
    message = messages.rating_unknown(
        coverage=line.coverage,
        insurer=insurer.name if insurer else None,
        min_grade=spec.min_rating,
        min_size=spec.min_financial_size,
    )
    if spec.unrated_insurer == "deficiency":
        assessment.drafts.append(
            ctx.draft(
                "insurer_rating_unknown",
                coverage=line.coverage,
                required=wanted,
                actual=rating.grade if rating else None,
                message=message,
                fields=fields,
            )
        )
    elif spec.unrated_insurer == "warning":
        assessment.notes.append(
            Finding(code="insurer_rating_unknown", coverage=line.coverage, message=message)
        )
