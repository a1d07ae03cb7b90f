"""What a careful reader records from `sample_acord25_2016-03_sensible.png`.

Read by eye from the image (725 x 933 pixels, about 85 dpi, with a dark border: a screenshot of
a filled 2016/03 form, not the same certificate as the flattened 2016/03 sample). Same shape and
conventions as `expected_sensible_2014.py`. The two OTHER rows write their limits as "$500 Ded"
and "$500,000/accident"; what those mean is the assembler's business, so `limits` of the OTHER
policies are not listed here.
"""

from __future__ import annotations

from typing import Any

DATES = {"effective_date": "2023-02-07", "expiration_date": "2024-02-07"}

EXPECTED: dict[str, Any] = {
    "form": {"type": "ACORD 25", "edition": "2016/03"},
    "certificate_date": "2023-02-25",
    "producer": {
        "name": "Example Insurance Agency",
        "contact_name": "Name Lastname",
        "phone": "(111) 111-1111",
        "email": "adam.smith@luckytruck.com",
        # The city box is empty: only the state and ZIP follow the street.
        "address": "333 N.W. 70 Ave; #999, FL 33317",
    },
    "insured": {
        "name": "Dunder Mifflin Paper Company",
        "address": "11111 70th Ave N, Place, FL 33772",
    },
    "insurers": [{"letter": "A", "name": "Example Insurance Company", "naic": "1111"}],
    "policies": [
        {
            "type": "general_liability",
            "insurer_letter": "A",
            "policy_number": "00000-ABC",
            **DATES,
            "additional_insured": True,
            "claims_made": False,
            "aggregate_applies_per": "policy",
            "limits": {
                "each_occurrence": 1_000_000,
                "damage_to_rented_premises": 100_000,
                "medical_expense": 5_000,
                "personal_advertising_injury": 1_000_000,
                "general_aggregate": 2_000_000,
                "products_completed_operations_aggregate": 2_000_000,
            },
        },
        {
            "type": "auto_liability",
            "insurer_letter": "A",
            "policy_number": "0000000-A",
            **DATES,
            "additional_insured": True,
            "autos": ["any", "non_owned"],
            "limits": {
                "combined_single_limit": 1_000_000,
                "bodily_injury_per_accident": 1_000_000,
                "property_damage": 1_000_000,
            },
        },
        {
            "type": "workers_comp",
            "insurer_letter": "A",
            "policy_number": "0000000-A",
            **DATES,
            "statutory": True,
            "limits": {"el_each_accident": 1_000_000},
        },
        {
            "type": "other",
            "description": "On-Hook/Cargo",
            "insurer_letter": "A",
            "policy_number": "0000000-A",
            **DATES,
        },
        {
            "type": "other",
            "description": "Garagekeepers Legal Liability",
            "insurer_letter": "A",
            "policy_number": "0000000-A",
            **DATES,
        },
    ],
    "description_of_operations": "Additional Insured: Administrative Service Corp.",
    "certificate_holder": {
        "name": "Administrative Service Corp",
        "address": "c/o Example Inc., 555 Street Avenue, Location, AA 45226",
    },
}
