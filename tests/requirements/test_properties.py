"""Properties of the engine that must hold for any certificates (hypothesis).

- Raising any limit never adds a deficiency.
- Moving any expiration date later never adds a deficiency.
- A waiver removes exactly the waived item: it moves to `waived`, everything else is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coverwatch.certificates.schemas import CertificateData, PolicyType
from coverwatch.requirements.engine import evaluate
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import (
    EvaluationResult,
    InsurerRating,
    ProjectFacts,
    VendorFacts,
    WaiverFacts,
)

from .factories import (
    ALL_LINES,
    AS_OF,
    DESCRIPTION,
    ENDORSEMENTS,
    RATINGS,
    WC_DESCRIPTION,
    make_certificate,
    make_policy,
    make_project,
    make_vendor,
)

AMOUNTS = st.sampled_from(
    [None, 0, 100_000, 300_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 5_000_000, 10_000_000]
)
LIMIT_KEYS = {
    "general_liability": (
        "each_occurrence",
        "general_aggregate",
        "products_completed_operations_aggregate",
    ),
    "auto_liability": (
        "combined_single_limit",
        "bodily_injury_per_person",
        "bodily_injury_per_accident",
        "property_damage",
    ),
    "umbrella": ("each_occurrence", "aggregate"),
    "workers_comp": ("el_each_accident", "el_disease_each_employee", "el_disease_policy_limit"),
}
DESCRIPTIONS = st.sampled_from(
    [
        DESCRIPTION,
        DESCRIPTION,
        DESCRIPTION,
        None,
        "Riverside Tower. Waiver of subrogation applies to GL and WC except auto.",
        "Blanket additional insured, primary and non-contributory, per written contract.",
        "Certificate holder is additional insured per CG 20 10 and CG 20 37. "
        "10 days notice of cancellation.",
    ]
)
FLAGS = st.sampled_from(
    [
        "policies/0/limits/each_occurrence",
        "policies/1",
        "insured/name",
        "certificate_holder/name",
        "description_of_operations",
        "producer/email",
        "policies/3/expiration_date",
    ]
)


@dataclass
class Scenario:
    """One evaluation's inputs."""

    certificates: list[CertificateData]
    template: str
    trade: str | None
    project: ProjectFacts | None
    vendor: VendorFacts | None
    ratings: list[InsurerRating]

    def evaluate(self, **changes: Any) -> EvaluationResult:
        """Evaluate this scenario, with some inputs replaced."""
        inputs: dict[str, Any] = {
            "certificates": self.certificates,
            "template": BUILTIN_TEMPLATES[self.template],
            "as_of": AS_OF,
            "project": self.project,
            "vendor": self.vendor,
            "trade": self.trade,
            "ratings": self.ratings,
            **changes,
        }
        return evaluate(**inputs)


