"""Requirement templates, the facts an evaluation needs, and what an evaluation finds."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from coverwatch.certificates.schemas import LimitKey, PolicyType
from coverwatch.requirements.names import fold
from coverwatch.requirements.rating_scale import grade_rank, size_rank

CoverageKey = Literal[
    "general_liability",
    "auto_liability",
    "umbrella",
    "workers_comp",
    "professional",
    "pollution",
    "builders_risk",
]
COVERAGE_KEYS: tuple[CoverageKey, ...] = get_args(CoverageKey)
AdditionalInsuredScope = Literal["none", "ongoing", "ongoing_and_completed"]
Status = Literal["pending", "needs_review", "non_compliant", "expiring", "expired", "compliant"]
Timing = Literal["in_force", "dates_unknown", "not_yet_effective", "expired"]

# The fixed vocabulary; docs/deficiency-codes.md explains each one (a test keeps them in step).
DEFICIENCY_CODES = (
    "missing_coverage",
    "limit_below_minimum",
    "policy_expired",
    "policy_not_yet_effective",
    "expires_during_project",
    "additional_insured_missing",
    "completed_operations_missing",
    "waiver_of_subrogation_missing",
    "primary_noncontributory_missing",
    "claims_made_not_allowed",
    "per_project_aggregate_missing",
    "insurer_rating_below_minimum",
    "insurer_rating_unknown",
    "certificate_holder_mismatch",
    "insured_name_mismatch",
    "notice_of_cancellation_missing",
    "statutory_limits_missing",
)
WARNING_CODES = (
    "policy_expiring_soon",
    "expires_during_project",
    "insurer_rating_unknown",
    "monopolistic_state_fund",
    "umbrella_not_counted",
    "project_not_named",
)


class _Spec(BaseModel):
    # Templates are written by hand (JSON files, the API): a misspelt key must be an error,
    # not a silently ignored rule.
    model_config = ConfigDict(extra="forbid")


class LineRequirement(_Spec):
    """What one line of coverage must show. Limits are minimums in whole dollars."""

    coverage: CoverageKey
    # False: the line may be absent, but a policy that is on file must meet the rest.
    required: bool = True
    limits: dict[LimitKey, int] = Field(default_factory=dict)
    statutory: bool = False
    occurrence_only: bool = False
    per_project_aggregate: bool = False
    additional_insured: AdditionalInsuredScope = "none"
    waiver_of_subrogation: bool = False
    primary_noncontributory: bool = False
    # Whether an umbrella/excess policy in force counts toward this line's each-occurrence,
    # combined single limit or EL each accident minimum.
    umbrella_counts: bool = True

    @field_validator("limits")
    @classmethod
    def _minimums(cls, limits: dict[LimitKey, int]) -> dict[LimitKey, int]:
        if "retention" in limits:
            raise ValueError("a retention is a maximum, not a minimum limit: leave it out")
        negative = [key for key, amount in limits.items() if amount < 0]
        if negative:
            raise ValueError(f"limits cannot be negative: {', '.join(negative)}")
        return limits

    @model_validator(mode="after")
    def _applicable(self) -> LineRequirement:
        # ACORD 25 prints N/A in ADDL INSD on the WC row: WC has no additional insureds.
        if self.coverage == "workers_comp" and self.additional_insured != "none":
            raise ValueError("workers' compensation has no additional insureds")
        if self.statutory and self.coverage != "workers_comp":
            raise ValueError("only workers' compensation has statutory limits")
        return self


class TradeOverride(_Spec):
    """How a template changes for one trade: lines replaced or added by coverage, or removed."""

    lines: list[LineRequirement] = Field(default_factory=list)
    remove: list[CoverageKey] = Field(default_factory=list)
    # Other names the same trade goes by ("engineering" for "engineer").
    aliases: list[str] = Field(default_factory=list)


def _trade_key(trade: str) -> str:
    return " ".join(fold(trade).replace("-", " ").replace("_", " ").split())


class TemplateSpec(_Spec):
    """A set of insurance requirements a general contractor applies to its subs."""

    key: str
    name: str
    description: str = ""
    project_type: str | None = None
    lines: list[LineRequirement]
    min_rating: str | None = Field(default=None, examples=["A-"])
    min_financial_size: str | None = Field(default=None, examples=["VII"])
    unrated_insurer: Literal["deficiency", "warning", "ignore"] = "warning"
    # True: a "Y" in ADDL INSD / SUBR WVD is only the producer's claim; the endorsement form
    # must be attached or named on the certificate.
    require_endorsement_forms: bool = False
    notice_of_cancellation_days: int | None = None
    # Who must receive that notice, for the message ("the contracting officer").
    notice_of_cancellation_to: str | None = None
    renewal_window_days: int = 30
    through_project_end: Literal["deficiency", "warning"] = "deficiency"
    check_insured_name: bool = True
    check_certificate_holder: bool = True
    trade_overrides: dict[str, TradeOverride] = Field(default_factory=dict)

    @field_validator("min_rating")
    @classmethod
    def _grade(cls, value: str | None) -> str | None:
        if value is not None and grade_rank(value) is None:
            raise ValueError(f"{value!r} is not an AM Best rating (A++, A+, A, A-, B++ ...)")
        return value

    @field_validator("min_financial_size")
    @classmethod
    def _size(cls, value: str | None) -> str | None:
        if value is not None and size_rank(value) is None:
            raise ValueError(f"{value!r} is not a financial size category (I to XV)")
        return value

    @model_validator(mode="after")
    def _one_line_per_coverage(self) -> TemplateSpec:
        groups = [("lines", self.lines)] + [
            (f"trade_overrides.{trade}.lines", override.lines)
            for trade, override in self.trade_overrides.items()
        ]
        for where, lines in groups:
            seen = [line.coverage for line in lines]
            twice = sorted({c for c in seen if seen.count(c) > 1})
            if twice:
                raise ValueError(f"{where}: more than one requirement for {', '.join(twice)}")
        return self

    def trade_override(self, trade: str | None) -> TradeOverride | None:
        """The override for a trade (case-insensitive, by name or alias), if any."""
        if not trade:
            return None
        wanted = _trade_key(trade)
        for name, override in self.trade_overrides.items():
            if _trade_key(name) == wanted:
                return override
        for override in self.trade_overrides.values():
            if any(_trade_key(alias) == wanted for alias in override.aliases):
                return override
        return None

    def for_trade(self, trade: str | None) -> TemplateSpec:
        """The effective template for a trade: its override's lines merged in by coverage."""
        override = self.trade_override(trade)
        if override is None:
            return self
        lines = {line.coverage: line for line in self.lines}
        for coverage in override.remove:
            lines.pop(coverage, None)
        for line in override.lines:
            lines[line.coverage] = line
        return self.model_copy(update={"lines": list(lines.values())})


