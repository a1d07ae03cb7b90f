"""Endorsement terms of a line: additional insureds, waivers, primary wording, aggregates."""

from __future__ import annotations

from coverwatch.requirements import messages
from coverwatch.requirements.context import Assessment, Context
from coverwatch.requirements.evidence import (
    AI_COMPLETED_FORMS,
    AI_ONGOING_FORMS,
    PER_LOCATION_FORM,
    PER_PROJECT_FORM,
    PRIMARY_FORMS,
    WAIVER_FORMS,
    Evidence,
)
from coverwatch.requirements.schemas import LineRequirement


def _granted(
    evidence: Evidence,
    concept: str,
    coverage: str,
    forms: dict[str, frozenset[str]],
    *,
    strict: bool,
) -> bool:
    # A follow-form umbrella carries the terms of the underlying general liability policy.
    coverages = [coverage]
    if coverage == "umbrella" and evidence.says("follow_form", "umbrella", strict=False):
        coverages.append("general_liability")
    return any(
        evidence.forms & forms.get(c, frozenset()) or evidence.says(concept, c, strict=strict)
        for c in coverages
    )


def check_endorsements(ctx: Context, line: LineRequirement, assessment: Assessment) -> None:
    """Add each endorsement term the evidence does not show for the line."""
    candidate = assessment.candidate
    policy, coverage = candidate.policy, line.coverage
    strict = ctx.spec.require_endorsement_forms
    evidence = ctx.evidence_for(candidate.cert_index)
    shared = ctx.evidence_fields(candidate.cert_index)
    drafts = assessment.drafts
    if line.additional_insured != "none":
        # A "Y" is accepted on its own unless the template is strict; when it was not accepted,
        # the message says the mark alone is not enough.
        claimed = policy.additional_insured is True
        granted = _granted(
            evidence, "additional_insured", coverage, AI_ONGOING_FORMS, strict=strict
        )
        if not (granted or (claimed and not strict)):
            drafts.append(
                ctx.draft(
                    "additional_insured_missing",
                    coverage=coverage,
                    required="ongoing operations",
                    actual="ADDL INSD Y without endorsement" if claimed else None,
                    message=messages.additional_insured_missing(
                        coverage=coverage,
                        claimed_only=claimed,
                        forms=AI_ONGOING_FORMS.get(coverage, ()),
                    ),
                    fields=[candidate.field("additional_insured"), *shared],
                )
            )
    if line.additional_insured == "ongoing_and_completed" and not _granted(
        evidence, "completed_operations", coverage, AI_COMPLETED_FORMS, strict=strict
    ):
        drafts.append(
            ctx.draft(
                "completed_operations_missing",
                coverage=coverage,
                required="completed operations",
                message=messages.completed_operations_missing(coverage=coverage),
                fields=shared,
            )
        )
    if line.waiver_of_subrogation:
        claimed = policy.waiver_of_subrogation is True
        granted = _granted(evidence, "waiver_of_subrogation", coverage, WAIVER_FORMS, strict=strict)
        if not (granted or (claimed and not strict)):
            drafts.append(
                ctx.draft(
                    "waiver_of_subrogation_missing",
                    coverage=coverage,
                    required="waiver of subrogation",
                    actual="SUBR WVD Y without endorsement" if claimed else None,
                    message=messages.waiver_missing(
                        coverage=coverage,
                        claimed_only=claimed,
                        forms=WAIVER_FORMS.get(coverage, ()),
                    ),
                    fields=[candidate.field("waiver_of_subrogation"), *shared],
                )
            )
    if line.primary_noncontributory and not _granted(
        evidence, "primary_noncontributory", coverage, PRIMARY_FORMS, strict=strict
    ):
        drafts.append(
            ctx.draft(
                "primary_noncontributory_missing",
                coverage=coverage,
                required="primary and non-contributory",
                message=messages.primary_missing(
                    coverage=coverage, forms=PRIMARY_FORMS.get(coverage, ())
                ),
                fields=shared,
            )
        )
    if line.per_project_aggregate:
        per_project = PER_PROJECT_FORM in evidence.forms or evidence.says(
            "per_project_aggregate", coverage, strict=strict
        )
        # The PRO-JECT box is the producer's statement, like a "Y" in ADDL INSD.
        per_project |= not strict and policy.aggregate_applies_per == "project"
        if not per_project:
            per_location = (
                policy.aggregate_applies_per == "location" or PER_LOCATION_FORM in evidence.forms
            )
            drafts.append(
                ctx.draft(
                    "per_project_aggregate_missing",
                    coverage=coverage,
                    required="per project",
                    actual=policy.aggregate_applies_per,
                    message=messages.per_project_missing(
                        per_location=per_location,
                        claimed_only=strict and policy.aggregate_applies_per == "project",
                    ),
                    fields=[candidate.field("aggregate_applies_per"), *shared],
                )
            )
