"""The two certificates a newcomer uploads in the demo's vendor portal: short, then corrected.

`demo_pairs` gives a certificate short of the limits and its correction, drawn by `drawing`.
All names and numbers are invented.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import Any

from coverwatch.certificates.schemas import CertificateData
from coverwatch.demo.drawing import certificate_pdf
from coverwatch.requirements import names


def demo_pairs(
    *, insured: str, holder: str, today: date, project: str = "Harbor View Tower"
) -> dict[str, bytes]:
    """Two certificates of one vendor: GL at $500,000 without umbrella, then the corrected one."""
    slug = names.slug(insured) or "vendor"
    short = _demo_certificate(insured, holder, today - timedelta(days=21), project, fixed=False)
    fixed = _demo_certificate(insured, holder, today, project, fixed=True)
    return {
        f"{slug}-gl-500k.pdf": certificate_pdf(short),
        f"{slug}-corrected.pdf": certificate_pdf(fixed),
    }


# The demo seeds ratings for these (invented) insurers, so its certificates can meet a template.
_INSURERS = (
    {"letter": "A", "name": "Granite State Casualty Co", "naic": "23841"},
    {"letter": "B", "name": "Harborline Mutual Insurance Company", "naic": "19402"},
    {"letter": "C", "name": "Keystone Indemnity Co", "naic": "30117"},
)
_EL_LIMITS = ("el_each_accident", "el_disease_each_employee", "el_disease_policy_limit")


def _demo_certificate(
    insured: str, holder: str, issued: date, project: str, *, fixed: bool
) -> CertificateData:
    serial = zlib.crc32(insured.encode()) % 10**6
    start = issued - timedelta(days=45)
    common = {"effective_date": start, "expiration_date": start + timedelta(days=365)}
    occurrence, aggregate = (2_000_000, 4_000_000) if fixed else (500_000, 1_000_000)
    marked = {**common, "additional_insured": True, "waiver_of_subrogation": True}
    gl_limits = {"each_occurrence": occurrence, "damage_to_rented_premises": 300_000}
    gl_limits |= {"medical_expense": 10_000, "personal_advertising_injury": occurrence}
    gl_limits |= {"general_aggregate": aggregate}
    gl_limits |= {"products_completed_operations_aggregate": aggregate}
    policies: list[dict[str, Any]] = [
        {"type": "general_liability", "insurer_letter": "A", "policy_number": f"CGL{serial:06d}"},
        {"type": "auto_liability", "insurer_letter": "A", "policy_number": f"BA{serial:06d}"},
        {"type": "workers_comp", "insurer_letter": "C", "policy_number": f"WC{serial:06d}"},
    ]
    policies[0] |= {**marked, "claims_made": False, "limits": gl_limits}
    policies[0]["aggregate_applies_per"] = "project" if fixed else "policy"
    policies[1] |= {**marked, "autos": ["any"], "limits": {"combined_single_limit": 1_000_000}}
    policies[2] |= {**common, "waiver_of_subrogation": True, "statutory": True}
    policies[2]["limits"] = dict.fromkeys(_EL_LIMITS, 1_000_000)
    if fixed:
        umbrella = {"each_occurrence": 10_000_000, "aggregate": 10_000_000, "retention": 10_000}
        policies.insert(2, {"type": "umbrella", "insurer_letter": "B", **marked})
        policies[2] |= {"policy_number": f"UMB{serial:06d}", "claims_made": False}
        policies[2]["limits"] = umbrella
    producer = {"name": "Bayside Insurance Services", "contact_name": "Pat Okafor"}
    producer |= {"phone": "510-555-0100", "email": "certs@bayside-ins.example"}
    producer["address"] = "2200 Harbor Bay Pkwy, Alameda, CA 94502"
    return CertificateData.model_validate(
        {
            "certificate_date": issued,
            "producer": producer,
            "insured": {"name": insured, "address": "12 Mill St, Oakland, CA 94607"},
            "insurers": _INSURERS,
            "policies": policies,
            "description_of_operations": _description(holder, project, fixed=fixed),
            "certificate_holder": {"name": holder, "address": "1 Main St, Oakland, CA 94607"},
        }
    )


def _description(holder: str, project: str, *, fixed: bool) -> str:
    if not fixed:
        return (
            f"Re: {project}. The certificate holder, {holder}, is an additional insured with "
            "respect to general liability per CG 20 10 04 13. 30 days notice of cancellation."
        )
    return (
        f"Re: {project}. The certificate holder, {holder}, and the project owner are additional "
        "insureds for ongoing and completed operations on a primary and non-contributory basis "
        "with respect to general liability per CG 20 10 04 13, CG 20 37 04 13 and CG 20 01 04 13, "
        "and with respect to auto liability per CA 20 48. Waiver of subrogation applies to "
        "general liability, auto liability and workers compensation per CG 24 04 05 09, "
        "CA 04 44 10 13 and WC 00 03 13. The general aggregate applies per project per "
        "CG 25 03 05 09. The umbrella follows form. "
        "30 days notice of cancellation, 10 days for non-payment of premium."
    )
