"""Who the certificate is for and about: insured, holder, named additional insureds, notice."""

from __future__ import annotations

import pytest

from coverwatch.requirements.names import holder_matches, insured_matches, mentions, same_entity

from .factories import make_certificate, make_project, make_vendor, make_wc_certificate
from .helpers import keys, run, warning_codes


@pytest.mark.parametrize(
    ("printed", "wanted"),
    [
        ("Acme Roofing, LLC", ["ACME ROOFING LLC"]),
        ("ACME ROOFING L.L.C.", ["Acme Roofing, LLC"]),
        ("Acme Roofing Limited Liability Company", ["Acme Roofing LLC"]),
        ("Acme Roofing Inc dba Acme Exteriors", ["Acme Roofing LLC", "Acme Exteriors"]),
        ("Acme Roofing Inc. d/b/a Acme Exteriors", ["Acme Exteriors"]),
        ("Smith & Sons Construction Co.", ["Smith and Sons Construction Company"]),
        ("The Smith and Sons Construction Company, Inc.", ["Smith & Sons Construction"]),
        ("Joe's Drywall, Inc.", ["Joes Drywall Incorporated"]),
        ("Acme-Pacific Roofing Corp", ["Acme Pacific Roofing Corporation"]),
        ("Acme Roofing LLC\nAcme Roofing Holdings LLC", ["Acme Roofing LLC"]),
        # Agency systems and Procore often print names without their accents, or the reverse.
        ("Peña Roofing, LLC", ["PENA ROOFING LLC"]),
        ("PENA ROOFING LLC", ["Peña Roofing, LLC"]),
        ("Construcción Peña Inc dba Peña Builders", ["Pena Builders"]),
        # Letters with no accent to strip are spelled out as agency systems print them.
        ("ODEGARD BYGG INC", ["Ødegård Bygg, Inc."]),
        ("Łukasiewicz Masonry LLC", ["LUKASIEWICZ MASONRY LLC"]),
        ("STRASSE BAU CORP", ["Straße Bau Corporation"]),
    ],
)
def test_insured_names_that_match(printed: str, wanted: list[str]) -> None:
    assert insured_matches(printed, wanted)


@pytest.mark.parametrize(
    ("printed", "wanted"),
    [
        ("Acme Roofing Holdings", ["Acme Roofing"]),
        ("Acme Roofing Holdings, LLC", ["Acme Roofing, LLC"]),
        # LLC and Inc are different legal entities.
        ("Acme Roofing, Inc.", ["Acme Roofing, LLC"]),
        ("Acme Exteriors", ["Acme Roofing LLC"]),
        ("Pena Roofing Supply LLC", ["Peña Roofing, LLC"]),
        ("Peña Roofing, Inc.", ["PENA ROOFING LLC"]),
        ("", ["Acme Roofing LLC"]),
        (None, ["Acme Roofing LLC"]),
    ],
)
def test_insured_names_that_do_not_match(printed: str | None, wanted: list[str]) -> None:
    assert not insured_matches(printed, wanted)


def test_same_entity_ignores_case_punctuation_and_suffix_spelling() -> None:
    assert same_entity("ACME ROOFING, L.L.C.", "Acme Roofing LLC")
    assert same_entity("AcmeRoofing Co", "Acme Roofing")
    assert not same_entity("Acme Roofing Supply", "Acme Roofing")


@pytest.mark.parametrize(
    "printed",
    [
        "Summit Builders, Inc.",
        "SUMMIT BUILDERS INC\n500 Main Street\nPortland, OR 97204",
        "Summit Builders Inc, its subsidiaries and affiliates",
        "Summit Builders, Inc. ATIMA",
    ],
)
def test_holders_that_match(printed: str) -> None:
    assert holder_matches(printed, "Summit Builders, Inc.\n500 Main Street\nPortland, OR 97204")


def test_holder_names_match_without_their_accents() -> None:
    assert holder_matches("CONSTRUCCION PENA INC, ATIMA", "Construcción Peña, Inc.")
    assert holder_matches("Construcción Peña, Inc.", "CONSTRUCCION PENA INC")


@pytest.mark.parametrize("printed", ["Summit Builders West, Inc.", "Riverside Owner LLC", None])
def test_holders_that_do_not_match(printed: str | None) -> None:
    assert not holder_matches(printed, "Summit Builders, Inc.")


def test_mentions_finds_a_name_in_free_text() -> None:
    text = "Riverside Tower Owner, L.L.C. and Summit Builders are additional insureds."
    assert mentions(text, "Riverside Tower Owner LLC")
    assert mentions(text, "Summit Builders, Inc.")
    assert not mentions(text, "First Bank of Portland")
    accented = "Compañía Eléctrica del Norte"
    assert mentions("Additional insured: COMPANIA ELECTRICA DEL NORTE", accented)


