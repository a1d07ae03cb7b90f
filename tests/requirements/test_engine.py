"""The evaluation engine: combining certificates, limits, dates, status and waivers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import LineRequirement, WaiverFacts

from .factories import (
    AS_OF,
    EXPIRATION,
    make_certificate,
    make_policy,
    make_wc_certificate,
    remove_policy,
    set_dates,
    set_limit,
    set_policy,
)
from .helpers import codes, keys, run, warning_codes

GROUND_UP = BUILTIN_TEMPLATES["ground-up"]


@pytest.mark.parametrize("template", sorted(BUILTIN_TEMPLATES))
def test_the_factory_certificate_meets_every_builtin_template(template: str) -> None:
    result = run(template=template)
    assert result.status == "compliant", [d.message for d in result.deficiencies]
    assert result.deficiencies == [] and result.review_items == []
    assert result.template_key == template
    assert result.earliest_expiration == EXPIRATION


def test_main_certificate_and_separate_wc_certificate_combine() -> None:
    main = make_certificate(lines=("general_liability", "auto_liability", "umbrella"))
    result = run([main, make_wc_certificate()])
    assert result.status == "compliant", [d.message for d in result.deficiencies]
    wc_use = next(u for u in result.policies_used if u.coverage == "workers_comp")
    assert (wc_use.certificate_index, wc_use.policy_index) == (1, 0)


def test_no_certificates_is_pending() -> None:
    result = run([])
    assert result.status == "pending"
    assert result.deficiencies == []


def test_missing_wc_certificate_is_missing_coverage() -> None:
    main = make_certificate(lines=("general_liability", "auto_liability", "umbrella"))
    result = run(main)
    assert keys(result) == {"missing_coverage:workers_comp:-"}
    assert "No workers' compensation policy is on file" in result.deficiencies[0].message
    assert "$1,000,000 employers' liability each accident" in result.deficiencies[0].message


# The acceptance case of the brief.
def test_gl_below_minimum_without_umbrella_then_with_one() -> None:
    low = set_limit(make_certificate(), "general_liability", "each_occurrence", 500_000)
    without = run(remove_policy(low, "umbrella"))
    assert without.status == "non_compliant"
    finding = next(d for d in without.deficiencies if d.code == "limit_below_minimum")
    assert (finding.coverage, finding.limit) == ("general_liability", "each_occurrence")
    assert (finding.required, finding.actual) == (2_000_000, 500_000)
    assert finding.message == (
        "General liability each occurrence is $500,000; this project requires $2,000,000. "
        "Ask your agent to raise it or add an umbrella policy of at least $1,500,000."
    )
    with_umbrella = run(low)  # the factory's umbrella: $5,000,000, in force
    assert "limit_below_minimum:general_liability:each_occurrence" not in keys(with_umbrella)
    assert with_umbrella.status == "compliant"
    roles = {(u.coverage, u.role) for u in with_umbrella.policies_used}
    assert ("general_liability", "umbrella") in roles


def test_umbrella_too_small_says_how_much_more() -> None:
    cert = set_limit(make_certificate(), "general_liability", "each_occurrence", 500_000)
    cert = set_limit(cert, "umbrella", "each_occurrence", 1_000_000)
    result = run(cert)
    gl = next(d for d in result.deficiencies if d.coverage == "general_liability")
    assert (gl.required, gl.actual) == (2_000_000, 1_500_000)
    assert gl.message == (
        "General liability each occurrence is $500,000 and the umbrella adds $1,000,000, "
        "$1,500,000 in all; this project requires $2,000,000. Ask your agent to raise the "
        "general liability limit or the umbrella by at least $500,000."
    )
    # Tenant improvement needs $1,000,000: primary and umbrella together are enough.
    assert "limit_below_minimum:general_liability:each_occurrence" not in keys(
        run(cert, template="tenant-improvement")
    )


def test_umbrella_counts_toward_auto_and_el_but_not_aggregates() -> None:
    cert = set_limit(make_certificate(), "auto_liability", "combined_single_limit", 500_000)
    cert = set_limit(cert, "workers_comp", "el_each_accident", 500_000)
    cert = set_limit(cert, "general_liability", "general_aggregate", 2_000_000)
    result = run(cert)
    assert keys(result) == {"limit_below_minimum:general_liability:general_aggregate"}
    aggregate = result.deficiencies[0]
    assert aggregate.message.endswith("Ask your agent to raise it.")


def test_umbrella_counts_false_keeps_the_primary_alone() -> None:
    spec = GROUND_UP.model_copy(
        update={
            "lines": [
                line.model_copy(update={"umbrella_counts": False})
                if line.coverage == "general_liability"
                else line
                for line in GROUND_UP.lines
            ]
        }
    )
    cert = set_limit(make_certificate(), "general_liability", "each_occurrence", 1_000_000)
    assert "limit_below_minimum:general_liability:each_occurrence" in keys(run(cert, template=spec))


def test_umbrella_line_is_checked_against_its_own_minimum() -> None:
    cert = set_limit(make_certificate(), "umbrella", "each_occurrence", 3_000_000)
    result = run(cert)
    assert keys(result) == {"limit_below_minimum:umbrella:each_occurrence"}


def test_expired_umbrella_does_not_count() -> None:
    cert = set_limit(make_certificate(), "general_liability", "each_occurrence", 1_000_000)
    cert = set_dates(cert, "umbrella", effective=date(2024, 1, 1), expiration=date(2025, 1, 1))
    result = run(cert)
    assert "limit_below_minimum:general_liability:each_occurrence" in keys(result)
    assert "policy_expired:umbrella:-" in keys(result)
    assert result.status == "expired"


def test_expired_policy_makes_the_status_expired() -> None:
    cert = set_dates(make_certificate(), "workers_comp", expiration=date(2025, 5, 1))
    result = run(cert)
    assert result.status == "expired"
    expired = next(d for d in result.deficiencies if d.code == "policy_expired")
    assert expired.coverage == "workers_comp"
    assert expired.actual == "2025-05-01"
    assert "expired on May 1, 2025" in expired.message


def test_a_current_policy_beats_an_old_one_on_file() -> None:
    old = set_dates(
        make_certificate(),
        "general_liability",
        effective=date(2024, 1, 1),
        expiration=date(2025, 1, 1),
    )
    old = set_limit(old, "general_liability", "each_occurrence", 100_000)
    current = make_certificate(lines=("general_liability",))
    result = run([old, current])
    assert result.status == "compliant", [d.message for d in result.deficiencies]
    gl = next(u for u in result.policies_used if u.coverage == "general_liability")
    assert gl.certificate_index == 1


def test_not_yet_effective_policy_is_non_compliant() -> None:
    cert = set_dates(
        make_certificate(),
        "auto_liability",
        effective=date(2025, 7, 1),
        expiration=date(2026, 7, 1),
    )
    result = run(cert)
    assert result.status == "non_compliant"
    assert keys(result) == {"policy_not_yet_effective:auto_liability:-"}
    assert "does not start until July 1, 2025" in result.deficiencies[0].message


def test_unknown_dates_need_review() -> None:
    cert = set_policy(make_certificate(), "general_liability", expiration_date=None)
    result = run(cert)
    assert result.status == "needs_review"
    assert [(r.certificate_index, r.path) for r in result.review_items] == [
        (0, "policies/0/expiration_date")
    ]


def test_expiring_before_project_end_per_template() -> None:
    project_end = date(2026, 6, 30)
    from .factories import make_project

    project = make_project(end_date=project_end)
    ti = run(template="tenant-improvement", project=project)
    assert ti.status == "non_compliant"
    assert "expires_during_project:general_liability:-" in keys(ti)
    finding = next(d for d in ti.deficiencies if d.code == "expires_during_project")
    assert (finding.required, finding.actual) == ("2026-06-30", "2026-01-01")
    ground_up = run(template="ground-up", project=project)
    assert ground_up.status == "compliant"
    assert "expires_during_project" in warning_codes(ground_up)


def test_a_renewal_on_file_continues_coverage() -> None:
    from .factories import make_project

    project = make_project(end_date=date(2026, 6, 30))
    renewal = make_certificate(effective=EXPIRATION, expiration=date(2027, 1, 1))
    result = run([make_certificate(), renewal], template="tenant-improvement", project=project)
    assert result.status == "compliant", [d.message for d in result.deficiencies]
    assert result.earliest_expiration == date(2027, 1, 1)


# The policy period runs from 12:01 a.m. on the effective date to 12:01 a.m. on the expiration
# date (requirements.period): the effective day is covered, the expiration day is not.


def test_on_its_expiration_date_a_policy_has_expired() -> None:
    result = run(as_of=EXPIRATION, project=None)
    assert result.status == "expired"
    expired = next(d for d in result.deficiencies if d.code == "policy_expired")
    assert (expired.required, expired.actual) == ("2026-01-01", "2026-01-01")
    assert "expired on January 1, 2026" in expired.message


def test_on_its_last_covered_day_a_policy_expires_tomorrow() -> None:
    result = run(as_of=EXPIRATION - timedelta(days=1), project=None)
    assert result.status == "expiring", [d.message for d in result.deficiencies]
    soon = next(w for w in result.warnings if w.code == "policy_expiring_soon")
    assert "expires on January 1, 2026 (tomorrow)" in soon.message


def test_on_its_effective_date_a_policy_is_in_force() -> None:
    result = run(as_of=date(2025, 1, 1), project=None)
    assert result.status == "compliant", [d.message for d in result.deficiencies]


def test_a_policy_expiring_on_the_project_end_date_does_not_cover_it() -> None:
    from .factories import make_project

    on_the_day = run(template="tenant-improvement", project=make_project(end_date=EXPIRATION))
    finding = next(d for d in on_the_day.deficiencies if d.code == "expires_during_project")
    assert (finding.required, finding.actual) == ("2026-01-01", "2026-01-01")
    day_before = make_project(end_date=EXPIRATION - timedelta(days=1))
    assert "expires_during_project" not in codes(
        run(template="tenant-improvement", project=day_before)
    )


def test_a_renewal_starting_the_day_after_expiration_leaves_a_gap() -> None:
    from .factories import make_project

    project = make_project(end_date=date(2026, 6, 30))
    late = make_certificate(effective=EXPIRATION + timedelta(days=1), expiration=date(2027, 1, 1))
    result = run([make_certificate(), late], template="tenant-improvement", project=project)
    assert "expires_during_project:general_liability:-" in keys(result)
    assert result.earliest_expiration == EXPIRATION


def test_expiring_within_the_renewal_window_is_a_warning() -> None:
    as_of = EXPIRATION - timedelta(days=10)
    result = run(as_of=as_of, project=None)
    assert result.status == "expiring"
    assert result.deficiencies == []
    soon = [w for w in result.warnings if w.code == "policy_expiring_soon"]
    assert {w.coverage for w in soon} == {
        "general_liability",
        "auto_liability",
        "umbrella",
        "workers_comp",
    }
    assert "(in 10 days)" in soon[0].message


def test_low_confidence_limit_makes_the_deficiency_uncertain() -> None:
    cert = set_limit(make_certificate(), "umbrella", "each_occurrence", 1_000_000)
    cert = cert.model_copy(update={"needs_review": ["/policies/2/limits/each_occurrence"]})
    result = run(cert)
    assert result.status == "needs_review"
    assert [d.uncertain for d in result.deficiencies] == [True]


def test_low_confidence_relevant_field_alone_needs_review() -> None:
    cert = make_certificate(needs_review=["policies[1].policy_number"])
    result = run(cert)
    assert result.status == "needs_review"
    assert result.review_items[0].path == "policies[1].policy_number"


def test_low_confidence_irrelevant_fields_do_not_need_review() -> None:
    cert = make_certificate(
        needs_review=["certificate_holder/address", "producer/phone", "insured/address"]
    )
    assert run(cert).status == "compliant"
    # Without a vendor, the insured's name decides nothing.
    flagged = make_certificate(needs_review=["insured/name"])
    assert run(flagged, vendor=None).status == "compliant"
    assert run(flagged).status == "needs_review"


def test_certain_deficiency_outranks_review() -> None:
    cert = remove_policy(make_certificate(needs_review=["policies/0/limits"]), "workers_comp")
    assert run(cert).status == "non_compliant"


def test_waiver_moves_the_deficiency_and_restores_compliance() -> None:
    cert = remove_policy(make_certificate(), "workers_comp")
    waiver = WaiverFacts(key="missing_coverage:workers_comp:-", ends_on=AS_OF)
    result = run(cert, waivers=[waiver])
    assert result.status == "compliant"
    assert [d.key for d in result.waived] == ["missing_coverage:workers_comp:-"]
    lapsed = WaiverFacts(key=waiver.key, ends_on=AS_OF - timedelta(days=1))
    assert run(cert, waivers=[lapsed]).status == "non_compliant"
    forever = WaiverFacts(key=waiver.key)
    assert run(cert, waivers=[forever]).status == "compliant"


def test_deficiency_keys_are_stable_and_serialised() -> None:
    cert = set_limit(make_certificate(), "general_liability", "general_aggregate", 1_000_000)
    first, second = run(cert), run(cert)
    assert [d.key for d in first.deficiencies] == [d.key for d in second.deficiencies]
    dumped = first.model_dump(mode="json")
    assert (
        dumped["deficiencies"][0]["key"]
        == "limit_below_minimum:general_liability:general_aggregate"
    )


def test_statutory_and_claims_made() -> None:
    cert = set_policy(make_certificate(), "workers_comp", statutory=False)
    cert = set_policy(cert, "general_liability", claims_made=True)
    result = run(cert)
    assert keys(result) == {
        "statutory_limits_missing:workers_comp:-",
        "claims_made_not_allowed:general_liability:-",
    }
    # Tenant improvement allows claims-made general liability.
    assert codes(run(cert, template="tenant-improvement")) == {"statutory_limits_missing"}


def test_federal_split_auto_limits_met_by_a_combined_single_limit() -> None:
    assert run(template="federal-far-28-307-2").status == "compliant"
    low = set_limit(make_certificate(), "auto_liability", "combined_single_limit", 300_000)
    low = remove_policy(low, "umbrella")
    result = run(low, template="federal-far-28-307-2")
    assert keys(result) == {"limit_below_minimum:auto_liability:bodily_injury_per_accident"}


def test_split_limits_can_meet_a_combined_single_limit() -> None:
    split = {
        "bodily_injury_per_person": 1_000_000,
        "bodily_injury_per_accident": 1_000_000,
        "property_damage": 1_000_000,
    }
    cert = set_policy(make_certificate(), "auto_liability", limits=split)
    assert run(cert, template="public-works").status == "compliant"


def test_trade_override_roofing_needs_a_bigger_umbrella() -> None:
    assert run(trade=None).status == "compliant"
    for trade in ("roofing", "ROOFING", " Roofer "):
        result = run(trade=trade)
        assert keys(result) == {
            "limit_below_minimum:umbrella:each_occurrence",
            "limit_below_minimum:umbrella:aggregate",
        }, trade
        assert result.trade == trade


def test_design_trades_need_professional_liability() -> None:
    result = run(trade="Engineering")
    assert keys(result) == {"missing_coverage:professional:-"}
    professional = make_policy(
        "other",
        description="Professional Liability (E&O) - claims made",
        policy_number="PL-1",
        claims_made=True,
        limits={"each_occurrence": 2_000_000, "aggregate": 2_000_000},
    )
    cert = make_certificate(extra_policies=[professional])
    assert run(cert, trade="engineering").status == "compliant"


def test_an_optional_line_is_checked_only_when_on_file() -> None:
    optional = LineRequirement(
        coverage="pollution", required=False, limits={"each_occurrence": 1_000_000}
    )
    spec = GROUND_UP.model_copy(update={"lines": [*GROUND_UP.lines, optional]})
    assert run(template=spec).status == "compliant"
    pollution = make_policy(
        "other", description="Contractors Pollution Liability", limits={"each_occurrence": 500_000}
    )
    result = run(make_certificate(extra_policies=[pollution]), template=spec)
    assert keys(result) == {"limit_below_minimum:pollution:each_occurrence"}


def test_limit_not_shown() -> None:
    cert = set_limit(
        make_certificate(), "general_liability", "products_completed_operations_aggregate", None
    )
    result = run(cert)
    finding = result.deficiencies[0]
    assert finding.actual is None
    assert "is not shown on the certificate" in finding.message