@st.composite
def policies(draw: st.DrawFn, kind: PolicyType) -> Any:
    """A policy of a kind: the factory's, one detail changed, or drawn at random."""
    policy = make_policy(kind)
    if draw(st.booleans()):
        key = draw(st.sampled_from(LIMIT_KEYS[kind]))
        amount = draw(AMOUNTS)
        limits = {k: v for k, v in policy.limits.items() if k != key}
        if amount is not None:
            limits[key] = amount
        return policy.model_copy(update={"limits": limits})
    limits = {}
    for key in LIMIT_KEYS[kind]:
        amount = draw(AMOUNTS)
        if amount is not None:
            limits[key] = amount
    start = AS_OF + timedelta(days=draw(st.integers(-800, 60)))
    length = draw(st.sampled_from([180, 365, 366, 730]))
    effective = draw(st.sampled_from([start, None])) if draw(st.booleans()) else start
    return make_policy(
        kind,
        effective=effective,
        expiration=start + timedelta(days=length),
        limits=limits,
        additional_insured=draw(st.sampled_from([True, False, None])),
        waiver_of_subrogation=draw(st.sampled_from([True, False, None])),
        claims_made=draw(st.sampled_from([True, False, None])),
        statutory=draw(st.sampled_from([True, False, None])),
        aggregate_applies_per=draw(st.sampled_from(["policy", "project", "location", None])),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Realistic certificates on file: one main certificate, sometimes a separate WC one."""
    lines = [kind for kind in ALL_LINES if draw(st.integers(0, 9)) > 0]
    separate_wc = "workers_comp" in lines and draw(st.booleans())
    main_lines = [kind for kind in lines if not (separate_wc and kind == "workers_comp")]
    endorsements = draw(
        st.one_of(st.just(list(ENDORSEMENTS)), st.lists(st.sampled_from(ENDORSEMENTS), unique=True))
    )
    extra = []
    if draw(st.booleans()):
        extra.append(
            make_policy(
                "other",
                description="Professional Liability",
                limits={"each_occurrence": draw(st.sampled_from([500_000, 2_000_000]))},
            )
        )
    main = make_certificate(
        lines=(),
        extra_policies=[*(draw(policies(kind)) for kind in main_lines), *extra],
        description=draw(DESCRIPTIONS),
        endorsements=endorsements,
        insured_name=draw(
            st.sampled_from(["Acme Roofing, LLC", "ACME ROOFING LLC", "Acme Co", None])
        ),
        holder_name=draw(st.sampled_from(["Summit Builders, Inc.", "Summit Builders", "Else LLC"])),
        needs_review=draw(st.lists(FLAGS, max_size=2, unique=True)) if draw(st.booleans()) else [],
    )
    certificates = [main]
    if separate_wc:
        certificates.append(
            make_certificate(
                lines=(),
                extra_policies=[draw(policies("workers_comp"))],
                description=WC_DESCRIPTION,
                endorsements=[("WC 00 03 13", "04 84")],
            )
        )
    project = None
    if draw(st.booleans()):
        project = make_project(
            state=draw(st.sampled_from(["OR", "OH", None])),
            end_date=AS_OF + timedelta(days=draw(st.integers(-30, 900))),
        )
    ratings = list(RATINGS)
    if draw(st.booleans()):
        ratings[0] = ratings[0].model_copy(
            update={"best_rating": draw(st.sampled_from(["B+", "A"]))}
        )
    if draw(st.booleans()):
        ratings.pop()
    return Scenario(
        certificates=certificates,
        template=draw(st.sampled_from(sorted(BUILTIN_TEMPLATES))),
        trade=draw(st.sampled_from([None, "roofing", "engineering", "abatement", "plumbing"])),
        project=project,
        vendor=draw(st.sampled_from([None, make_vendor()])),
        ratings=ratings,
    )


def _keys(result: EvaluationResult) -> set[str]:
    return {d.key for d in result.deficiencies}


def _replace_policy(
    certificates: list[CertificateData], ci: int, pi: int, **changes: Any
) -> list[CertificateData]:
    policies = list(certificates[ci].policies)
    policies[pi] = policies[pi].model_copy(update=changes)
    changed = list(certificates)
    changed[ci] = certificates[ci].model_copy(update={"policies": policies})
    return changed


def _policy_refs(scenario: Scenario) -> list[tuple[int, int]]:
    return [
        (ci, pi)
        for ci, cert in enumerate(scenario.certificates)
        for pi in range(len(cert.policies))
    ]


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_raising_a_limit_never_adds_a_deficiency(scenario: Scenario, data: st.DataObject) -> None:
    refs = [
        (ci, pi, key)
        for ci, pi in _policy_refs(scenario)
        for key in scenario.certificates[ci].policies[pi].limits
    ]
    if not refs:
        return
    ci, pi, key = data.draw(st.sampled_from(refs))
    raise_by = data.draw(st.sampled_from([1, 50_000, 500_000, 1_000_000, 10_000_000]))
    policy = scenario.certificates[ci].policies[pi]
    limits = {**policy.limits, key: policy.limits[key] + raise_by}
    before = scenario.evaluate()
    after = scenario.evaluate(
        certificates=_replace_policy(scenario.certificates, ci, pi, limits=limits)
    )
    assert _keys(after) <= _keys(before)


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_a_later_expiration_never_adds_a_deficiency(
    scenario: Scenario, data: st.DataObject
) -> None:
    refs = [
        (ci, pi)
        for ci, pi in _policy_refs(scenario)
        if scenario.certificates[ci].policies[pi].expiration_date is not None
    ]
    if not refs:
        return
    ci, pi = data.draw(st.sampled_from(refs))
    later = data.draw(st.integers(1, 900))
    expiration: date = scenario.certificates[ci].policies[pi].expiration_date  # type: ignore[assignment]
    before = scenario.evaluate()
    after = scenario.evaluate(
        certificates=_replace_policy(
            scenario.certificates, ci, pi, expiration_date=expiration + timedelta(days=later)
        )
    )
    assert _keys(after) <= _keys(before)


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_a_waiver_removes_exactly_the_waived_item(scenario: Scenario, data: st.DataObject) -> None:
    before = scenario.evaluate()
    if not before.deficiencies:
        return
    target = data.draw(st.sampled_from(before.deficiencies))
    ends_on = data.draw(st.sampled_from([None, AS_OF, AS_OF + timedelta(days=90)]))
    after = scenario.evaluate(waivers=[WaiverFacts(key=target.key, ends_on=ends_on)])
    assert after.waived == [target]
    assert after.deficiencies == [d for d in before.deficiencies if d.key != target.key]
    assert len({d.key for d in before.deficiencies}) == len(before.deficiencies)
