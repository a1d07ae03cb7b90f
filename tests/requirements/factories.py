"""Builders of realistic certificates for tests, reusable by any suite.

`make_certificate()` is one ACORD 25 for "Acme Roofing, LLC" that meets every built-in template
on `AS_OF` (trade overrides aside): GL, auto, umbrella and WC with their endorsements, issued to
the project's holder and naming the project's additional insureds. Change one thing at a time
with `set_limit`, `set_dates`, `set_policy`, `remove_policy`, or keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from coverwatch.certificates.schemas import (
    CertificateData,
    Endorsement,
    Insurer,
    Party,
    Policy,
    PolicyType,
    Producer,
)
from coverwatch.requirements.schemas import InsurerRating, ProjectFacts, VendorFacts

AS_OF = date(2025, 6, 2)
EFFECTIVE = date(2025, 1, 1)
EXPIRATION = date(2026, 1, 1)
ALL_LINES: tuple[PolicyType, ...] = (
    "general_liability",
    "auto_liability",
    "umbrella",
    "workers_comp",
)

# Fictional insurers, so that no test states a real company's rating.
INSURERS = (
    Insurer(letter="A", name="Cascade Mutual Insurance Company", naic="10101"),
    Insurer(letter="B", name="Pioneer Indemnity Company", naic="20202"),
    Insurer(letter="C", name="Evergreen Workers Insurance Company", naic="30303"),
)
RATINGS = (
    InsurerRating(
        name="Cascade Mutual Insurance Company", naic="10101", best_rating="A", financial_size="XV"
    ),
    InsurerRating(
        name="Pioneer Indemnity Company", naic="20202", best_rating="A+", financial_size="XII"
    ),
    InsurerRating(
        name="Evergreen Workers Insurance Company",
        naic="30303",
        best_rating="A-",
        financial_size="IX",
    ),
)

DESCRIPTION = (
    "Re: Riverside Tower, Job #2417, 100 River Rd, Portland, OR. Summit Builders, Inc. and "
    "Riverside Tower Owner LLC are additional insureds for ongoing and completed operations on a "
    "primary and non-contributory basis with respect to general liability per CG 20 10 04 13, "
    "CG 20 37 04 13 and CG 20 01 04 13. Waiver of subrogation applies to general liability, auto "
    "liability and workers compensation per CG 24 04 05 09, CA 04 44 10 13 and WC 00 03 13. The "
    "general aggregate applies per project per CG 25 03 05 09. Umbrella follows form. "
    "30 days notice of cancellation, 10 days for non-payment of premium."
)
ENDORSEMENTS = (
    ("CG 20 10", "04 13"),
    ("CG 20 37", "04 13"),
    ("CG 20 01", "04 13"),
    ("CG 24 04", "05 09"),
    ("CG 25 03", "05 09"),
    ("CA 04 44", "10 13"),
    ("WC 00 03 13", "04 84"),
)
WC_DESCRIPTION = (
    "Riverside Tower, Job #2417. Waiver of subrogation applies to workers compensation in favor "
    "of the certificate holder per WC 00 03 13. 30 days notice of cancellation."
)

_POLICIES: dict[str, dict[str, Any]] = {
    "general_liability": {
        "insurer_letter": "A",
        "policy_number": "GL-4410-22",
        "additional_insured": True,
        "waiver_of_subrogation": True,
        "claims_made": False,
        "aggregate_applies_per": "project",
        "limits": {
            "each_occurrence": 2_000_000,
            "damage_to_rented_premises": 300_000,
            "medical_expense": 10_000,
            "personal_advertising_injury": 2_000_000,
            "general_aggregate": 4_000_000,
            "products_completed_operations_aggregate": 4_000_000,
        },
    },
    "auto_liability": {
        "insurer_letter": "A",
        "policy_number": "BA-4410-23",
        "additional_insured": True,
        "waiver_of_subrogation": True,
        "autos": ["any"],
        "limits": {"combined_single_limit": 1_000_000},
    },
    "umbrella": {
        "insurer_letter": "B",
        "policy_number": "UMB-0090-11",
        "additional_insured": True,
        "waiver_of_subrogation": True,
        "claims_made": False,
        "limits": {"each_occurrence": 5_000_000, "aggregate": 5_000_000, "retention": 10_000},
    },
    "workers_comp": {
        "insurer_letter": "C",
        "policy_number": "WC-7781-02",
        "waiver_of_subrogation": True,
        "statutory": True,
        "limits": {
            "el_each_accident": 1_000_000,
            "el_disease_each_employee": 1_000_000,
            "el_disease_policy_limit": 1_000_000,
        },
    },
}


def make_policy(
    policy_type: PolicyType,
    *,
    effective: date | None = EFFECTIVE,
    expiration: date | None = EXPIRATION,
    **overrides: Any,
) -> Policy:
    """A realistic policy row of a type (type "other" needs a description in overrides)."""
    fields = {**_POLICIES.get(policy_type, {"insurer_letter": "A"}), **overrides}
    return Policy.model_validate(
        {"type": policy_type, "effective_date": effective, "expiration_date": expiration, **fields}
    )


def make_certificate(
    *,
    lines: Iterable[PolicyType] = ALL_LINES,
    insured_name: str | None = "Acme Roofing, LLC",
    holder_name: str | None = "Summit Builders, Inc.",
    description: str | None = DESCRIPTION,
    endorsements: Iterable[tuple[str, str | None]] = ENDORSEMENTS,
    effective: date | None = EFFECTIVE,
    expiration: date | None = EXPIRATION,
    limits: Mapping[str, Mapping[str, int]] | None = None,
    extra_policies: Sequence[Policy] = (),
    **fields: Any,
) -> CertificateData:
    """A certificate that meets the built-in templates; keyword arguments change one thing."""
    policies = [
        make_policy(
            kind,
            effective=effective,
            expiration=expiration,
            limits={**_POLICIES[kind]["limits"], **(limits or {}).get(kind, {})},
        )
        for kind in lines
    ]
    data: dict[str, Any] = {
        "certificate_date": date(2025, 5, 20),
        "producer": Producer(
            name="Harbor Insurance Agency",
            contact_name="Dana Ruiz",
            phone="503-555-0142",
            email="certs@harbor-agency.example",
            address="12 Harbor Way, Portland, OR 97209",
        ),
        "insured": Party(name=insured_name, address="88 Industrial Ave, Portland, OR 97217"),
        "insurers": list(INSURERS),
        "policies": [*policies, *extra_policies],
        "description_of_operations": description,
        "certificate_holder": Party(
            name=holder_name, address="500 Main Street, Portland, OR 97204"
        ),
        "endorsements": [
            Endorsement(form=form, edition=edition, page=index + 2)
            for index, (form, edition) in enumerate(endorsements)
        ],
        "confidence": 0.98,
        **fields,
    }
    return CertificateData.model_validate(data)


def make_wc_certificate(**overrides: Any) -> CertificateData:
    """A separate workers' compensation certificate, as subs often send from another agent."""
    defaults: dict[str, Any] = {
        "lines": ("workers_comp",),
        "description": WC_DESCRIPTION,
        "endorsements": (("WC 00 03 13", "04 84"),),
    }
    return make_certificate(**{**defaults, **overrides})


