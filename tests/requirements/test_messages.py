"""Messages read as plain English, and docs/deficiency-codes.md documents every code."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from coverwatch.requirements.messages import day, money
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import DEFICIENCY_CODES, WARNING_CODES

from .factories import make_certificate, remove_policy, set_dates, set_limit, set_policy
from .helpers import run

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deficiency-codes.md"


def test_money_and_dates_are_written_as_people_write_them() -> None:
    assert money(1_500_000) == "$1,500,000"
    assert day(date(2026, 1, 1)) == "January 1, 2026"


def test_every_code_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([a-z_]+)`", text, flags=re.MULTILINE))
    assert set(DEFICIENCY_CODES) | set(WARNING_CODES) <= documented
    assert documented <= set(DEFICIENCY_CODES) | set(WARNING_CODES)


def _broken_certificate() -> object:
    cert = make_certificate(endorsements=[], description=None, holder_name="Someone Else")
    cert = set_limit(cert, "general_liability", "each_occurrence", 100_000)
    cert = set_limit(cert, "general_liability", "general_aggregate", None)
    cert = set_policy(
        cert,
        "general_liability",
        claims_made=True,
        aggregate_applies_per="location",
        additional_insured=False,
        waiver_of_subrogation=False,
    )
    cert = set_policy(cert, "workers_comp", statutory=None, waiver_of_subrogation=False)
    cert = set_dates(
        cert, "auto_liability", effective=date(2024, 1, 1), expiration=date(2025, 1, 1)
    )
    return remove_policy(cert, "umbrella")


@pytest.mark.parametrize("template", sorted(BUILTIN_TEMPLATES))
def test_messages_are_complete_sentences(template: str) -> None:
    result = run(_broken_certificate(), template=template, trade="engineering")
    assert result.deficiencies
    for item in [*result.deficiencies, *result.warnings]:
        message = item.message
        assert message[0].isupper() and message.endswith("."), message
        assert "None" not in message and "{" not in message and "_" not in message, message
        assert "  " not in message, message
    assert {d.code for d in result.deficiencies} <= set(DEFICIENCY_CODES)
    assert {w.code for w in result.warnings} <= set(WARNING_CODES)
