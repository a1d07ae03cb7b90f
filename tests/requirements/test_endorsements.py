"""Endorsement evidence: form numbers, what descriptions grant to which line, strict templates."""

from __future__ import annotations

import pytest

from coverwatch.requirements.evidence import find_forms, normalise_form, read_evidence, sentences
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import LineRequirement

from .factories import ENDORSEMENTS, make_certificate, set_policy
from .helpers import keys, run

GL, AUTO, UMB, WC = "general_liability", "auto_liability", "umbrella", "workers_comp"


@pytest.mark.parametrize(
    ("printed", "form"),
    [
        ("CG2010", "CG 20 10"),
        ("CG 20 10", "CG 20 10"),
        ("CG 20 10 04 13", "CG 20 10"),
        ("cg-20-10-0413", "CG 20 10"),
        ("CG 2037 0413", "CG 20 37"),
        ("WC 00 03 13", "WC 00 03 13"),
        ("WC000313", "WC 00 03 13"),
        ("WC 00 03 13 (04 84)", "WC 00 03 13"),
        ("CA 04 44 10 13", "CA 04 44"),
        ("Form CG2001", "CG 20 01"),
        ("no form here", None),
        ("Portland, CA 94607", None),  # a ZIP code is not a form number
    ],
)
def test_form_numbers_are_normalised(printed: str, form: str | None) -> None:
    assert normalise_form(printed) == form


def test_editions_and_continued_numbers() -> None:
    assert find_forms("CG 20 10 04 13 and CG 20 37 04 13") == [
        ("CG 20 10", "04 13"),
        ("CG 20 37", "04 13"),
    ]
    assert [f for f, _ in find_forms("per CG 20 10 & 20 37")] == ["CG 20 10", "CG 20 37"]
    assert [f for f, _ in find_forms("CG2404/2503")] == ["CG 24 04", "CG 25 03"]
    assert find_forms("WC 00 03 13 04 84") == [("WC 00 03 13", "04 84")]


def test_sentences_do_not_break_on_legal_suffixes() -> None:
    text = "ACME ROOFING, INC. IS AN ADDITIONAL INSURED. WAIVER OF SUBROGATION APPLIES TO WC."
    assert sentences(text) == [
        "acme roofing, inc. is an additional insured",
        "waiver of subrogation applies to wc.",
    ]


def _stated(description: str, concept: str) -> frozenset[str]:
    return read_evidence(description, ()).stated[concept]


def test_a_statement_applies_to_the_lines_it_names() -> None:
    text = "Waiver of subrogation applies to General Liability and Workers Compensation."
    assert _stated(text, "waiver_of_subrogation") == {GL, WC}


def test_a_statement_naming_no_line_applies_to_all() -> None:
    stated = _stated(
        "Blanket additional insured as required by written contract.", "additional_insured"
    )
    assert {GL, AUTO, UMB} <= stated


def test_exceptions_and_denials_leave_lines_out() -> None:
    assert _stated(
        "Waiver of subrogation applies to all policies except workers comp", "waiver_of_subrogation"
    ) >= {GL, AUTO}
    assert WC not in _stated(
        "Waiver of subrogation applies except workers comp", "waiver_of_subrogation"
    )
    denied = _stated(
        "Additional insured applies to general liability but does not apply to auto",
        "additional_insured",
    )
    assert denied == {GL}
    assert _stated("No waiver of subrogation.", "waiver_of_subrogation") == frozenset()
    assert _stated("Waiver of subrogation is not provided.", "waiver_of_subrogation") == frozenset()


@pytest.mark.parametrize(
    "wording",
    [
        "primary and non-contributory",
        "Primary & Noncontributory",
        "primary/non contributory",
        "PRIMARY NON-CONTRIBUTORY",
        "primary, noncontributory",
    ],
)
def test_primary_noncontributory_wordings(wording: str) -> None:
    assert GL in _stated(f"Coverage is {wording} for general liability.", "primary_noncontributory")


