"""The flattened 2016/03 sample (`sample_acord25_2016-03_flattened-vector_sensible.pdf`).

Expected values read by eye from the rendered page. Its umbrella and WC rows carry only an
INSR LTR (C and A) and nothing else, so they are not policies; the DATE box is empty.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from coverwatch.parsing.document import parse_document

DATES_GL = {"effective_date": "2020-01-17", "expiration_date": "2021-01-17"}
EMPTY_POLICY: dict[str, Any] = {
    "description": None,
    "waiver_of_subrogation": None,
    "claims_made": None,
    "aggregate_applies_per": None,
    "statutory": None,
    "autos": [],
    "limits": {},
}

EXPECTED: dict[str, Any] = {
    "schema": "coverwatch.certificate/1",
    "form": {"type": "ACORD 25", "edition": "2016/03"},
    "certificate_date": None,
    "producer": {
        "name": "Damon Bogich, LLC",
        "contact_name": "Tiffany Edison",
        "phone": "(313)775-8809",
        "email": "Tiffany.edison@yahoo.com",
        "address": "300 Mission St., Livonia, Mi 48152",
    },
    "insured": {"name": "Lisa Gomez, LLC", "address": "1616 Broadway, New York, Ny 10001"},
    "insurers": [
        {"letter": "A", "name": "Mid Century Insurance Company", "naic": "11111"},
        {"letter": "B", "name": "Half Century Insurance Company", "naic": "22222"},
        {"letter": "C", "name": "Whole Century Insurance Company", "naic": "33333"},
        {"letter": "D", "name": "Quarter Century Insurance Company", "naic": "44444"},
        {"letter": "E", "name": "National Liability Insurers Company", "naic": "55555"},
        {"letter": "F", "name": "Fire Insurance Company", "naic": "66666"},
    ],
    "policies": [
        {
            **EMPTY_POLICY,
            "type": "general_liability",
            "insurer_letter": "A",
            "policy_number": "7843243-A",
            **DATES_GL,
            "additional_insured": True,
            "claims_made": False,
            "limits": {
                "each_occurrence": 400_000,
                "damage_to_rented_premises": 500_000,
                "medical_expense": 600_000,
                "personal_advertising_injury": 700_000,
                "general_aggregate": 800_000,
            },
        },
        {
            **EMPTY_POLICY,
            "type": "auto_liability",
            "insurer_letter": "B",
            "policy_number": "73 TRS 104039",
            "effective_date": "2020-04-17",
            "expiration_date": "2020-04-17",
            "additional_insured": True,
            "autos": ["scheduled"],
            "limits": {"combined_single_limit": 500_000},
        },
        {
            **EMPTY_POLICY,
            "type": "other",
            "description": "Garage Keepers Liability",
            "insurer_letter": "D",
            "policy_number": "7841276-A",
            "effective_date": "2020-03-17",
            "expiration_date": "2021-03-17",
            "additional_insured": True,
        },
    ],
    "description_of_operations": "Placeholder Description text to show how this will be extracted",
    "certificate_holder": {
        "name": "World\u2019s Best, Inc.",
        "address": "231 Reindeer Avenue, Los Angeles, CA 98776",
    },
    "endorsements": [],
    "confidence": 1.0,
    "needs_review": [],
}


def test_every_value_of_the_flattened_sample(samples_dir: Path) -> None:
    content = samples_dir / "sample_acord25_2016-03_flattened-vector_sensible.pdf"
    certificate = parse_document(content.read_bytes())
    got = certificate.model_dump(mode="json", by_alias=True)
    sha256 = hashlib.sha256(content.read_bytes()).hexdigest()
    assert got.pop("source") == {"sha256": sha256, "pages": 1, "method": "text"}
    warnings = got.pop("warnings")
    assert got == EXPECTED
    # Rows with only a letter are reported, not silently dropped.
    assert sum("only an insurer letter" in w for w in warnings) == 2
