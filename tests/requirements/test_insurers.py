"""Insurer ratings (AM Best order, lookup by NAIC and name) and monopolistic state funds."""

from __future__ import annotations

import pytest

from coverwatch.certificates.schemas import Insurer
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.rating_scale import GRADES, grade_rank, size_rank, split_rating
from coverwatch.requirements.ratings import RatingBook
from coverwatch.requirements.schemas import InsurerRating

from .factories import INSURERS, RATINGS, make_certificate, make_project, set_policy
from .helpers import keys, run, warning_codes


def test_grades_rank_in_am_best_order() -> None:
    ranks = [grade_rank(grade) for grade in GRADES]
    assert ranks == sorted(ranks, reverse=True)
    assert grade_rank("A++") > grade_rank("A+") > grade_rank("A") > grade_rank("A-")  # type: ignore[operator]
    assert grade_rank("A-") > grade_rank("B++") > grade_rank("B+") > grade_rank("C++")  # type: ignore[operator]
    assert grade_rank("a-") == grade_rank("A- (Excellent)") == grade_rank("A-")
    assert grade_rank("NR") is None and grade_rank("") is None and grade_rank("AA") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I", 1),
        ("IV", 4),
        ("VII", 7),
        ("VIII", 8),
        ("IX", 9),
        ("XIV", 14),
        ("XV", 15),
        ("FSC VIII", 8),
        ("8", 8),
        ("XVI", None),
        ("", None),
        ("big", None),
    ],
)
def test_financial_size_categories(text: str, value: int | None) -> None:
    assert size_rank(text) == value


def test_a_combined_rating_is_split() -> None:
    assert split_rating("A- VIII") == ("A-", "VIII")
    assert split_rating("A+") == ("A+", None)


def test_lookup_by_naic_first_then_by_name() -> None:
    book = RatingBook(RATINGS)
    renamed = Insurer(letter="A", name="Cascade Group", naic="10101")
    rating = book.find(renamed)
    assert rating is not None and rating.grade == "A"
    abbreviated = Insurer(letter="A", name="CASCADE MUT INS CO", naic=None)
    found = book.find(abbreviated)
    assert found is not None and found.size == "XV"
    assert book.find(Insurer(letter="A", name="Unknown Casualty Co")) is None
    assert book.find(None) is None


def test_lookup_by_name_ignores_accents() -> None:
    book = RatingBook(
        [InsurerRating(name="Compañía Aseguradora Mutual", naic="12345", best_rating="A- VIII")]
    )
    found = book.find(Insurer(letter="A", name="COMPANIA ASEGURADORA MUT", naic=None))
    assert found is not None and (found.grade, found.size) == ("A-", "VIII")


def _rated(grade: str, size: str | None = "XV") -> list[InsurerRating]:
    first = RATINGS[0].model_copy(update={"best_rating": grade, "financial_size": size})
    return [first, *RATINGS[1:]]


def test_rating_below_minimum_is_a_deficiency_per_line() -> None:
    result = run(ratings=_rated("B++"))
    assert keys(result) == {
        "insurer_rating_below_minimum:general_liability:-",
        "insurer_rating_below_minimum:auto_liability:-",
    }
    finding = result.deficiencies[0]
    assert (finding.required, finding.actual) == ("A- VIII", "B++ XV")
    assert finding.message.startswith(
        "Cascade Mutual Insurance Company (general liability) is rated B++ XV by AM Best; "
        "this project requires A- VIII or better."
    )


def test_financial_size_below_minimum() -> None:
    result = run(ratings=_rated("A", "VII"))
    assert "insurer_rating_below_minimum:general_liability:-" in keys(result)
    assert run(ratings=_rated("A", "VII"), template="tenant-improvement").status == "compliant"


def test_unrated_insurer_follows_the_template() -> None:
    unrated = list(RATINGS[1:])
    warned = run(ratings=unrated)
    assert warned.status == "compliant"
    assert "insurer_rating_unknown" in warning_codes(warned)
    strict = BUILTIN_TEMPLATES["ground-up"].model_copy(update={"unrated_insurer": "deficiency"})
    assert "insurer_rating_unknown:general_liability:-" in keys(
        run(ratings=unrated, template=strict)
    )
    quiet = BUILTIN_TEMPLATES["ground-up"].model_copy(update={"unrated_insurer": "ignore"})
    assert run(ratings=unrated, template=quiet).warnings == []
    # Federal work sets no minimum, so no rating is needed.
    assert run(ratings=[], template="federal-far-28-307-2").warnings == []


def test_a_low_rated_umbrella_does_not_make_up_primary_limits() -> None:
    cert = set_policy(
        make_certificate(),
        "general_liability",
        limits={**make_certificate().policies[0].limits, "each_occurrence": 1_000_000},
    )
    umbrella_low = [*RATINGS[:1], RATINGS[1].model_copy(update={"best_rating": "B"}), RATINGS[2]]
    result = run(cert, ratings=umbrella_low)
    assert "limit_below_minimum:general_liability:each_occurrence" in keys(result)
    assert "insurer_rating_below_minimum:umbrella:-" in keys(result)
    assert "umbrella_not_counted" in warning_codes(result)


def _state_fund_certificate() -> object:
    ohio = Insurer(letter="D", name="Ohio Bureau of Workers' Compensation", naic=None)
    cert = make_certificate(insurers=[*INSURERS, ohio])
    return set_policy(
        cert, "workers_comp", insurer_letter="D", limits={}, policy_number="1234567-0"
    )


def test_monopolistic_state_fund_is_not_a_deficiency() -> None:
    project = make_project(state="OH")
    result = run(_state_fund_certificate(), project=project)
    assert result.status == "compliant", [d.message for d in result.deficiencies]
    warning = next(w for w in result.warnings if w.code == "monopolistic_state_fund")
    assert "stop-gap employers' liability" in warning.message
    assert "$1,000,000 each accident" in warning.message


def test_monopolistic_state_detected_by_project_state() -> None:
    cert = set_policy(make_certificate(), "workers_comp", limits={})
    assert run(cert, project=make_project(state="WA")).status == "compliant"
    elsewhere = run(cert)  # Oregon: private carriers write WC, so EL must be shown
    # (EL each accident is made up by the umbrella; the disease limits are not.)
    assert keys(elsewhere) == {
        "limit_below_minimum:workers_comp:el_disease_each_employee",
        "limit_below_minimum:workers_comp:el_disease_policy_limit",
    }


def test_stop_gap_on_file_silences_the_warning() -> None:
    cert = _state_fund_certificate()
    gl = cert.policies[0]  # type: ignore[attr-defined]
    limits = {**gl.limits, "el_each_accident": 1_000_000}
    cert = set_policy(cert, "general_liability", limits=limits)  # type: ignore[arg-type]
    result = run(cert, project=make_project(state="OH"))
    assert result.status == "compliant"
    assert "monopolistic_state_fund" not in warning_codes(result)