def test_completed_operations_needs_an_additional_insured_statement() -> None:
    assert GL in _stated(
        "Additional insured includes ongoing and completed operations (GL).", "completed_operations"
    )
    assert (
        _stated("Products-completed operations aggregate is $2M.", "completed_operations") == set()
    )


def test_notice_of_cancellation_days() -> None:
    assert (
        read_evidence("30 days notice of cancellation, 10 days for non-payment", ()).notice_days
        == 30
    )
    assert read_evidence("Thirty (30) day written notice of cancellation", ()).notice_days == 30
    assert read_evidence("Notice of cancellation per policy provisions", ()).notice_days is None


# Engine-level: what counts as evidence, by template.


def test_addl_y_alone_is_enough_unless_the_template_requires_forms() -> None:
    # No description and no attached forms: only the "Y" marks remain.
    bare = make_certificate(endorsements=[], description="Riverside Tower job #2417.")
    ti = run(bare, template="tenant-improvement", project=None)
    assert "additional_insured_missing:general_liability:-" not in keys(ti)
    assert "waiver_of_subrogation_missing:general_liability:-" not in keys(ti)
    assert "primary_noncontributory_missing:general_liability:-" in keys(ti)  # no box for PNC
    strict = run(bare, project=None)
    ai = next(
        d for d in strict.deficiencies if d.key == "additional_insured_missing:general_liability:-"
    )
    assert ai.actual == "ADDL INSD Y without endorsement"
    assert ai.message.startswith("The certificate marks ADDL INSD “Y” for general liability")
    assert {
        "completed_operations_missing:general_liability:-",
        "waiver_of_subrogation_missing:general_liability:-",
        "waiver_of_subrogation_missing:auto_liability:-",
        "waiver_of_subrogation_missing:workers_comp:-",
        "primary_noncontributory_missing:general_liability:-",
        "per_project_aggregate_missing:general_liability:-",
    } <= keys(strict)


def test_completed_operations_missing_without_cg_20_37() -> None:
    description = (
        "Summit Builders, Inc. and Riverside Tower Owner LLC are additional insureds per CG 20 10 "
        "for Riverside Tower. Primary and non-contributory per CG 20 01."
    )
    cert = make_certificate(
        endorsements=[(f, e) for f, e in ENDORSEMENTS if f != "CG 20 37"], description=description
    )
    result = run(cert)
    assert keys(result) == {"completed_operations_missing:general_liability:-"}
    assert "CG 20 37" in result.deficiencies[0].message


def test_plain_text_counts_only_for_non_strict_templates() -> None:
    description = (
        "Riverside Tower #2417. Summit Builders, Inc. and Riverside Tower Owner LLC are additional "
        "insureds including completed operations. Waiver of subrogation applies to GL and WC. "
        "30 days notice of cancellation."
    )
    cert = make_certificate(endorsements=[], description=description)
    cert = set_policy(
        cert, "general_liability", additional_insured=None, waiver_of_subrogation=None
    )
    cert = set_policy(cert, "workers_comp", waiver_of_subrogation=None)
    assert run(cert, template="public-works").status == "compliant"
    assert "completed_operations_missing:general_liability:-" in keys(run(cert))


def test_a_statement_that_names_a_carrier_form_counts_for_strict_templates() -> None:
    description = (
        "Riverside Tower #2417. Summit Builders, Inc. and Riverside Tower Owner LLC are additional "
        "insureds for ongoing and completed operations per carrier form CG 88 10 04 13."
    )
    kept = [(f, e) for f, e in ENDORSEMENTS if f not in ("CG 20 10", "CG 20 37")]
    result = run(make_certificate(endorsements=kept, description=description))
    assert "additional_insured_missing:general_liability:-" not in keys(result)
    assert "completed_operations_missing:general_liability:-" not in keys(result)


