"""Certificates dated around today's (test) clock, for suites that go through the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from coverwatch import clock
from coverwatch.certificates.schemas import CertificateData
from tests.requirements.factories import ALL_LINES, make_certificate


def current_certificate(
    *,
    insured: str = "Acme Roofing, LLC",
    gl_each_occurrence: int = 2_000_000,
    umbrella: int | None = 5_000_000,
    expires_in_days: int = 200,
    **fields: Any,
) -> CertificateData:
    """A ground-up-compliant certificate in force today, with the common things to vary."""
    today = clock.today()
    limits: dict[str, dict[str, int]] = {
        "general_liability": {"each_occurrence": gl_each_occurrence}
    }
    if umbrella:
        limits["umbrella"] = {"each_occurrence": umbrella, "aggregate": umbrella}
    return make_certificate(
        lines=[line for line in ALL_LINES if umbrella or line != "umbrella"],
        insured_name=insured,
        effective=today + timedelta(days=expires_in_days - 365),
        expiration=today + timedelta(days=expires_in_days),
        limits=limits,
        certificate_date=today,
        **fields,
    )
