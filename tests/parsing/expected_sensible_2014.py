"""What a careful reader records from `sample_acord25_2014-01_image-only-scan_sensible.pdf`.

Read by eye from the page (its PNG twin `sample_acord25_2014-01_sensible.png` is the same page).
The dict has the shape of `CertificateData.model_dump(mode="json")` minus `source`,
`confidence`, `needs_review` and `warnings`, which depend on the reader.

Conventions shared with the other expected values and the corpus generator:
- an address is its lines joined by ", ", the last line written "City, ST ZIP";
- a blank ADDL INSD / SUBR WVD box is None, an "X" is True; an N/A cell (WC ADDL) is None;
- a coverage row with only an INSR LTR and nothing else is not a policy.

The page itself is degraded: the glyphs "i" and "l" are missing from many words and the dot of
the e-mail address is gone. `DEGRADED` lists what is literally printed where the expected value
is the evident intended text, so an OCR test can accept either (a reader cannot restore a glyph
that is not on the page; the e-mail dot is the one repair the field's type makes certain).
Spaces are single: the gaps a missing glyph leaves vary with the reader.
"""

from __future__ import annotations

from typing import Any

DATES = {"effective_date": "2022-02-05", "expiration_date": "2023-02-05"}

EXPECTED: dict[str, Any] = {
    "form": {"type": "ACORD 25", "edition": "2014/01"},
    "certificate_date": "2022-01-28",
    "producer": {
        # The name runs over two lines; the street address starts with a number.
        "name": "YourCompany.com An Network Member",
        "contact_name": "Ben Lev",
        "phone": "(999) 242-4895",
        "email": "Ben@yourcompany.com",
        "address": "22 Gore Corner Road Suite 1H, Mana, NJ 07726",
    },
    "insured": {
        # "Management Solutions" / "Inc 914 Air Drive": the suffix wrapped onto the street line.
        "name": "Management Solutions Inc",
        "address": "914 Air Drive, Clive, IA 50325",
    },
    "insurers": [
        {"letter": "A", "name": "Property and Casualty Insurance Co", "naic": None},
        {"letter": "B", "name": "National Insurance Company", "naic": None},
        {"letter": "C", "name": "American Insurance Company", "naic": None},
        {"letter": "D", "name": "Fire Insurance Company", "naic": None},
    ],
    "policies": [
        {
            "type": "general_liability",
            "description": None,
            "insurer_letter": "A",
            "policy_number": "D954606",
            **DATES,
            "additional_insured": True,
            "waiver_of_subrogation": None,
            "claims_made": False,
            "aggregate_applies_per": "policy",
            "statutory": None,
            "autos": [],
            "limits": {
                "each_occurrence": 1_000_000,
                "damage_to_rented_premises": 1_000_000,
                "medical_expense": 5_000,
                "personal_advertising_injury": 1_000_000,
                "general_aggregate": 2_000_000,
                "products_completed_operations_aggregate": 2_000_000,
            },
        },
        {
            "type": "auto_liability",
            "description": None,
            "insurer_letter": "A",
            "policy_number": "D954606",
            **DATES,
            "additional_insured": True,
            "waiver_of_subrogation": None,
            "claims_made": None,
            "aggregate_applies_per": None,
            "statutory": None,
            "autos": ["hired", "non_owned"],
            "limits": {"combined_single_limit": 1_000_000},
        },
        {
            "type": "umbrella",
            "description": None,
            "insurer_letter": "A",
            "policy_number": "D95462A",
            **DATES,
            "additional_insured": True,
            "waiver_of_subrogation": None,
            "claims_made": False,
            "aggregate_applies_per": None,
            "statutory": None,
            "autos": [],
            "limits": {"each_occurrence": 4_000_000, "aggregate": 4_000_000},
        },
        {
            "type": "workers_comp",
            "description": None,
            "insurer_letter": "B",
            "policy_number": "71702052021",
            **DATES,
            "additional_insured": None,
            "waiver_of_subrogation": None,
            "claims_made": None,
            "aggregate_applies_per": None,
            "statutory": True,
            "autos": [],
            "limits": {
                "el_each_accident": 1_000_000,
                "el_disease_each_employee": 1_000_000,
                "el_disease_policy_limit": 1_000_000,
            },
        },
        {
            # Two OTHER policies, one per line, limits written as free text across the column:
            # "$1 000 000 Occurrence / $1 000 000 Aggregate".
            "type": "other",
            "description": "Professional Liability",
            "insurer_letter": "C",
            "policy_number": "D95854618",
            **DATES,
            "additional_insured": True,
            "waiver_of_subrogation": None,
            "claims_made": None,
            "aggregate_applies_per": None,
            "statutory": None,
            "autos": [],
            "limits": {"each_occurrence": 1_000_000, "aggregate": 1_000_000},
        },
        {
            "type": "other",
            "description": "3rd Party Crime",
            "insurer_letter": "D",
            "policy_number": "13TP0371595",
            **DATES,
            "additional_insured": True,
            "waiver_of_subrogation": None,
            "claims_made": None,
            "aggregate_applies_per": None,
            "statutory": None,
            "autos": [],
            "limits": {"each_occurrence": 5_000_000, "aggregate": 5_000_000},
        },
    ],
    "description_of_operations": (
        "Certificate holder named as additional insured only if there is a written contract"
    ),
    "certificate_holder": {
        # "Source,Inc. 8 Three" / "Cho Rd. Suite 14": the street starts after the legal suffix.
        "name": "Source,Inc.",
        "address": "8 Three Cho Rd. Suite 14, Richmond, VA 23228",
    },
    "endorsements": [],
}

# JSON-pointer-like path -> the text as printed, where glyphs are missing on the page.
DEGRADED: dict[str, str] = {
    "/producer/email": "Ben@yourcompany com",
    "/insurers/0/name": "Property and Casua ty Insurance Co",
    "/insurers/1/name": "Nat ona Insurance Company",
    "/insurers/2/name": "Amer can Insurance Company",
    "/insurers/3/name": "F re Insurance Company",
    "/policies/4/description": "Profess ona L ab ty",
    "/policies/5/description": "3rd Party Cr me",
    "/description_of_operations": (
        "Cert f cate ho der named as add t ona nsured on y f there s a wr tten contract"
    ),
}
