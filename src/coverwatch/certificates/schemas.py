"""The parsed certificate contract (`coverwatch.certificate/1`), shared by parsing and rules."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coverwatch.errors import InvalidCertificate

SCHEMA_ID = "coverwatch.certificate/1"

PolicyType = Literal[
    "general_liability", "auto_liability", "umbrella", "excess", "workers_comp", "other"
]
LimitKey = Literal[
    "each_occurrence",
    "damage_to_rented_premises",
    "medical_expense",
    "personal_advertising_injury",
    "general_aggregate",
    "products_completed_operations_aggregate",
    "combined_single_limit",
    "bodily_injury_per_person",
    "bodily_injury_per_accident",
    "property_damage",
    "aggregate",
    "retention",
    "el_each_accident",
    "el_disease_each_employee",
    "el_disease_policy_limit",
]
AutoKind = Literal["any", "owned", "scheduled", "hired", "non_owned"]
ParseMethod = Literal["acroform", "text", "ocr", "json"]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Source(_Contract):
    sha256: str | None = None
    pages: int = 1
    method: ParseMethod = "json"


class Form(_Contract):
    type: str = "ACORD 25"
    edition: str | None = None


class Producer(_Contract):
    name: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class Party(_Contract):
    name: str | None = None
    address: str | None = None


class Insurer(_Contract):
    letter: str
    name: str
    naic: str | None = None


class Policy(_Contract):
    type: PolicyType
    description: str | None = None
    insurer_letter: str | None = None
    policy_number: str | None = None
    effective_date: date | None = None
    expiration_date: date | None = None
    additional_insured: bool | None = None
    waiver_of_subrogation: bool | None = None
    claims_made: bool | None = None
    aggregate_applies_per: Literal["policy", "project", "location"] | None = None
    # WC only: the PER STATUTE box; the contract carries it as a limit-less flag.
    statutory: bool | None = None
    autos: list[AutoKind] = Field(default_factory=list)
    limits: dict[LimitKey, int] = Field(default_factory=dict)


class Endorsement(_Contract):
    form: str = Field(examples=["CG 20 10"])
    edition: str | None = Field(default=None, examples=["04 13"])
    page: int = 1


class CertificateData(_Contract):
    """One ACORD 25 certificate as read from a file or given as JSON."""

    schema_: str = Field(default=SCHEMA_ID, alias="schema")
    source: Source = Field(default_factory=Source)
    form: Form = Field(default_factory=Form)
    certificate_date: date | None = None
    producer: Producer = Field(default_factory=Producer)
    insured: Party = Field(default_factory=Party)
    insurers: list[Insurer] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    description_of_operations: str | None = None
    certificate_holder: Party = Field(default_factory=Party)
    endorsements: list[Endorsement] = Field(default_factory=list)
    confidence: float = 1.0
    needs_review: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def insurer(self, letter: str | None) -> Insurer | None:
        """The insurer named by a policy's INSR LTR, if listed."""
        if letter is None:
            return None
        return next((i for i in self.insurers if i.letter.upper() == letter.upper()), None)


def parse_certificate_json(raw: Any) -> CertificateData:
    """A certificate from its JSON form, or InvalidCertificate saying what is wrong."""
    try:
        return CertificateData.model_validate(raw)
    except ValidationError as exc:
        raise InvalidCertificate(
            "the certificate JSON does not match coverwatch.certificate/1",
            details=exc.errors(include_url=False, include_context=False, include_input=False),
        ) from exc
