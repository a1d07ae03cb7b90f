"""Demo certificate PDFs: drawn from data, read back by the product's own parser unchanged."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest

from coverwatch.certificates.schemas import CertificateData, Policy
from coverwatch.demo.certificates import demo_pairs
from coverwatch.demo.drawing import certificate_pdf
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.layout.reader import read_page
from coverwatch.parsing.pdf_text import PDFIUM_LOCK, page_words
from tests.certificates.factories import current_certificate
from tests.requirements.factories import make_certificate, make_policy, set_limit, set_policy

TODAY = date(2026, 3, 10)
CORRECTED_FORMS = ("CG 20 10", "CG 20 37", "CG 20 01", "CG 24 04", "CA 20 48", "WC 00 03 13")


def _words(text: str | None) -> str | None:
    # The reader keeps the printed line breaks of a paragraph; the words are what must match.
    return " ".join(text.split()) if text else text


def _read(data: CertificateData) -> CertificateData:
    """The certificate drawn as a PDF and parsed back, read cleanly from its text layer."""
    parsed = parse_document(certificate_pdf(data), filename="x.pdf")
    assert parsed.source.method == "text"
    assert parsed.needs_review == []
    assert parsed.warnings == []
    assert parsed.form.edition == "2016/03"
    return parsed


def _assert_same(parsed: CertificateData, data: CertificateData) -> None:
    assert parsed.certificate_date == data.certificate_date
    assert parsed.insured == data.insured
    assert parsed.producer == data.producer
    assert parsed.certificate_holder == data.certificate_holder
    assert parsed.insurers == data.insurers
    assert _words(parsed.description_of_operations) == _words(data.description_of_operations)
    assert [p.type for p in parsed.policies] == [p.type for p in data.policies]
    for read, written in zip(parsed.policies, data.policies, strict=True):
        assert read.insurer_letter == written.insurer_letter
        assert read.policy_number == written.policy_number
        assert (read.effective_date, read.expiration_date) == (
            written.effective_date,
            written.expiration_date,
        )
        assert read.additional_insured == written.additional_insured
        assert read.waiver_of_subrogation == written.waiver_of_subrogation
        assert read.limits == written.limits
        # Boxes too: occurrence, per-project aggregate, autos, statutory.
        assert read == written


def _policy(certificate: CertificateData, policy_type: str) -> Policy:
    return next(p for p in certificate.policies if p.type == policy_type)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(current_certificate(), id="full"),
        pytest.param(current_certificate(gl_each_occurrence=500_000, umbrella=None), id="gl-500k"),
        pytest.param(current_certificate(umbrella=10_000_000), id="umbrella-10m"),
    ],
)
def test_certificate_reads_back_as_written(data: CertificateData) -> None:
    _assert_same(_read(data), data)


def test_the_cases_differ_where_they_should() -> None:
    short = _read(current_certificate(gl_each_occurrence=500_000, umbrella=None))
    assert _policy(short, "general_liability").limits["each_occurrence"] == 500_000
    assert "umbrella" not in {p.type for p in short.policies}
    big = _read(current_certificate(umbrella=10_000_000))
    assert _policy(big, "umbrella").limits == {
        "each_occurrence": 10_000_000,
        "aggregate": 10_000_000,
        "retention": 10_000,
    }


def test_other_row_excess_sir_and_boxes_read_back() -> None:
    other = make_policy(
        "other",
        description="Professional Liability (claims-made)",
        policy_number="PL-5531",
        limits={"each_occurrence": 1_000_000, "aggregate": 2_000_000},
    )
    data = make_certificate(extra_policies=[other])
    data = set_policy(data, "umbrella", type="excess", claims_made=True)
    data = set_limit(data, "general_liability", "retention", 25_000)
    data = set_policy(data, "auto_liability", autos=["owned", "hired", "non_owned"])
    data = set_policy(data, "workers_comp", statutory=False)
    _assert_same(_read(data), data)


def test_the_printed_form_alone_holds_no_values() -> None:
    # Every label and line of small print lies outside the value boxes.
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(certificate_pdf(CertificateData()))
        try:
            words = page_words(document[0], index=0)
        finally:
            document.close()
    reading = read_page(words)
    assert reading.values == {}
    assert reading.rows == []
    assert reading.edition == "2016/03"


def test_what_the_form_cannot_show_is_refused() -> None:
    data = make_certificate()
    twice = data.model_copy(update={"policies": [*data.policies, data.policies[0]]})
    with pytest.raises(ValueError, match="only one policy"):
        certificate_pdf(twice)
    with pytest.raises(ValueError, match="no aggregate limit"):
        certificate_pdf(set_limit(data, "auto_liability", "aggregate", 1_000_000))


def test_demo_pairs_short_then_corrected() -> None:
    pairs = demo_pairs(
        insured="Bright Line Electric Inc.", holder="Summit Builders, Inc.", today=TODAY
    )
    assert list(pairs) == [
        "bright-line-electric-inc-gl-500k.pdf",
        "bright-line-electric-inc-corrected.pdf",
    ]
    accented = demo_pairs(insured="Peña Roofing, LLC", holder="Summit Builders, Inc.", today=TODAY)
    assert list(accented) == ["pena-roofing-llc-gl-500k.pdf", "pena-roofing-llc-corrected.pdf"]
    short = _read_named(pairs["bright-line-electric-inc-gl-500k.pdf"])
    assert [p.type for p in short.policies] == [
        "general_liability",
        "auto_liability",
        "workers_comp",
    ]
    gl = _policy(short, "general_liability")
    assert (gl.limits["each_occurrence"], gl.limits["general_aggregate"]) == (500_000, 1_000_000)
    for policy in short.policies:
        assert policy.effective_date and policy.expiration_date
        assert policy.effective_date <= TODAY < policy.expiration_date

    fixed = _read_named(pairs["bright-line-electric-inc-corrected.pdf"])
    assert fixed.certificate_date == TODAY
    assert fixed.insured.name == "Bright Line Electric Inc."
    assert fixed.certificate_holder.name == "Summit Builders, Inc."
    assert fixed.producer.email and fixed.producer.name and fixed.producer.phone
    assert {i.letter for i in fixed.insurers} >= {p.insurer_letter for p in fixed.policies}
    gl = _policy(fixed, "general_liability")
    assert gl.limits["each_occurrence"] == 2_000_000
    assert gl.limits["general_aggregate"] == 4_000_000
    assert gl.limits["products_completed_operations_aggregate"] == 4_000_000
    umbrella = _policy(fixed, "umbrella")
    assert (umbrella.limits["each_occurrence"], umbrella.limits["aggregate"]) == (10**7, 10**7)
    assert _policy(fixed, "auto_liability").limits == {"combined_single_limit": 1_000_000}
    wc = _policy(fixed, "workers_comp")
    assert wc.statutory is True
    assert set(wc.limits.values()) == {1_000_000} and len(wc.limits) == 3
    for policy in (gl, _policy(fixed, "auto_liability"), umbrella):
        assert (policy.additional_insured, policy.waiver_of_subrogation) == (True, True)
    assert (wc.additional_insured, wc.waiver_of_subrogation) == (None, True)
    for policy in fixed.policies:
        assert policy.policy_number and policy.insurer_letter
        assert policy.effective_date and policy.expiration_date
        assert policy.effective_date <= TODAY < policy.expiration_date
    description = fixed.description_of_operations or ""
    assert "Harbor View Tower" in description
    assert {e.form for e in fixed.endorsements} >= set(CORRECTED_FORMS)


def _read_named(pdf: bytes) -> CertificateData:
    parsed = parse_document(pdf, filename="demo.pdf")
    assert parsed.source.method == "text"
    assert parsed.needs_review == []
    return parsed
