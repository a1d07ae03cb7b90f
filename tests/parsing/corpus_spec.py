"""The content of a generated certificate: what is typed into each field, and the ground truth.

Random but realistic: company names with suffixes and punctuation, one to six insurers with NAIC
codes, coverage rows present or missing, Y/N/X marks, odd date and amount formats ("1/5/2024",
"$1M", "1 000 000"), "Excluded" and "Included" limits, SIR lines, descriptions that name
endorsement forms in the ways agents write them. The truth is written from these decisions,
never from the product's parsing code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coverwatch.certificates.schemas import (
    CertificateData,
    Endorsement,
    Form,
    Insurer,
    Party,
    Policy,
    Producer,
)
from tests.parsing import corpus_data as data

EDITION = "2016/03"


@dataclass
class Spec:
    """One generated certificate: the values as typed into the fields, and the truth."""

    fields: dict[str, str]
    truth: CertificateData
    # Further OTHER policies a printed copy shows on their own lines (a form has one set).
    extra_other: list[tuple[Policy, dict[str, str]]] = field(default_factory=list)


def make_spec(seed: int) -> Spec:
    """The random certificate for a seed: field values and ground truth."""
    rng = random.Random(seed)
    f: dict[str, str] = {}
    issued = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1300))
    f["Form_CompletionDate_A"] = _date_text(issued, rng)
    producer = _producer(rng, f)
    insured_name = _company(rng, data.INSURED_PATTERNS)
    f["NamedInsured_FullName_A"] = insured_name
    insured_address = _address(rng, f, "NamedInsured_MailingAddress")
    insurers = _insurers(rng, f)
    letters = [i.letter for i in insurers]
    policies: list[Policy] = []
    if rng.random() < 0.92:
        policies.append(_general_liability(rng, f, letters, issued))
    if rng.random() < 0.75:
        policies.append(_auto(rng, f, letters, issued))
    if rng.random() < 0.55:
        policies.append(_umbrella(rng, f, letters, issued))
    if rng.random() < 0.8:
        policies.append(_workers_comp(rng, f, letters, issued))
    extra: list[tuple[Policy, dict[str, str]]] = []
    if rng.random() < 0.35:
        # Now and then a printed copy lists a second OTHER policy on the next line; then each
        # OTHER policy has one limit, on its own line.
        two = rng.random() < 0.35
        policies.append(_other(rng, f, letters, issued, short=two))
        if two:
            extra_fields: dict[str, str] = {}
            extra.append((_other(rng, extra_fields, letters, issued, short=True), extra_fields))
    if not policies:
        policies.append(_workers_comp(rng, f, letters, issued))
    holder_name = _company(rng, data.HOLDER_PATTERNS)
    f["CertificateHolder_FullName_A"] = holder_name
    holder_address = _address(rng, f, "CertificateHolder_MailingAddress")
    description, endorsements = _description(rng, holder_name)
    if description:
        f["CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A"] = description
    if rng.random() < 0.5:
        f["CertificateOfInsurance_CertificateNumberIdentifier_A"] = str(rng.randrange(10**5, 10**8))
    truth = CertificateData(
        form=Form(edition=EDITION),
        certificate_date=issued,
        producer=producer,
        insured=Party(name=insured_name, address=insured_address),
        insurers=insurers,
        policies=policies,
        description_of_operations=description or None,
        certificate_holder=Party(name=holder_name, address=holder_address),
        endorsements=endorsements,
    )
    return Spec(fields=f, truth=truth, extra_other=extra)


def _date_text(day: date, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.7:
        return day.strftime("%m/%d/%Y")
    if style < 0.9:
        return f"{day.month}/{day.day}/{day.year}"
    if style < 0.95:
        return day.strftime("%m/%d/%y")
    return day.strftime("%m-%d-%Y")


def _amount_text(amount: int, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{amount:,}"
    if style < 0.7:
        return f"${amount:,}"
    if style < 0.8:
        return str(amount)
    if style < 0.86:
        return f"{amount:,}".replace(",", " ")
    if style < 0.93 and amount % 1_000_000 == 0:
        return f"${amount // 1_000_000}M" if rng.random() < 0.6 else f"{amount // 1_000_000}MM"
    if style < 0.93 and amount % 1_000 == 0:
        return f"{amount // 1_000}K"
    return f"{amount:,}.00"


def _mark(rng: random.Random, *, yes: float = 0.55) -> tuple[str, bool | None]:
    roll = rng.random()
    if roll < yes:
        return rng.choice(["Y", "Y", "Y", "X", "y", "X"]), True
    if roll < yes + 0.2:
        return "N", False
    return "", None


def _company(rng: random.Random, patterns: list[str]) -> str:
    surname, surname2 = rng.sample(data.SURNAMES, 2)
    city = rng.choice(data.CITIES)[0]
    initials = f"{rng.choice('ABCDJMRT')}.{rng.choice('ABCDJMRT')}."
    name = rng.choice(patterns).format(
        surname=surname,
        surname2=surname2,
        place=rng.choice(data.PLACE_WORDS),
        trade=rng.choice(data.TRADES),
        suffix=rng.choice(data.LEGAL_SUFFIXES),
        initials=initials,
        short=surname[:3].upper() + " " + rng.choice(data.TRADES).split()[0],
        city=city,
    )
    return " ".join(name.replace(" ,", ",").split())


def _address(rng: random.Random, f: dict[str, str], prefix: str) -> str:
    street = f"{rng.randrange(1, 9999)} {rng.choice(data.STREET_NAMES)}"
    if rng.random() < 0.08:
        street = f"P.O. Box {rng.randrange(100, 99999)}"
    f[f"{prefix}_LineOne_A"] = street
    lines = [street]
    if rng.random() < 0.3:
        line_two = rng.choice([x for x in data.LINE_TWO if not x.startswith("PO")])
        f[f"{prefix}_LineTwo_A"] = line_two
        lines.append(line_two)
    city, state, postal = rng.choice(data.CITIES)
    if rng.random() < 0.1:
        postal = f"{postal}-{rng.randrange(1000, 9999)}"
    f[f"{prefix}_CityName_A"] = city
    f[f"{prefix}_StateOrProvinceCode_A"] = state
    f[f"{prefix}_PostalCode_A"] = postal
    return ", ".join([*lines, f"{city}, {state} {postal}"])


def _producer(rng: random.Random, f: dict[str, str]) -> Producer:
    name = _company(rng, data.AGENCY_PATTERNS)
    f["Producer_FullName_A"] = name
    address = _address(rng, f, "Producer_MailingAddress")
    first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.SURNAMES)
    contact = f"{first} {last}"
    f["Producer_ContactPerson_FullName_A"] = contact
    area, number = rng.randrange(201, 989), rng.randrange(1000, 9999)
    phone = rng.choice(
        [
            f"({area}) 555-{number}",
            f"{area}-555-{number}",
            f"{area}.555.{number}",
            f"({area}) 555-{number} x{rng.randrange(10, 999)}",
        ]
    )
    f["Producer_ContactPerson_PhoneNumber_A"] = phone
    if rng.random() < 0.5:
        f["Producer_FaxNumber_A"] = f"({area}) 555-{rng.randrange(1000, 9999)}"
    domain = "".join(ch for ch in name.split()[0].lower() if ch.isalpha()) + "ins.com"
    email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@{domain}"
    f["Producer_ContactPerson_EmailAddress_A"] = email
    return Producer(name=name, contact_name=contact, phone=phone, email=email, address=address)


def _insurers(rng: random.Random, f: dict[str, str]) -> list[Insurer]:
    names = rng.sample(data.INSURERS, rng.randint(1, 6))
    insurers = []
    for letter, name in zip("ABCDEF", names, strict=False):
        f[f"Insurer_FullName_{letter}"] = name
        naic = None
        if rng.random() < 0.85:
            naic = f"{rng.randrange(10000, 99999)}"
            f[f"Insurer_NAICCode_{letter}"] = naic
        insurers.append(Insurer(letter=letter, name=name, naic=naic))
    return insurers


def _policy_number(rng: random.Random, prefix: str) -> str:
    digits = rng.randrange(10**6, 10**8)
    return rng.choice(
        [
            f"{prefix}{digits}",
            f"{prefix}-{digits % 10**6:06d}-{rng.randrange(0, 9):02d}",
            f"{prefix} {digits}",
            f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}{digits}",
        ]
    )


def _term(rng: random.Random, issued: date) -> tuple[date, date]:
    effective = issued - timedelta(days=rng.randrange(0, 330))
    years = 1 if rng.random() < 0.92 else 3
    if (effective.month, effective.day) == (2, 29):
        effective += timedelta(days=1)
    return effective, effective.replace(year=effective.year + years)


def _row_common(
    rng: random.Random,
    f: dict[str, str],
    letters: list[str],
    issued: date,
    names: tuple[str, str, str, str, str | None, str],
    prefix: str,
) -> dict[str, Any]:
    letter_field, number_field, eff_field, exp_field, addl_field, subr_field = names
    letter = rng.choice(letters)
    f[letter_field] = letter
    number = _policy_number(rng, prefix)
    f[number_field] = number
    effective, expiration = _term(rng, issued)
    f[eff_field] = _date_text(effective, rng)
    f[exp_field] = _date_text(expiration, rng)
    addl: bool | None = None
    if addl_field:
        text, addl = _mark(rng)
        if text:
            f[addl_field] = text
    text, subr = _mark(rng, yes=0.45)
    if text:
        f[subr_field] = text
    return {
        "insurer_letter": letter,
        "policy_number": number,
        "effective_date": effective,
        "expiration_date": expiration,
        "additional_insured": addl,
        "waiver_of_subrogation": subr,
    }


def _limit(
    rng: random.Random, f: dict[str, str], name: str, limits: dict[str, int], key: str, value: Any
) -> None:
    if isinstance(value, str):  # "Excluded", "Included", "N/A": no limit
        f[name] = value
        return
    f[name] = _amount_text(value, rng)
    limits[key] = value


def _general_liability(
    rng: random.Random, f: dict[str, str], letters: list[str], issued: date
) -> Policy:
    common = _row_common(
        rng,
        f,
        letters,
        issued,
        (
            "GeneralLiability_InsurerLetterCode_A",
            "Policy_GeneralLiability_PolicyNumberIdentifier_A",
            "Policy_GeneralLiability_EffectiveDate_A",
            "Policy_GeneralLiability_ExpirationDate_A",
            "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A",
            "Policy_GeneralLiability_SubrogationWaivedCode_A",
        ),
        rng.choice(["GL", "CGL", "CPP", "TB"]),
    )
    f["GeneralLiability_CoverageIndicator_A"] = "/1"
    claims_made: bool | None = rng.random() < 0.15
    f[
        "GeneralLiability_ClaimsMadeIndicator_A"
        if claims_made
        else "GeneralLiability_OccurrenceIndicator_A"
    ] = "/1"
    if rng.random() < 0.05:
        claims_made = None
        f.pop("GeneralLiability_ClaimsMadeIndicator_A", None)
        f.pop("GeneralLiability_OccurrenceIndicator_A", None)
    per = rng.choices(["policy", "project", "location", None], [0.55, 0.3, 0.1, 0.05])[0]
    if per:
        box = {"policy": "Policy", "project": "Project", "location": "Location"}[per]
        f[f"GeneralLiability_GeneralAggregate_LimitAppliesPer{box}Indicator_A"] = "/1"
    if rng.random() < 0.15:
        f["GeneralLiability_OtherCoverageIndicator_A"] = "/1"
        f["GeneralLiability_OtherCoverageDescription_A"] = rng.choice(
            ["Contractual Liab", "XCU Included", "Stop Gap", "Host Liquor"]
        )
    limits: dict[str, int] = {}
    occurrence = rng.choice([1_000_000, 1_000_000, 2_000_000])
    prefix = "GeneralLiability_"
    _limit(rng, f, f"{prefix}EachOccurrence_LimitAmount_A", limits, "each_occurrence", occurrence)
    _limit(
        rng,
        f,
        f"{prefix}FireDamageRentedPremises_EachOccurrenceLimitAmount_A",
        limits,
        "damage_to_rented_premises",
        rng.choice([100_000, 300_000, 50_000, 500_000, 1_000_000, "Excluded"]),
    )
    _limit(
        rng,
        f,
        f"{prefix}MedicalExpense_EachPersonLimitAmount_A",
        limits,
        "medical_expense",
        rng.choice([5_000, 10_000, 15_000, 5_000, "Excluded"]),
    )
    _limit(
        rng,
        f,
        f"{prefix}PersonalAndAdvertisingInjury_LimitAmount_A",
        limits,
        "personal_advertising_injury",
        occurrence,
    )
    aggregate = rng.choice([2 * occurrence, 2 * occurrence, 4_000_000])
    _limit(
        rng, f, f"{prefix}GeneralAggregate_LimitAmount_A", limits, "general_aggregate", aggregate
    )
    _limit(
        rng,
        f,
        f"{prefix}ProductsAndCompletedOperations_AggregateLimitAmount_A",
        limits,
        "products_completed_operations_aggregate",
        rng.choice([aggregate, aggregate, "Included"]),
    )
    extra = rng.random()
    if extra < 0.08:
        f[f"{prefix}OtherCoverageLimitDescription_A"] = rng.choice(
            ["SIR", "Self-Insured Retention"]
        )
        retention = rng.choice([10_000, 25_000, 50_000])
        _limit(rng, f, f"{prefix}OtherCoverageLimitAmount_A", limits, "retention", retention)
    elif extra < 0.14:
        f[f"{prefix}OtherCoverageLimitDescription_A"] = "Employee Benefits"
        f[f"{prefix}OtherCoverageLimitAmount_A"] = _amount_text(1_000_000, rng)
    return Policy(
        type="general_liability",
        claims_made=claims_made,
        aggregate_applies_per=per,
        limits=limits,
        **common,
    )


_AUTO_FIELDS = {
    "any": "Vehicle_AnyAutoIndicator_A",
    "owned": "Vehicle_AllOwnedAutosIndicator_A",
    "scheduled": "Vehicle_ScheduledAutosIndicator_A",
    "hired": "Vehicle_HiredAutosIndicator_A",
    "non_owned": "Vehicle_NonOwnedAutosIndicator_A",
}


def _auto(rng: random.Random, f: dict[str, str], letters: list[str], issued: date) -> Policy:
    common = _row_common(
        rng,
        f,
        letters,
        issued,
        (
            "Vehicle_InsurerLetterCode_A",
            "Policy_AutomobileLiability_PolicyNumberIdentifier_A",
            "Policy_AutomobileLiability_EffectiveDate_A",
            "Policy_AutomobileLiability_ExpirationDate_A",
            "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A",
            "Policy_AutomobileLiability_SubrogationWaivedCode_A",
        ),
        rng.choice(["BA", "CA", "AUTO"]),
    )
    autos = rng.choice(
        [
            ["any"],
            ["any"],
            ["owned", "hired", "non_owned"],
            ["scheduled", "hired", "non_owned"],
            ["hired", "non_owned"],
        ]
    )
    for kind in autos:
        f[_AUTO_FIELDS[kind]] = "/1"
    limits: dict[str, int] = {}
    if rng.random() < 0.82:
        _limit(
            rng,
            f,
            "Vehicle_CombinedSingleLimit_EachAccidentAmount_A",
            limits,
            "combined_single_limit",
            rng.choice([1_000_000, 1_000_000, 2_000_000, 500_000]),
        )
        if rng.random() < 0.2:
            f["Vehicle_BodilyInjury_PerPersonLimitAmount_A"] = "N/A"
    else:
        _limit(
            rng,
            f,
            "Vehicle_BodilyInjury_PerPersonLimitAmount_A",
            limits,
            "bodily_injury_per_person",
            500_000,
        )
        _limit(
            rng,
            f,
            "Vehicle_BodilyInjury_PerAccidentLimitAmount_A",
            limits,
            "bodily_injury_per_accident",
            1_000_000,
        )
        _limit(
            rng,
            f,
            "Vehicle_PropertyDamage_PerAccidentLimitAmount_A",
            limits,
            "property_damage",
            rng.choice([100_000, 250_000]),
        )
    return Policy(type="auto_liability", autos=autos, limits=limits, **common)


def _umbrella(rng: random.Random, f: dict[str, str], letters: list[str], issued: date) -> Policy:
    common = _row_common(
        rng,
        f,
        letters,
        issued,
        (
            "ExcessUmbrella_InsurerLetterCode_A",
            "Policy_ExcessLiability_PolicyNumberIdentifier_A",
            "Policy_ExcessLiability_EffectiveDate_A",
            "Policy_ExcessLiability_ExpirationDate_A",
            "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A",
            "Policy_ExcessLiability_SubrogationWaivedCode_A",
        ),
        rng.choice(["UMB", "XS", "CUP"]),
    )
    kind = "umbrella" if rng.random() < 0.7 else "excess"
    f[
        "Policy_PolicyType_UmbrellaIndicator_A"
        if kind == "umbrella"
        else "Policy_PolicyType_ExcessIndicator_A"
    ] = "/1"
    roll = rng.random()
    claims_made: bool | None = None
    if roll < 0.8:
        claims_made = False
        f["ExcessUmbrella_OccurrenceIndicator_A"] = "/1"
    elif roll < 0.9:
        claims_made = True
        f["ExcessUmbrella_ClaimsMadeIndicator_A"] = "/1"
    limits: dict[str, int] = {}
    amount = rng.choice([1_000_000, 2_000_000, 3_000_000, 5_000_000, 5_000_000, 10_000_000])
    _limit(
        rng, f, "ExcessUmbrella_Umbrella_EachOccurrenceAmount_A", limits, "each_occurrence", amount
    )
    _limit(rng, f, "ExcessUmbrella_Umbrella_AggregateAmount_A", limits, "aggregate", amount)
    roll = rng.random()
    if roll < 0.45:
        f["ExcessUmbrella_RetentionIndicator_A"] = "/1"
        retention = rng.choice([10_000, 10_000, 25_000])
        _limit(
            rng,
            f,
            "ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A",
            limits,
            "retention",
            retention,
        )
    elif roll < 0.55:
        f["ExcessUmbrella_DeductibleIndicator_A"] = "/1"
        f["ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A"] = _amount_text(5_000, rng)
    return Policy(type=kind, claims_made=claims_made, limits=limits, **common)


def _workers_comp(
    rng: random.Random, f: dict[str, str], letters: list[str], issued: date
) -> Policy:
    common = _row_common(
        rng,
        f,
        letters,
        issued,
        (
            "WorkersCompensationEmployersLiability_InsurerLetterCode_A",
            "Policy_WorkersCompensationAndEmployersLiability_PolicyNumberIdentifier_A",
            "Policy_WorkersCompensationAndEmployersLiability_EffectiveDate_A",
            "Policy_WorkersCompensationAndEmployersLiability_ExpirationDate_A",
            None,
            "Policy_WorkersCompensation_SubrogationWaivedCode_A",
        ),
        rng.choice(["WC", "WCV", "WKC"]),
    )
    roll = rng.random()
    statutory: bool | None = None
    prefix = "WorkersCompensationEmployersLiability_"
    if roll < 0.85:
        statutory = True
        f[f"{prefix}WorkersCompensationStatutoryLimitIndicator_A"] = "/1"
    elif roll < 0.9:
        statutory = False
        f[f"{prefix}OtherCoverageIndicator_A"] = "/1"
        f[f"{prefix}OtherCoverageDescription_A"] = "Stop Gap"
    excluded = rng.choice(["N", "N", "N", "Y", ""])
    if excluded:
        f[f"{prefix}AnyPersonsExcludedIndicator_A"] = excluded
    limits: dict[str, int] = {}
    each = rng.choice([500_000, 1_000_000, 1_000_000, 100_000])
    employers = f"{prefix}EmployersLiability_"
    _limit(rng, f, f"{employers}EachAccidentLimitAmount_A", limits, "el_each_accident", each)
    _limit(
        rng,
        f,
        f"{employers}DiseaseEachEmployeeLimitAmount_A",
        limits,
        "el_disease_each_employee",
        each,
    )
    _limit(
        rng,
        f,
        f"{employers}DiseasePolicyLimitAmount_A",
        limits,
        "el_disease_policy_limit",
        rng.choice([each, 500_000 if each == 100_000 else each]),
    )
    return Policy(type="workers_comp", statutory=statutory, limits=limits, **common)


def _other(
    rng: random.Random, f: dict[str, str], letters: list[str], issued: date, *, short: bool = False
) -> Policy:
    common = _row_common(
        rng,
        f,
        letters,
        issued,
        (
            "OtherPolicy_InsurerLetterCode_A",
            "OtherPolicy_PolicyNumberIdentifier_A",
            "OtherPolicy_PolicyEffectiveDate_A",
            "OtherPolicy_PolicyExpirationDate_A",
            "CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A",
            "OtherPolicy_SubrogationWaivedCode_A",
        ),
        rng.choice(["PL", "CPL", "IM", "BR"]),
    )
    description = rng.choice(data.OTHER_COVERAGES)
    f["OtherPolicy_OtherPolicyDescription_A"] = description
    limits: dict[str, int] = {}
    amount = rng.choice([500_000, 1_000_000, 2_000_000])
    pairs: list[tuple[str, str | None, Any]] = rng.choice(
        [
            [("EACH CLAIM", "each_occurrence", amount), ("AGGREGATE", "aggregate", 2 * amount)],
            [("PER OCC", "each_occurrence", amount), ("AGG", "aggregate", 2 * amount)],
            [("LIMIT", "each_occurrence", amount)],
            [("LIMIT", "each_occurrence", amount), ("DEDUCTIBLE", None, 5_000)],
            [("EACH OCCURRENCE", "each_occurrence", amount), ("SIR", "retention", 25_000)],
        ]
    )
    if short:
        pairs = pairs[:1]
    for letter, (label, key, value) in zip("ABC", pairs, strict=False):
        f[f"OtherPolicy_CoverageCode_{letter}"] = label
        if key is None:
            f[f"OtherPolicy_CoverageLimitAmount_{letter}"] = _amount_text(value, rng)
        else:
            _limit(rng, f, f"OtherPolicy_CoverageLimitAmount_{letter}", limits, key, value)
    return Policy(type="other", description=description, limits=limits, **common)


# How descriptions name endorsement forms: (form, edition) and the ways agents write them.
FORMS = [
    ("CG 20 10", "04 13", "additional insured"),
    ("CG 20 37", "04 13", "additional insured - completed operations"),
    ("CG 20 26", "04 13", "additional insured"),
    ("CG 20 01", "04 13", "primary and non-contributory"),
    ("CG 24 04", "05 09", "waiver of subrogation"),
    ("CG 25 03", "05 09", "per project aggregate"),
    ("CA 20 48", "10 13", "designated insured - auto"),
    ("CA 04 44", "10 13", "auto waiver of subrogation"),
    ("WC 00 03 13", "04 84", "workers compensation waiver of subrogation"),
]


def _form_text(form: str, edition: str, rng: random.Random) -> tuple[str, str | None]:
    style = rng.random()
    if style < 0.35:
        return f"{form} {edition}", edition
    if style < 0.6:
        return form, None
    if style < 0.75:
        return form.replace(" ", ""), None
    if style < 0.9:
        return f"{form} ({edition.replace(' ', '/')})", edition
    return f"{form.replace(' ', '')} {edition.replace(' ', '')}", edition


def _description(rng: random.Random, holder: str) -> tuple[str, list[Endorsement]]:
    if rng.random() < 0.12:
        return "", []
    project = rng.choice(data.PROJECTS).format(
        place=rng.choice(data.PLACE_WORDS), number=rng.randrange(1000, 99999)
    )
    sentences = [f"RE: {project}."]
    endorsements: list[Endorsement] = []
    for form, edition, meaning in rng.sample(FORMS, rng.randint(0, 4)):
        written, shown = _form_text(form, edition, rng)
        sentences.append(f"{holder} is {meaning} per form {written}.")
        endorsements.append(Endorsement(form=form, edition=shown, page=1))
    if rng.random() < 0.3:
        sentences.append("30 days notice of cancellation applies, 10 days for non-payment.")
    separator = "\n" if rng.random() < 0.3 else " "
    return separator.join(sentences), endorsements
