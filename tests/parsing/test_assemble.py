"""Turning a reading into the contract: what goes to review, by the reader that produced it."""

from __future__ import annotations

import pytest

from coverwatch.parsing.assemble import assemble
from coverwatch.parsing.readings import CertificateReading, Reading


@pytest.mark.parametrize(("method", "flagged"), [("ocr", True), ("text", False)])
def test_an_ocr_email_with_a_leading_capital_goes_to_review(method: str, flagged: bool) -> None:
    reading = CertificateReading(
        method=method,  # type: ignore[arg-type]
        values={"producer_email": Reading("Olivia.ellsworth@lindqvistins.com", 0.97)},
    )
    certificate = assemble(reading)
    assert certificate.producer.email == "Olivia.ellsworth@lindqvistins.com"
    assert ("/producer/email" in certificate.needs_review) is flagged
    assert any("leading capital" in w for w in certificate.warnings) is flagged


def test_a_lower_case_ocr_email_is_kept_as_sure() -> None:
    reading = CertificateReading(
        method="ocr", values={"producer_email": Reading("olivia.ellsworth@lindqvistins.com", 0.97)}
    )
    assert "/producer/email" not in assemble(reading).needs_review
