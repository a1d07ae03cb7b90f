"""Endorsement form numbers as they are written on certificates and endorsement pages."""

from __future__ import annotations

import pytest

from coverwatch.parsing.endorsements import carrier_forms, endorsements, find_forms


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("CG 20 10 04 13", [("CG 20 10", "04 13")]),
        ("per CG2010", [("CG 20 10", None)]),
        ("CG 20 10 (04/13)", [("CG 20 10", "04 13")]),
        ("CG20100413", [("CG 20 10", "04 13")]),
        ("CG 20 10 & 20 37", [("CG 20 10", None), ("CG 20 37", None)]),
        ("CG 2010 / 2037", [("CG 20 10", None), ("CG 20 37", None)]),
        ("CG 20 10 04 13 / 20 37 04 13", [("CG 20 10", "04 13"), ("CG 20 37", "04 13")]),
        ("WC 00 03 13 (04 84)", [("WC 00 03 13", "04 84")]),
        ("WC000313", [("WC 00 03 13", None)]),
        ("CA 20 48 10 13 and CA 04 44", [("CA 20 48", "10 13"), ("CA 04 44", None)]),
        ("CG2001, CG2404 and carrier RSCG0303", [("CG 20 01", None), ("CG 24 04", None)]),
    ],
)
def test_form_numbers(text: str, forms: list[tuple[str, str | None]]) -> None:
    assert find_forms(text) == forms


@pytest.mark.parametrize(
    "text",
    ["Chicago, IL 60601", "Los Angeles, CA 90210-1234", "CA 95676629", "WC 1234567"],
)
def test_addresses_and_policy_numbers_are_not_forms(text: str) -> None:
    assert find_forms(text) == []


def test_carrier_forms_need_the_iso_notice_and_an_edition() -> None:
    page = "CG 85 83 04 13 Includes copyrighted material of Insurance Services Office, Inc."
    assert carrier_forms(page) == [("CG 85 83", "04 13")]
    assert carrier_forms("LM 12 34 05 19 Page 1 of 2") == []
    assert carrier_forms(f"{page} LM 12 34 05 19") == [("CG 85 83", "04 13"), ("LM 12 34", "05 19")]


def test_one_entry_per_form_and_page_with_the_edition_when_given() -> None:
    found = endorsements(
        [(1, "CG 20 10 per CG2010 04 13"), (2, "CG 20 37 04 13 ... CG 20 37 04 13"), (3, "none")]
    )
    assert [(e.form, e.edition, e.page) for e in found] == [
        ("CG 20 10", "04 13", 1),
        ("CG 20 37", "04 13", 2),
    ]
