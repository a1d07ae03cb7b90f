"""Checking one line of coverage: which policy to rely on, and what it lacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coverwatch.requirements import messages
from coverwatch.requirements.context import Assessment, Candidate, Context, Draft, FieldRef
from coverwatch.requirements.endorsements import check_endorsements
from coverwatch.requirements.insurers import check_rating, is_state_fund
from coverwatch.requirements.limits import check_limits
from coverwatch.requirements.period import days_left, has_ended, has_started
from coverwatch.requirements.schemas import LineRequirement, PolicyUse, Timing

_POOLS: tuple[Timing, ...] = ("in_force", "dates_unknown", "not_yet_effective", "expired")


@dataclass(slots=True)
class LineOutcome:
    """What checking one line found."""

    drafts: list[Draft] = field(default_factory=list)
    chosen: Candidate | None = None
    uses: list[PolicyUse] = field(default_factory=list)


def covered_through(candidates: list[Candidate], start: Candidate) -> date | None:
    """The expiration date that ends the coverage (its first day without), following renewals
    on file that start by then."""
    end = start.policy.expiration_date
    if end is None:
        return None
    extended = True
    while extended:
        extended = False
        for other in candidates:
            effective, expiration = other.policy.effective_date, other.policy.expiration_date
            # A renewal effective on the expiration date starts at the minute the policy ends.
            if effective and expiration and has_started(effective, end) and end < expiration:
                end, extended = expiration, True
    return end


def check_line(ctx: Context, line: LineRequirement, *, umbrella: Candidate | None) -> LineOutcome:
    """Pick the best policy for a line and list what it lacks, including its dates."""
    outcome = LineOutcome()
    candidates = ctx.candidates(line.coverage)
    if not candidates:
        if line.required:
            outcome.drafts.append(_missing(ctx, line))
        return outcome
    pool_timing = next(t for t in _POOLS if any(c.timing == t for c in candidates))
    if pool_timing in ("not_yet_effective", "expired") and not line.required:
        return outcome
    pool = [c for c in candidates if c.timing == pool_timing]
    best = min((_assess(ctx, line, c, umbrella) for c in pool), key=_rank)
    chosen = best.candidate
    outcome.chosen = chosen
    # Lapsed or future policies are still checked in full: the renewal must meet the same
    # requirements, and the sub should hear about everything at once.
    outcome.drafts.extend(best.drafts)
    for note in best.notes:
        ctx.warn(note.code, coverage=note.coverage, message=note.message)
    through = covered_through(candidates, chosen)
    outcome.uses.append(_use(line.coverage, chosen, "primary", through))
    if umbrella is not None and best.umbrella_used:
        umbrella_through = covered_through(ctx.candidates("umbrella"), umbrella)
        outcome.uses.append(_use(line.coverage, umbrella, "umbrella", umbrella_through))
    outcome.drafts.extend(_timing_drafts(ctx, line, chosen, through))
    return outcome


def _rank(assessment: Assessment) -> tuple[int, int, int, int, int]:
    # Fewest certain findings wins, then the later expiration. With two different policies for
    # one line, improving one can swap which is relied on, and so which findings show; with one
    # policy per line, a higher limit or a later date never adds a finding (test_properties).
    candidate = assessment.candidate
    certain = sum(1 for d in assessment.drafts if not d.uncertain)
    expiration = candidate.policy.expiration_date or date.min
    return (
        certain,
        len(assessment.drafts),
        -expiration.toordinal(),
        candidate.cert_index,
        candidate.policy_index,
    )


def _use(coverage: str, candidate: Candidate, role: str, through: date | None) -> PolicyUse:
    policy = candidate.policy
    insurer = candidate.certificate.insurer(policy.insurer_letter)
    return PolicyUse.model_validate(
        {
            "coverage": coverage,
            "role": role,
            "certificate_index": candidate.cert_index,
            "policy_index": candidate.policy_index,
            "policy_type": policy.type,
            "policy_number": policy.policy_number,
            "insurer": insurer.name if insurer else None,
            "effective_date": policy.effective_date,
            "expiration_date": policy.expiration_date,
            "timing": candidate.timing,
            "covered_through": through,
        }
    )


def _missing(ctx: Context, line: LineRequirement) -> Draft:
    # A row whose type (or, on an OTHER row, description) was misread may be the missing line.
    fields: list[FieldRef] = [
        (ci, ("policies", str(pi), part))
        for ci, cert in enumerate(ctx.certificates)
        for pi in range(len(cert.policies))
        for part in ("type", "description")
    ]
    # A grid the parser could not read at all may hold it too.
    fields += [(ci, ("policies",)) for ci, cert in enumerate(ctx.certificates) if not cert.policies]
    return ctx.draft(
        "missing_coverage",
        coverage=line.coverage,
        message=messages.missing_coverage(line),
        required=messages.limits_summary(line) or "coverage",
        fields=fields,
    )


def _timing_drafts(
    ctx: Context, line: LineRequirement, chosen: Candidate, through: date | None
) -> list[Draft]:
    drafts: list[Draft] = []
    policy, coverage = chosen.policy, line.coverage
    if chosen.timing == "expired" and policy.expiration_date is not None:
        drafts.append(
            ctx.draft(
                "policy_expired",
                coverage=coverage,
                required=ctx.as_of.isoformat(),
                actual=policy.expiration_date.isoformat(),
                message=messages.policy_expired(
                    coverage=coverage,
                    number=policy.policy_number,
                    expired_on=policy.expiration_date,
                ),
                fields=[chosen.field("expiration_date")],
            )
        )
    elif chosen.timing == "not_yet_effective" and policy.effective_date is not None:
        drafts.append(
            ctx.draft(
                "policy_not_yet_effective",
                coverage=coverage,
                required=ctx.as_of.isoformat(),
                actual=policy.effective_date.isoformat(),
                message=messages.not_yet_effective(
                    coverage=coverage, number=policy.policy_number, starts_on=policy.effective_date
                ),
                fields=[chosen.field("effective_date")],
            )
        )
    elif chosen.timing == "dates_unknown":
        missing = "effective_date" if policy.effective_date is None else "expiration_date"
        ctx.ask_review(
            chosen.cert_index,
            f"policies/{chosen.policy_index}/{missing}",
            f"the {messages.coverage_label(coverage)} policy dates are not shown, so we cannot "
            f"tell whether it is in force",
        )
    if through is None:
        return drafts
    end = ctx.project.end_date if ctx.project else None
    # The project's last day must be covered: a policy expiring on it does not cover it.
    if end and ctx.as_of <= end and has_ended(through, end):
        message = messages.expires_during_project(
            coverage=coverage,
            number=policy.policy_number,
            ends_on=through,
            project_end=end,
            as_of=ctx.as_of,
        )
        if ctx.spec.through_project_end == "deficiency":
            drafts.append(
                ctx.draft(
                    "expires_during_project",
                    coverage=coverage,
                    required=end.isoformat(),
                    actual=through.isoformat(),
                    message=message,
                    fields=[chosen.field("expiration_date")],
                )
            )
        elif chosen.timing != "expired":  # a lapsed policy already says so, more urgently
            ctx.warn("expires_during_project", coverage=coverage, message=message)
    left = days_left(through, ctx.as_of)
    in_force = chosen.timing in ("in_force", "dates_unknown")
    if in_force and 0 < left <= ctx.spec.renewal_window_days:
        ctx.warn(
            "policy_expiring_soon",
            coverage=coverage,
            message=messages.expiring_soon(
                coverage=coverage, number=policy.policy_number, ends_on=through, as_of=ctx.as_of
            ),
        )
    return drafts


def _assess(
    ctx: Context, line: LineRequirement, candidate: Candidate, umbrella: Candidate | None
) -> Assessment:
    """Everything a policy lacks for a line, its dates aside."""
    assessment = Assessment(candidate)
    fund = line.coverage == "workers_comp" and is_state_fund(ctx, candidate)
    check_limits(ctx, line, assessment, umbrella=umbrella, fund=fund)
    policy = candidate.policy
    if line.statutory and policy.statutory is not True:
        assessment.drafts.append(
            ctx.draft(
                "statutory_limits_missing",
                coverage=line.coverage,
                required="statutory",
                actual="other" if policy.statutory is False else None,
                message=messages.statutory_missing(),
                fields=[candidate.field("statutory")],
            )
        )
    if line.occurrence_only and policy.claims_made is True:
        assessment.drafts.append(
            ctx.draft(
                "claims_made_not_allowed",
                coverage=line.coverage,
                required="occurrence",
                actual="claims-made",
                message=messages.claims_made(coverage=line.coverage),
                fields=[candidate.field("claims_made")],
            )
        )
    check_endorsements(ctx, line, assessment)
    check_rating(ctx, line, assessment)
    return assessment