def test_cg_20_26_is_ongoing_only() -> None:
    kept = [(f, e) for f, e in ENDORSEMENTS if f not in ("CG 20 10", "CG 20 37")]
    kept.append(("CG 20 26", "04 13"))
    cert = make_certificate(endorsements=kept, description="Riverside Tower. Summit Builders, Inc.")
    result = run(cert, project=None)
    assert "additional_insured_missing:general_liability:-" not in keys(result)
    assert "completed_operations_missing:general_liability:-" in keys(result)


def test_waivers_are_per_line() -> None:
    description = "Riverside Tower #2417. Waiver of subrogation applies to general liability."
    cert = make_certificate(endorsements=[("CG 24 04", "05 09")], description=description)
    cert = set_policy(cert, "auto_liability", waiver_of_subrogation=None)
    cert = set_policy(cert, "workers_comp", waiver_of_subrogation=False)
    result = run(cert, template="tenant-improvement", project=None)
    assert "waiver_of_subrogation_missing:general_liability:-" not in keys(result)
    assert "waiver_of_subrogation_missing:workers_comp:-" in keys(result)
    # Tenant improvement asks for no auto waiver; ground-up does, and CG 24 04 is not one.
    assert "waiver_of_subrogation_missing:auto_liability:-" in keys(run(cert, project=None))


def test_per_project_aggregate() -> None:
    no_form = [(f, e) for f, e in ENDORSEMENTS if f != "CG 25 03"]
    description = "Riverside Tower #2417. Additional insured per CG 20 10 and CG 20 37."
    per_location = make_certificate(
        endorsements=[*no_form, ("CG 25 04", "05 09")], description=description
    )
    per_location = set_policy(per_location, "general_liability", aggregate_applies_per="location")
    result = run(per_location, project=None)
    finding = next(d for d in result.deficiencies if d.code == "per_project_aggregate_missing")
    assert finding.actual == "location"
    assert "applies per location (CG 25 04)" in finding.message
    project_box = set_policy(per_location, "general_liability", aggregate_applies_per="project")
    # The PRO-JECT box is a claim: enough for a non-strict template, not for ground-up.
    lenient = BUILTIN_TEMPLATES["ground-up"].model_copy(update={"require_endorsement_forms": False})
    assert "per_project_aggregate_missing:general_liability:-" not in keys(
        run(project_box, template=lenient, project=None)
    )
    assert "per_project_aggregate_missing:general_liability:-" in keys(
        run(project_box, project=None)
    )


def test_an_endorsement_package_sent_on_its_own_counts() -> None:
    main = make_certificate(
        endorsements=[(f, e) for f, e in ENDORSEMENTS if f != "CG 20 37"],
        description="Riverside Tower. Additional insured per CG 20 10.",
    )
    assert "completed_operations_missing:general_liability:-" in keys(run(main, project=None))
    package = make_certificate(lines=(), endorsements=[("CG 20 37", "04 13")], description=None)
    assert run([main, package], project=None).status == "compliant"


def test_a_follow_form_umbrella_carries_the_gl_terms() -> None:
    spec = BUILTIN_TEMPLATES["ground-up"]
    lines = [
        LineRequirement(
            coverage="umbrella",
            limits={"each_occurrence": 5_000_000},
            additional_insured="ongoing",
            primary_noncontributory=True,
        )
        if line.coverage == "umbrella"
        else line
        for line in spec.lines
    ]
    umbrella_terms = spec.model_copy(update={"lines": lines})
    assert run(template=umbrella_terms).status == "compliant"
    not_follow_form = make_certificate(description=DESCRIPTION_WITHOUT_FOLLOW_FORM)
    result = run(not_follow_form, template=umbrella_terms)
    assert keys(result) == {
        "additional_insured_missing:umbrella:-",
        "primary_noncontributory_missing:umbrella:-",
    }


DESCRIPTION_WITHOUT_FOLLOW_FORM = (
    "Riverside Tower #2417. Summit Builders, Inc. and Riverside Tower Owner LLC are additional "
    "insureds per CG 20 10 and CG 20 37, primary and non-contributory per CG 20 01 (GL). Waiver of "
    "subrogation per CG 24 04, CA 04 44, WC 00 03 13."
)
