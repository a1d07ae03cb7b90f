"""Fillable certificates: values read from the form fields (both distributions of the form)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coverwatch.parsing.acroform.reader import read_fields
from coverwatch.parsing.assemble import assemble
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError
from coverwatch.parsing.fields import FIELDS, field_key
from tests.parsing.accuracy import compare
from tests.parsing.corpus import fillable_with_printed_copy, generate


def test_both_field_name_styles() -> None:
    assert field_key("F[0].P1[0].Form_CompletionDate_A[0]") == "Form_CompletionDate_A"
    assert field_key("Form_CompletionDate_A") == "Form_CompletionDate_A"
    assert len(FIELDS) == 129


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 8, 11, 14, 17])
def test_generated_fillable_certificates_read_exactly(seed: int) -> None:
    # Seeds 2, 5, 8... use the XFA hybrid with qualified field names.
    pdf, truth = generate(seed, "fillable")
    certificate = parse_document(pdf)
    score = compare(certificate, truth)
    assert score.misses == []
    assert certificate.source.method == "acroform"
    assert certificate.needs_review == []
    # A two-digit year ("01/15/24") is read but costs a little confidence.
    assert certificate.confidence >= 0.95


@pytest.mark.parametrize(
    "name",
    ["blank_acord25_2016-03_acroform_meridmail.pdf", "blank_acord25_2016-03_xfa-hybrid_altech.pdf"],
)
def test_a_blank_form_is_not_a_certificate(samples_dir: Path, name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_document((samples_dir / name).read_bytes())
    assert caught.value.code == "not_a_certificate"


def test_marks_and_boxes() -> None:
    reading = read_fields(
        {
            "NamedInsured_FullName_A": "Acme Roofing, LLC",
            "Insurer_FullName_A": "Hartwell Mutual",
            "GeneralLiability_InsurerLetterCode_A": "A",
            "Policy_GeneralLiability_PolicyNumberIdentifier_A": "GL 1",
            "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A": "X",
            "Policy_GeneralLiability_SubrogationWaivedCode_A": "N",
            "GeneralLiability_ClaimsMadeIndicator_A": "/1",
            "GeneralLiability_GeneralAggregate_LimitAppliesPerProjectIndicator_A": "/1",
            "Vehicle_InsurerLetterCode_A": "A",
            "Policy_AutomobileLiability_PolicyNumberIdentifier_A": "BA 2",
            "Vehicle_HiredAutosIndicator_A": "/1",
            "Vehicle_NonOwnedAutosIndicator_A": "/1",
            "Policy_ExcessLiability_PolicyNumberIdentifier_A": "XS 3",
            "Form_EditionIdentifier_A": "ACORD 0025 2016-03 Acroform",
        },
        page=1,
    )
    certificate = assemble(reading)
    general, auto, umbrella = certificate.policies
    assert (general.additional_insured, general.waiver_of_subrogation) == (True, False)
    assert (general.claims_made, general.aggregate_applies_per) == (True, "project")
    assert auto.autos == ["hired", "non_owned"]
    # Neither UMBRELLA nor EXCESS ticked: which one it is goes to review.
    assert umbrella.type == "umbrella"
    assert "/policies/2/type" in certificate.needs_review
    assert certificate.form.edition == "2016/03"


def test_printed_values_fill_fields_left_empty() -> None:
    # Some systems print the values onto the page and fill only some of the fields.
    empty = {
        "NamedInsured_FullName_A",
        "GeneralLiability_EachOccurrence_LimitAmount_A",
        "Vehicle_AnyAutoIndicator_A",
        "Policy_GeneralLiability_PolicyNumberIdentifier_A",
        "Policy_GeneralLiability_EffectiveDate_A",
        "Policy_AutomobileLiability_PolicyNumberIdentifier_A",
        "Policy_AutomobileLiability_EffectiveDate_A",
        "Policy_ExcessLiability_PolicyNumberIdentifier_A",
        "Policy_ExcessLiability_EffectiveDate_A",
        "Policy_WorkersCompensationAndEmployersLiability_PolicyNumberIdentifier_A",
        "Policy_WorkersCompensationAndEmployersLiability_EffectiveDate_A",
        "OtherPolicy_PolicyNumberIdentifier_A",
        "OtherPolicy_PolicyEffectiveDate_A",
    }
    pdf, truth = fillable_with_printed_copy(4, empty=empty)
    certificate = parse_document(pdf)
    assert certificate.source.method == "acroform"
    assert compare(certificate, truth).misses == []
