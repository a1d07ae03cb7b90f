"""Sample data for `coverwatch demo`: one GC, three projects, vendors in every status.

All names, numbers and insurers here are invented.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from coverwatch import clock
from coverwatch.certificates import service as certificates
from coverwatch.certificates.schemas import CertificateData
from coverwatch.compliance import service as compliance
from coverwatch.db import session_scope
from coverwatch.errors import Unauthorized
from coverwatch.orgs import service as orgs
from coverwatch.orgs.models import ApiKey, Organization, User
from coverwatch.projects import service as projects
from coverwatch.projects.schemas import ProjectIn
from coverwatch.requirements import service as requirements
from coverwatch.requirements.schemas import InsurerRating
from coverwatch.vendors import service as vendors
from coverwatch.vendors.schemas import ContactIn, VendorIn

ORG_SLUG = "summit-builders"
DEMO_KEY_NAME = "demo"
HOLDER = "Summit Builders, Inc."
ACTOR = "system:demo"
# Printed at start so that anyone trying the demo can sign in to the panel; demo data only.
DEMO_PASSWORD = "coverwatch-demo"
USERS = {
    "admin": "admin@summit-builders.example",
    "risk_manager": "risk@summit-builders.example",
    "project_manager": "pm@summit-builders.example",
    "viewer": "viewer@summit-builders.example",
}
# Subs that exist in the Procore sandbox but are on no project yet (name, trade).
SANDBOX_SUBS = [
    ("Ironclad Framing, Inc.", "framing"),
    ("Blue Heron Glass & Glazing LLC", "glazing"),
    ("Summit Peak Mechanical Corp.", "hvac"),
]
INSURERS = [
    ("Granite State Casualty Co", "23841", "A+", "XV"),
    ("Harborline Mutual Insurance Company", "19402", "A", "XII"),
    ("Keystone Indemnity Co", "30117", "A-", "VIII"),
    ("Ridgeway Specialty Insurance Co", "44550", "B+", "VI"),
]


def sample_certificate(
    *,
    insured: str,
    today: date,
    gl_occurrence: int = 2_000_000,
    umbrella: int | None = 5_000_000,
    expires_in_days: int = 240,
    insurer: int = 0,
    wc: bool = True,
    needs_review: list[str] | None = None,
    project_name: str = "",
) -> CertificateData:
    """A realistic ACORD 25 certificate in the contract's shape."""
    effective = today + timedelta(days=expires_in_days) - timedelta(days=365)
    expires = today + timedelta(days=expires_in_days)
    name, naic, _rating, _size = INSURERS[insurer]
    dates = {"effective_date": effective.isoformat(), "expiration_date": expires.isoformat()}
    policies: list[dict[str, Any]] = [
        {
            "type": "general_liability",
            "insurer_letter": "A",
            "policy_number": f"GL-{abs(hash(insured)) % 10**7:07d}",
            "additional_insured": True,
            "waiver_of_subrogation": True,
            "claims_made": False,
            "aggregate_applies_per": "project",
            **dates,
            "limits": {
                "each_occurrence": gl_occurrence,
                "damage_to_rented_premises": 300_000,
                "medical_expense": 10_000,
                "personal_advertising_injury": 2_000_000,
                "general_aggregate": 2 * gl_occurrence,
                "products_completed_operations_aggregate": 2 * gl_occurrence,
            },
        },
        {
            "type": "auto_liability",
            "insurer_letter": "A",
            "policy_number": "BA-5520114",
            "additional_insured": True,
            "waiver_of_subrogation": True,
            "autos": ["any"],
            **dates,
            "limits": {"combined_single_limit": 1_000_000},
        },
    ]
    if umbrella:
        policies.append(
            {
                "type": "umbrella",
                "insurer_letter": "A",
                "policy_number": "UMB-771203",
                "claims_made": False,
                "waiver_of_subrogation": True,
                **dates,
                "limits": {"each_occurrence": umbrella, "aggregate": umbrella, "retention": 10_000},
            }
        )
    if wc:
        policies.append(
            {
                "type": "workers_comp",
                "insurer_letter": "B",
                "policy_number": "WC-3390021",
                "statutory": True,
                "waiver_of_subrogation": True,
                **dates,
                "limits": {
                    "el_each_accident": 1_000_000,
                    "el_disease_each_employee": 1_000_000,
                    "el_disease_policy_limit": 1_000_000,
                },
            }
        )
    second = INSURERS[1]
    return CertificateData.model_validate(
        {
            "certificate_date": (today - timedelta(days=3)).isoformat(),
            "producer": {
                "name": "Bayside Insurance Services",
                "contact_name": "Pat Okafor",
                "email": "certs@bayside-ins.example",
                "phone": "510-555-0100",
            },
            "insured": {"name": insured, "address": "12 Mill St, Oakland, CA 94607"},
            "insurers": [
                {"letter": "A", "name": name, "naic": naic},
                {"letter": "B", "name": second[0], "naic": second[1]},
            ],
            "policies": policies,
            "description_of_operations": (
                f"Re: {project_name}. {HOLDER} and the owner are additional insureds on a "
                "primary and non-contributory basis per CG 20 10 04 13 and CG 20 37 04 13, "
                "CG 20 01 04 13. "
                "Waiver of subrogation applies to GL (CG 24 04), auto (CA 04 44) and workers' "
                "compensation (WC 00 03 13). Per project aggregate per CG 25 03. 30 days notice of "
                "cancellation to the certificate holder."
            ),
            "certificate_holder": {"name": HOLDER, "address": "1 Main St, Oakland, CA 94607"},
            "endorsements": [
                {"form": f, "edition": "04 13", "page": 2}
                for f in ("CG 20 10", "CG 20 37", "CG 20 01", "CG 24 04", "CG 25 03")
            ],
            "confidence": 0.74 if needs_review else 0.99,
            "needs_review": needs_review or [],
        }
    )