class ProjectFacts(BaseModel):
    """What the engine needs to know of a project."""

    name: str
    number: str | None = None
    address: str | None = None
    state: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    # The holder's name as the certificate should print it; lines after the first are address.
    certificate_holder: str | None = None
    additional_insureds: list[str] = Field(default_factory=list)


class VendorFacts(BaseModel):
    """What the engine needs to know of a vendor (the sub)."""

    legal_name: str
    dba_names: list[str] = Field(default_factory=list)


class InsurerRating(BaseModel):
    """An insurer's AM Best rating, from the organization's rating table."""

    name: str
    naic: str | None = None
    best_rating: str = Field(examples=["A+", "A-", "B++"])
    financial_size: str | None = Field(default=None, examples=["XV", "VIII"])


class WaiverFacts(BaseModel):
    """A risk manager's waiver of one deficiency, by its key."""

    key: str
    ends_on: date | None = None


class Deficiency(BaseModel):
    """Something a certificate must change before the sub is compliant."""

    code: str
    coverage: str | None = None
    limit: str | None = None
    required: int | str | None = None
    actual: int | str | None = None
    message: str
    # True when the finding rests on a field the parser read with low confidence.
    uncertain: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key(self) -> str:
        """The identity a waiver names, stable across evaluations."""
        return f"{self.code}:{self.coverage or '-'}:{self.limit or '-'}"


class Finding(BaseModel):
    """A warning: worth telling, but not a reason to block approval."""

    code: str
    coverage: str | None = None
    message: str


class PolicyUse(BaseModel):
    """Which policy the engine relied on for a line of coverage."""

    coverage: CoverageKey
    # "umbrella": an umbrella/excess policy whose limit made up this line's minimum.
    role: Literal["primary", "umbrella"] = "primary"
    certificate_index: int
    policy_index: int
    policy_type: PolicyType
    policy_number: str | None = None
    insurer: str | None = None
    effective_date: date | None = None
    expiration_date: date | None = None
    timing: Timing = "in_force"
    # The expiration date at which the coverage runs out, counting renewals on file that continue
    # it: the first day without coverage (requirements.period), as the certificate prints it.
    covered_through: date | None = None


class ReviewItem(BaseModel):
    """A field a person should look at before the verdict can be trusted."""

    certificate_index: int
    path: str
    reason: str


class EvaluationResult(BaseModel):
    """The verdict on a sub's certificates against one template on one day."""

    status: Status
    template_key: str
    trade: str | None = None
    as_of: date
    deficiencies: list[Deficiency] = Field(default_factory=list)
    waived: list[Deficiency] = Field(default_factory=list)
    warnings: list[Finding] = Field(default_factory=list)
    # When the first relied-on coverage runs out (renewals on file counted), as an expiration
    # date: the first day without coverage. Monitoring uses it.
    earliest_expiration: date | None = None
    policies_used: list[PolicyUse] = Field(default_factory=list)
    review_items: list[ReviewItem] = Field(default_factory=list)
