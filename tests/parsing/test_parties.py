"""Names and addresses out of blocks of lines."""

from __future__ import annotations

import pytest

from coverwatch.parsing.parties import city_line, join_address, split_block


@pytest.mark.parametrize(
    ("lines", "name", "address"),
    [
        (
            ["Damon Bogich, LLC", "300 Mission St.", "Livonia, Mi 48152"],
            "Damon Bogich, LLC",
            "300 Mission St., Livonia, Mi 48152",
        ),
        (
            ["Acme Roofing Co.", "12 Main St", "Suite 200", "Springfield   IL  62704"],
            "Acme Roofing Co.",
            "12 Main St, Suite 200, Springfield, IL 62704",
        ),
        (
            [
                "Administrative Service Corp",
                "c/o Example Inc.",
                "555 Street Avenue",
                "Location, AA 45226",
            ],
            "Administrative Service Corp",
            "c/o Example Inc., 555 Street Avenue, Location, AA 45226",
        ),
        # The 2014/01 sample: a name wrapped over two lines, a suffix wrapped onto the street.
        (
            [
                "YourCompany.com An",
                "Network Member",
                "22 Gore Corner Road Suite 1H",
                "Mana NJ 07726",
            ],
            "YourCompany.com An Network Member",
            "22 Gore Corner Road Suite 1H, Mana, NJ 07726",
        ),
        (
            ["Management Solutions", "Inc 914 Air Drive", "Clive IA 50325"],
            "Management Solutions Inc",
            "914 Air Drive, Clive, IA 50325",
        ),
        (
            ["Source,Inc. 8 Three", "Cho Rd. Suite 14", "Richmond VA 23228"],
            "Source,Inc.",
            "8 Three Cho Rd. Suite 14, Richmond, VA 23228",
        ),
        (["Just A Name"], "Just A Name", None),
    ],
)
def test_blocks(lines: list[str], name: str, address: str | None) -> None:
    got_name, got_address, _ = split_block(lines)
    assert (got_name, got_address) == (name, address)


def test_addresses_from_parts() -> None:
    assert city_line("Boise", state="ID", postal="83702") == "Boise, ID 83702"
    assert city_line(None, state="ID", postal="83702") == "ID 83702"
    assert (
        join_address(["1 A St,", None, "", "Boise ID 83702-1234"]) == "1 A St, Boise, ID 83702-1234"
    )
    assert join_address([None, ""]) is None


@pytest.mark.parametrize(
    "above",
    ["(555)123-4567 name@example.com", "Acct # 004521", "Cust ID: 88 555-201-9999", "jo@x.com"],
)
def test_a_contact_line_above_the_name_is_not_part_of_the_party(above: str) -> None:
    name, address, confidence = split_block(
        [above, "Example Homes LLC", "12 Main St", "Columbus, OH 43215"]
    )
    assert (name, address) == ("Example Homes LLC", "12 Main St, Columbus, OH 43215")
    assert confidence == 1.0


def test_a_captioned_home_office_line_is_the_address() -> None:
    name, address, _ = split_block(
        ["Bluewater Insurance Company", "HOME OFFICE: P.O. BOX 6362", "Des Moines, IA 50309"]
    )
    assert (name, address) == ("Bluewater Insurance Company", "P.O. BOX 6362, Des Moines, IA 50309")


def test_a_name_holding_a_phone_number_is_flagged() -> None:
    name, _, confidence = split_block(["Call 555-123-4567 Homes LLC", "12 Main St"])
    assert name == "Call 555-123-4567 Homes LLC"
    assert confidence < 0.8