def _policy_index(certificate: CertificateData, policy_type: PolicyType) -> int:
    for index, policy in enumerate(certificate.policies):
        if policy.type == policy_type:
            return index
    raise LookupError(f"no {policy_type} policy on this certificate")


def set_policy(
    certificate: CertificateData, policy_type: PolicyType, **changes: Any
) -> CertificateData:
    """A copy with the first policy of a type changed (any Policy field)."""
    index = _policy_index(certificate, policy_type)
    policies = list(certificate.policies)
    policies[index] = Policy.model_validate({**policies[index].model_dump(), **changes})
    return certificate.model_copy(update={"policies": policies})


def set_limit(
    certificate: CertificateData, policy_type: PolicyType, key: str, amount: int | None
) -> CertificateData:
    """A copy with one limit changed (None removes it)."""
    limits = dict(certificate.policies[_policy_index(certificate, policy_type)].limits)
    if amount is None:
        limits.pop(key, None)  # type: ignore[call-overload]
    else:
        limits[key] = amount  # type: ignore[index]
    return set_policy(certificate, policy_type, limits=limits)


def set_dates(
    certificate: CertificateData,
    policy_type: PolicyType,
    *,
    effective: date | None = None,
    expiration: date | None = None,
) -> CertificateData:
    """A copy with a policy's dates moved (a date left None is unchanged)."""
    changes: dict[str, Any] = {}
    if effective is not None:
        changes["effective_date"] = effective
    if expiration is not None:
        changes["expiration_date"] = expiration
    return set_policy(certificate, policy_type, **changes)


def remove_policy(certificate: CertificateData, policy_type: PolicyType) -> CertificateData:
    """A copy without the policies of a type."""
    policies = [p for p in certificate.policies if p.type != policy_type]
    return certificate.model_copy(update={"policies": policies})


def make_project(**overrides: Any) -> ProjectFacts:
    """The project the default certificate is written for."""
    defaults: dict[str, Any] = {
        "name": "Riverside Tower",
        "number": "2417",
        "address": "100 River Rd, Portland, OR 97201",
        "state": "OR",
        "start_date": date(2025, 3, 1),
        "end_date": date(2025, 12, 15),
        "certificate_holder": "Summit Builders, Inc.\n500 Main Street\nPortland, OR 97204",
        "additional_insureds": ["Summit Builders, Inc.", "Riverside Tower Owner LLC"],
    }
    return ProjectFacts.model_validate({**defaults, **overrides})


def make_vendor(**overrides: Any) -> VendorFacts:
    """The sub the default certificate is issued to."""
    defaults: dict[str, Any] = {"legal_name": "Acme Roofing LLC", "dba_names": ["Acme Exteriors"]}
    return VendorFacts.model_validate({**defaults, **overrides})
