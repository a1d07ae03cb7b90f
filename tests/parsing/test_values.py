"""Normalising values as agents type them (and as OCR misreads them)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coverwatch.parsing.values import (
    REVIEW_THRESHOLD,
    clean_text,
    parse_amount,
    parse_checkbox,
    parse_date,
    parse_email,
    parse_letter,
    parse_mark,
    parse_naic,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000,000", 1_000_000),
        ("$1,000,000", 1_000_000),
        ("$ 2,000,000", 2_000_000),
        ("1000000", 1_000_000),
        ("1 000 000", 1_000_000),
        ("$1M", 1_000_000),
        ("1MM", 1_000_000),
        ("$2.5M", 2_500_000),
        ("500K", 500_000),
        ("1,000,000.00", 1_000_000),
        ("1.000.000", 1_000_000),
        ("$1,000,000 Each Occurrence", 1_000_000),
        ("l,000,000", 1_000_000),
        ("1,OOO,OOO", 1_000_000),
    ],
)
def test_amounts(text: str, value: int) -> None:
    parsed = parse_amount(text)
    assert parsed.value == value
    assert parsed.confidence >= REVIEW_THRESHOLD


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Excluded", "excluded"),
        ("EXCL", "excluded"),
        ("N/A", "not_applicable"),
        ("NA", "not_applicable"),
        ("STATUTORY", "statutory"),
        ("Included", "included"),
    ],
)
def test_amount_words_are_no_limit(text: str, kind: str) -> None:
    parsed = parse_amount(text)
    assert parsed.value is None
    assert parsed.kind == kind
    assert parsed.confidence == 1.0


def test_a_retention_is_marked_as_such() -> None:
    parsed = parse_amount("$100,000 SIR")
    assert (parsed.value, parsed.kind) == (100_000, "retention")
    assert parse_amount("$5,000 Ded").kind == "deductible"


@pytest.mark.parametrize(
    "text", ["1,000,00", "1,000,000 / 2,000,000", "about a million", "2 000 00C", "2,000,00C"]
)
def test_unsure_amounts_are_null_and_low(text: str) -> None:
    parsed = parse_amount(text)
    assert parsed.value is None
    assert parsed.confidence < REVIEW_THRESHOLD


def test_a_lost_separator_is_read_but_doubted() -> None:
    parsed = parse_amount("1,000000")
    assert parsed.value == 1_000_000
    assert parsed.confidence < REVIEW_THRESHOLD


@given(st.integers(min_value=1, max_value=50_000_000))
def test_amounts_round_trip_in_the_usual_formats(amount: int) -> None:
    for text in (f"{amount:,}", f"${amount:,}", str(amount), f"{amount:,}".replace(",", " ")):
        assert parse_amount(text).value == amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("01/15/2024", date(2024, 1, 15)),
        ("1/5/2024", date(2024, 1, 5)),
        ("1-5-24", date(2024, 1, 5)),
        ("2024-01-05", date(2024, 1, 5)),
        ("Jan 5, 2024", date(2024, 1, 5)),
        ("O1/15/2O24", date(2024, 1, 15)),
    ],
)
def test_dates(text: str, value: date) -> None:
    parsed = parse_date(text)
    assert parsed.value == value
    assert parsed.confidence >= REVIEW_THRESHOLD


@pytest.mark.parametrize("text", ["13/01/2024", "2/30/2024", "soon"])
def test_impossible_dates_are_null_and_low(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.value is None
    assert parsed.confidence < REVIEW_THRESHOLD


def test_a_date_without_separators_is_doubted() -> None:
    parsed = parse_date("01152024")
    assert parsed.value == date(2024, 1, 15)
    assert parsed.confidence < 0.9


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_round_trip(day: date) -> None:
    for text in (day.strftime("%m/%d/%Y"), f"{day.month}/{day.day}/{day.year}"):
        assert parse_date(text).value == day


@pytest.mark.parametrize(
    ("text", "value"),
    [("Y", True), ("y", True), ("X", True), ("[X]", True), ("N", False), ("", None), ("N/A", None)],
)
def test_marks(text: str, value: bool | None) -> None:
    parsed = parse_mark(text)
    assert parsed.value is value
    assert parsed.confidence == 1.0


def test_an_unknown_mark_is_doubted() -> None:
    assert parse_mark("maybe").confidence < REVIEW_THRESHOLD


@pytest.mark.parametrize("text", ["X", "x", "✔", "8", "4", "/1"])
def test_checkbox_marks(text: str) -> None:
    assert parse_checkbox(text).value is True


def test_an_empty_box_is_not_ticked() -> None:
    assert parse_checkbox("").value is False
    assert parse_checkbox("[ ]").value is False


def test_letters_fix_look_alikes_only_for_listed_insurers() -> None:
    assert parse_letter("b").value == "B"
    assert parse_letter("8", known=frozenset("AB")).value == "B"
    assert parse_letter("8", known=frozenset("A")).value is None


def test_naic_and_email() -> None:
    assert parse_naic("1O234").value == "10234"
    assert parse_naic("N/A").value is None
    assert parse_email("Ben@yourcompany com").value == "Ben@yourcompany.com"
    assert parse_email("a.b@c.com").confidence == 1.0


def test_an_email_split_at_a_full_stop_or_after_a_label_is_one_address() -> None:
    assert parse_email("rosa. jablonski@prairie.com").value == "rosa.jablonski@prairie.com"
    assert parse_email("x .holloway@coastal.com").value == "x.holloway@coastal.com"
    assert parse_email("Ext: tanya@tricounty.com").value == "tanya@tricounty.com"
    # Two words that are not a label: no one address to take, so it is doubted as read.
    doubted = parse_email("john smith@x.com")
    assert doubted.value == "john smith@x.com"
    assert doubted.confidence < 0.8


def test_clean_text_keeps_lines_and_drops_soft_hyphens() -> None:
    assert clean_text("  PRO\x02JECT \r\n second   line ") == "PROJECT\nsecond line"
    assert clean_text("   ") is None


def test_a_letter_inside_a_grouped_amount_is_not_a_crash() -> None:
    # OCR can leave a stray letter between digit groups; the amount is then unsure, not a crash.
    assert parse_amount("s30 000").value is None
    assert parse_amount("1,000 s300000").value is None