def test_insured_mismatch_is_a_deficiency_with_a_plain_message() -> None:
    cert = make_certificate(insured_name="Acme Roofing Holdings, LLC")
    result = run(cert)
    assert keys(result) == {"insured_name_mismatch:-:-"}
    finding = result.deficiencies[0]
    assert (finding.required, finding.actual) == ("Acme Roofing LLC", "Acme Roofing Holdings, LLC")
    assert finding.message == (
        "The certificate names “Acme Roofing Holdings, LLC” as the insured, but the subcontract is "
        "with “Acme Roofing LLC” (doing business as “Acme Exteriors”). Ask your agent to issue the "
        "certificate to the company that signed the subcontract, or tell us its correct legal name."
    )
    assert run(cert, vendor=None).status == "compliant"


def test_insured_dba_on_the_certificate_is_not_a_mismatch() -> None:
    cert = make_certificate(insured_name="Acme Roofing Inc dba Acme Exteriors")
    vendor = make_vendor(legal_name="Acme Roofing, Inc.")
    assert run(cert, vendor=vendor).status == "compliant"


def test_every_certificate_names_the_insured() -> None:
    main = make_certificate(lines=("general_liability", "auto_liability", "umbrella"))
    wc = make_wc_certificate(insured_name="Acme Staffing Services Inc")
    result = run([main, wc])
    assert keys(result) == {"insured_name_mismatch:-:-"}
    assert result.deficiencies[0].actual == "Acme Staffing Services Inc"


def test_certificate_holder_mismatch() -> None:
    cert = make_certificate(holder_name="Riverside Tower Owner LLC")
    result = run(cert)
    assert keys(result) == {"certificate_holder_mismatch:-:-"}
    assert result.deficiencies[0].required == "Summit Builders, Inc."
    assert run(cert, project=make_project(certificate_holder=None)).status == "compliant"
    template = run(cert, project=None)
    assert template.status == "compliant"


def test_named_additional_insureds_must_appear_in_the_description() -> None:
    project = make_project(additional_insureds=["Summit Builders, Inc.", "First Bank of Portland"])
    result = run(project=project)
    assert keys(result) == {"additional_insured_missing:-:-"}
    finding = result.deficiencies[0]
    assert finding.required == "First Bank of Portland"
    assert "does not name “First Bank of Portland” as additional insured" in finding.message
    # Federal work asks for no additional insureds at all.
    assert run(project=project, template="federal-far-28-307-2").status == "compliant"


def test_the_holder_as_additional_insured_is_named_by_that_phrase() -> None:
    description = (
        "Riverside Tower. The certificate holder is an additional insured per CG 20 10 and "
        "CG 20 37, primary and non-contributory per CG 20 01."
    )
    cert = make_certificate(description=description)
    project = make_project(additional_insureds=["Summit Builders Inc"])
    assert run(cert, project=project).status == "compliant"


def test_notice_of_cancellation() -> None:
    cert = make_certificate(description=None)
    federal = run(cert, template="federal-far-28-307-2")
    assert keys(federal) == {"notice_of_cancellation_missing:-:-"}
    assert federal.deficiencies[0].message == (
        "The certificate does not promise notice of cancellation; this project requires 30 days' "
        "notice to the contracting officer. Ask your agent to add a notice of cancellation "
        "endorsement and say so in the Description of Operations."
    )
    short = make_certificate(description="Riverside Tower. 10 days notice of cancellation.")
    assert run(short, template="federal-far-28-307-2").deficiencies[0].actual == 10


def test_notice_is_needed_on_each_certificate_relied_on() -> None:
    main = make_certificate(lines=("general_liability", "auto_liability", "umbrella"))
    wc = make_wc_certificate(description="Riverside Tower. Waiver of subrogation per WC 00 03 13.")
    result = run([main, wc], template="public-works")
    assert keys(result) == {"notice_of_cancellation_missing:-:-"}
    assert "The certificate for workers' compensation does not promise" in (
        result.deficiencies[0].message
    )


def test_project_not_named_is_a_warning() -> None:
    description = (
        "Summit Builders, Inc. and Riverside Tower Owner LLC are additional insureds per CG 20 10, "
        "CG 20 37 and CG 20 01 (primary and non-contributory)."
    )
    project = make_project(additional_insureds=[], name="Harbor Lofts", number="9911", address=None)
    result = run(make_certificate(description=description), project=project)
    assert result.status == "compliant"
    assert "project_not_named" in warning_codes(result)
    assert "project_not_named" not in warning_codes(run())