def seed(*, state: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create the sample organization once; its API keys stay those of `state` while valid."""
    today = clock.today()
    with session_scope() as session:
        org = session.scalar(select(Organization).where(Organization.slug == ORG_SLUG))
        if org is None:
            org = orgs.create_organization(session, name=HOLDER, slug=ORG_SLUG)
            for role, email in USERS.items():
                orgs.create_user(
                    session,
                    org_id=org.id,
                    email=email,
                    role=role,
                    name=role.replace("_", " ").title(),
                    password=DEMO_PASSWORD,
                )
            for name, naic, rating, size in INSURERS:
                requirements.upsert_rating(
                    session,
                    org_id=org.id,
                    actor=ACTOR,
                    rating=InsurerRating(
                        name=name, naic=naic, best_rating=rating, financial_size=size
                    ),
                )
            _seed_projects(session, org_id=org.id, today=today)
        keys = _stable_keys(session, org=org, saved=(state or {}).get("keys", {}))
        return {"org": org.slug, "keys": keys, "users": USERS, "password": DEMO_PASSWORD}


def _stable_keys(session: Any, *, org: Organization, saved: dict[str, str]) -> dict[str, str]:
    """The demo's API keys: those kept from the last run while they work, else new ones.

    Any other demo key is revoked, so a key printed once and lost does not stay valid.
    """
    keys = {}
    for role, email in USERS.items():
        user = session.scalar(select(User).where(User.org_id == org.id, User.email == email))
        assert user is not None
        token = saved.get(role)
        try:
            if not token or orgs.authenticate(session, token=token).user_id != user.id:
                raise Unauthorized("not this user's key")
        except Unauthorized:
            token = orgs.create_api_key(session, user=user, name=DEMO_KEY_NAME)[1]
        keys[role] = token
    kept = {token.split("_", 2)[1] for token in keys.values()}
    for key in session.scalars(
        select(ApiKey).where(
            ApiKey.org_id == org.id, ApiKey.name == DEMO_KEY_NAME, ApiKey.revoked_at.is_(None)
        )
    ):
        if key.prefix not in kept:
            orgs.revoke_api_key(session, org_id=org.id, key_id=key.id)
    return keys


def _seed_projects(session: Any, *, org_id: int, today: date) -> None:
    plans = [
        ("Bayfront Medical Office TI", "TI-2611", "tenant-improvement", 20, 160),
        ("Harbor View Tower", "GU-2604", "ground-up", 90, 700),
        ("Federal Courthouse Annex Repairs", "FED-2702", "federal-far-28-307-2", 30, 200),
    ]
    made = []
    for name, number, template, started_ago, lasts in plans:
        made.append(
            projects.create_project(
                session,
                org_id=org_id,
                actor=ACTOR,
                data=ProjectIn(
                    name=name,
                    number=number,
                    template=template,
                    state="CA",
                    address="400 Harbor Blvd, Oakland, CA 94607",
                    start_date=today - timedelta(days=started_ago),
                    end_date=today - timedelta(days=started_ago) + timedelta(days=lasts),
                    certificate_holder=HOLDER,
                    additional_insureds=[HOLDER],
                    manager_email=USERS["project_manager"],
                ),
            )
        )
    # (vendor, trade, certificate options or None for "nothing on file yet")
    cast: list[tuple[str, str, dict[str, Any] | None]] = [
        ("Acme Roofing, LLC", "roofing", {}),
        ("Bright Line Electric Inc.", "electrical", {"gl_occurrence": 500_000, "umbrella": None}),
        ("Cascade Plumbing & Mechanical Co.", "plumbing", {"expires_in_days": 20}),
        ("Delta Drywall Corp.", "drywall", {"expires_in_days": -12}),
        (
            "Evergreen Landscaping LLC",
            "landscaping",
            {"needs_review": ["/policies/0/limits/each_occurrence"]},
        ),
        ("Foundry Steel Erectors, Inc.", "structural steel", None),
        ("Granite Concrete Works", "concrete", {"wc": False, "insurer": 3}),
    ]
    for index, (legal_name, trade, options) in enumerate(cast):
        slug = legal_name.split()[0].lower()
        vendor = vendors.create_vendor(
            session,
            org_id=org_id,
            actor=ACTOR,
            data=VendorIn(
                legal_name=legal_name,
                contacts=[
                    ContactIn(role="office", name="Office", email=f"office@{slug}.example"),
                    ContactIn(
                        role="insurance_agent", name="Pat Okafor", email="certs@bayside-ins.example"
                    ),
                ],
            ),
        )
        project = made[index % len(made)] if index < 6 else made[1]
        if options is not None:
            certificates.add_certificate(
                session,
                vendor=vendor,
                actor=ACTOR,
                source="demo",
                data=sample_certificate(
                    insured=legal_name.upper(), today=today, project_name=project.name, **options
                ),
            )
        for target in {project.id: project, made[1].id: made[1]}.values():
            project_vendor = vendors.assign(
                session, project=target, vendor=vendor, actor=ACTOR, trade=trade
            )
            compliance.evaluate_project_vendor(
                session, project_vendor=project_vendor, trigger="demo"
            )


# The local Procore sandbox of the demo: fixed ids, so that a second run maps to the same rows.
def write_sample_certificates(*, folder: Path) -> dict[str, Path]:
    """PDFs to try the portal with: the first Procore sub, short of GL, then corrected."""
    from coverwatch.demo.certificates import demo_pairs

    name, _trade = SANDBOX_SUBS[0]
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for filename, content in demo_pairs(
        insured=name, holder=HOLDER, today=clock.today(), project="Harbor View Tower"
    ).items():
        path = folder / filename
        path.write_bytes(content)
        written[filename] = path
    return written
