"""From what a reader saw to the contract: values normalised, each with a confidence.

Every field gets a confidence: the reader's (how sure the text belongs to the field) times the
normaliser's (how sure the text means the value). A field below `REVIEW_THRESHOLD` is listed in
`needs_review` by its path (`/policies/0/limits/each_occurrence`); a value we cannot read is null
and listed, never guessed.
"""

from __future__ import annotations

import re
from datetime import date

from coverwatch.certificates.schemas import (
    CertificateData,
    Form,
    Insurer,
    Party,
    Policy,
    Producer,
    Source,
)
from coverwatch.parsing.parties import city_line, join_address, split_block
from coverwatch.parsing.policies import read_policy
from coverwatch.parsing.readings import CertificateReading, Reading
from coverwatch.parsing.review import Review
from coverwatch.parsing.values import Parsed, clean_text, parse_date, parse_email, parse_naic

INSURER_LETTERS = "ABCDEF"


def assemble(reading: CertificateReading, *, source: Source | None = None) -> CertificateData:
    """The contract for one certificate reading."""
    review = Review()
    warnings = list(reading.warnings)
    values = reading.values
    insurers = _insurers(values, review, warnings)
    known = frozenset(insurer.letter for insurer in insurers)
    policies: list[Policy] = []
    for row in reading.rows:
        policy = read_policy(
            row, index=len(policies), known=known, review=review, warnings=warnings
        )
        if policy is not None:
            policies.append(policy)
    for path in reading.doubts:
        review.doubt(path)
    certificate = CertificateData(
        source=source or Source(method=reading.method),
        form=Form(edition=reading.edition),
        certificate_date=_date(values.get("date"), "/certificate_date", review),
        producer=_producer(values, review),
        insured=_party(values, "insured", "/insured", review),
        insurers=insurers,
        policies=policies,
        description_of_operations=_text(values.get("description")),
        certificate_holder=_party(values, "holder", "/certificate_holder", review),
        warnings=warnings,
    )
    _note_text(values.get("description"), "/description_of_operations", review)
    email = certificate.producer.email
    if reading.method == "ocr" and email and email[:1].isupper():
        # Tesseract often capitalises an address's first letter, and both OCR passes then
        # agree on it; a written address rarely starts with a capital, so a person checks.
        review.note(
            "/producer/email", 0.6, reason="read with a leading capital, which OCR often adds"
        )
    certificate.needs_review = review.paths
    certificate.warnings = [*certificate.warnings, *review.explanations()]
    certificate.confidence = round(review.lowest, 3)
    return certificate


# ---------------------------------------------------------------- header


def _text(reading: Reading | None) -> str | None:
    return clean_text(reading.text) if reading else None


def _note_text(reading: Reading | None, path: str, review: Review) -> None:
    if reading is not None and clean_text(reading.text):
        review.note(path, reading.confidence)


def _date(reading: Reading | None, path: str, review: Review) -> date | None:
    if reading is None:
        return None
    parsed = parse_date(reading.text)
    review.note(path, reading.confidence * parsed.confidence)
    return parsed.value


def _one_line(reading: Reading | None, path: str, review: Review) -> str | None:
    text = clean_text(reading.text) if reading else None
    if reading is not None and text:
        review.note(path, reading.confidence)
        return " ".join(text.split())
    return None


def _producer(values: dict[str, Reading], review: Review) -> Producer:
    party = _party(values, "producer", "/producer", review)
    email = values.get("producer_email")
    parsed_email: Parsed[str] = parse_email(email.text) if email else Parsed(None)
    if email is not None and parsed_email.value:
        review.note("/producer/email", email.confidence * parsed_email.confidence)
    return Producer(
        name=party.name,
        address=party.address,
        contact_name=_one_line(values.get("producer_contact"), "/producer/contact_name", review),
        phone=_one_line(values.get("producer_phone"), "/producer/phone", review),
        email=parsed_email.value,
    )


def _party(values: dict[str, Reading], prefix: str, path: str, review: Review) -> Party:
    block = values.get(f"{prefix}_block")
    if block is not None:
        lines = (clean_text(block.text) or "").split("\n")
        name, address, split_confidence = split_block(lines)
        if name:
            review.note(f"{path}/name", block.confidence * split_confidence)
        if address:
            review.note(f"{path}/address", block.confidence * split_confidence)
        return Party(name=name, address=address)
    name = _one_line(values.get(f"{prefix}_name"), f"{path}/name", review)
    parts = [values.get(f"{prefix}_{part}") for part in ("line1", "line2", "city", "state", "zip")]
    texts = [clean_text(part.text) if part else None for part in parts]
    address = join_address(
        [texts[0], texts[1], city_line(texts[2], state=texts[3], postal=texts[4])]
    )
    if address:
        review.note(f"{path}/address", min(part.confidence for part in parts if part))
    return Party(name=name, address=address)


def _insurer_name(text: str, letter: str) -> str | None:
    """The name on an insurer row, without the row's own label that some prints repeat."""
    name = clean_text(text) or ""
    # "INSURER B : Name" or "B : Name" printed by the agency over the form's own label; a row
    # left empty then holds only "B", "C:" or "INSURER D :", which names no insurer.
    # A scan may read the label's colon before its letter (":A Name").
    label = rf"^(?:INSURER\s*{letter}\b\s*:?|{letter}\s*:|:\s*{letter}\b)\s*"
    name = re.sub(label, "", name, flags=re.I)
    # A stray mark before the name (a colon left of the label, a speck read as "©") is no part
    # of it: a carrier's name starts with a letter, a digit or a bracket.
    name = re.sub(r"^[^\w(]+", "", name).strip()
    if not re.search(r"[A-Za-z]{2}", name):
        return None
    return name


def _insurers(values: dict[str, Reading], review: Review, warnings: list[str]) -> list[Insurer]:
    insurers: list[Insurer] = []
    for letter in INSURER_LETTERS:
        name_reading = values.get(f"insurer_name_{letter}")
        naic_reading = values.get(f"insurer_naic_{letter}")
        name = _insurer_name(name_reading.text, letter) if name_reading else None
        naic = parse_naic(naic_reading.text) if naic_reading else Parsed[str](None)
        if not name:
            if naic.value:
                warnings.append(f"insurer {letter} has an NAIC code ({naic.value}) but no name")
            continue
        path = f"/insurers/{len(insurers)}"
        assert name_reading is not None
        review.note(f"{path}/name", name_reading.confidence)
        # The letter is known only as well as the row was placed: a scan that registers the
        # rows one off gives every name to the wrong letter.
        review.note(f"{path}/letter", name_reading.confidence)
        if naic_reading is not None and naic_reading.text.strip():
            review.note(f"{path}/naic", naic_reading.confidence * naic.confidence)
        insurers.append(Insurer(letter=letter, name=" ".join(name.split()), naic=naic.value))
    return insurers
