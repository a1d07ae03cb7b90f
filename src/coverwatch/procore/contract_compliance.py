"""The verdict on each of a project vendor's commitments: Procore's contract compliance.

Procore keeps an insurance status (compliant, not_compliant, not_required) and notes on every
work order and purchase order contract, and Procore Pay can hold an invoice's payment until the
status is compliant. Each live commitment of a tracked project vendor gets our status and the
open deficiencies in plain words, written only when they changed (`written_hash`); Procore's own
`derived_insurance_status` (worked out from the vendor's insurance records) is read back.

A sub whose every gap is waived is `compliant`, not `not_required`: a waiver accepts a gap for
a time (it ends, and the status with it), while insurance is still required on the contract.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.compliance import service as compliance
from coverwatch.compliance.models import DeficiencyRow, Waiver
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import ProcoreNotFound
from coverwatch.procore.models import ProcoreCommitment
from coverwatch.vendors.models import ProjectVendor

log = logging.getLogger(__name__)
# Our status → Procore's commitment insurance status.
COMMITMENT_STATUS = {
    "compliant": "compliant",
    "expiring": "compliant",  # still in force; the renewal is being asked for
    "non_compliant": "not_compliant",
    "expired": "not_compliant",
    "needs_review": "not_compliant",  # not cleared until a person has looked
    "pending": "not_compliant",  # nothing on file yet
}
NOTES_LIMIT = 1000


@dataclass
class CommitmentWrite:
    """What one commitment should say, and whether Procore already has it."""

    commitment_id: int
    kind: str
    procore_id: int
    project_id: int
    body: dict[str, Any]
    hash: str
    changed: bool


def plan(session: Session, *, project_vendor: ProjectVendor) -> list[CommitmentWrite]:
    """The compliance to write on every live commitment of the project vendor."""
    commitments = list(
        session.scalars(
            select(ProcoreCommitment)
            .where(
                ProcoreCommitment.project_vendor_id == project_vendor.id,
                ProcoreCommitment.removed.is_(False),
            )
            .order_by(ProcoreCommitment.id)
        )
    )
    if not commitments:
        return []
    body = {
        "insurance_status": COMMITMENT_STATUS.get(project_vendor.status, "not_compliant"),
        "insurance_notes": notes(session, project_vendor=project_vendor),
    }
    writes = []
    for commitment in commitments:
        digest = hashlib.sha256(
            json.dumps([commitment.kind, commitment.procore_id, body], sort_keys=True).encode()
        ).hexdigest()
        writes.append(
            CommitmentWrite(
                commitment_id=commitment.id,
                kind=commitment.kind,
                procore_id=commitment.procore_id,
                project_id=commitment.procore_project_id,
                body=body,
                hash=digest,
                changed=commitment.written_hash != digest,
            )
        )
    return writes


def notes(session: Session, *, project_vendor: ProjectVendor) -> str:
    """The open deficiencies (and what is waived, until when) in plain words."""
    lines = [
        d.message for d in compliance.open_deficiencies(session, project_vendor=project_vendor)
    ]
    if project_vendor.last_evaluation_id is not None:
        waived = session.execute(
            select(DeficiencyRow.message, Waiver.ends_on)
            .join(
                Waiver,
                (Waiver.deficiency_key == DeficiencyRow.key)
                & (Waiver.project_vendor_id == project_vendor.id)
                & Waiver.revoked_at.is_(None),
            )
            .where(
                DeficiencyRow.evaluation_id == project_vendor.last_evaluation_id,
                DeficiencyRow.waived.is_(True),
            )
            .order_by(DeficiencyRow.id)
        )
        lines += [f"Waived until {ends_on.isoformat()}: {message}" for message, ends_on in waived]
    if not lines:
        lines = [
            "No certificate of insurance on file yet; it has been requested."
            if project_vendor.status == "pending"
            else "Meets the project's insurance requirements."
        ]
    text = "; ".join(lines)
    return text if len(text) <= NOTES_LIMIT else text[: NOTES_LIMIT - 1] + "…"


def send(
    client: ProcoreClient, writes: list[CommitmentWrite], *, records_written: bool
) -> list[tuple[CommitmentWrite, dict[str, Any] | None]]:
    """Write what changed and read back Procore's derived status (no database here).

    The derived status follows the vendor's insurance records, so it is read again whenever
    those were just written, even when the commitment's own status did not move.
    """
    answers: list[tuple[CommitmentWrite, dict[str, Any] | None]] = []
    for write in writes:
        if not write.changed and not records_written:
            continue
        kind, contract_id, project_id = write.kind, write.procore_id, write.project_id
        try:
            if write.changed:
                client.update_commitment_compliance(
                    kind=kind, contract_id=contract_id, project_id=project_id, body=write.body
                )
            answers.append(
                (
                    write,
                    client.commitment_compliance(
                        kind=kind, contract_id=contract_id, project_id=project_id
                    ),
                )
            )
        except ProcoreNotFound:
            # Deleted in Procore since; the commitments sync marks it removed.
            log.info("Procore %s contract %s is gone", write.kind, write.procore_id)
            answers.append((write, None))
    return answers


def record(session: Session, answers: list[tuple[CommitmentWrite, dict[str, Any] | None]]) -> int:
    """Remember what Procore holds now; returns how many commitments were written."""
    written = 0
    for write, answer in answers:
        commitment = session.get(ProcoreCommitment, write.commitment_id)
        if commitment is None or answer is None:
            continue
        if write.changed:
            commitment.insurance_status = write.body["insurance_status"]
            commitment.written_hash = write.hash
            written += 1
        commitment.derived_insurance_status = answer.get("derived_insurance_status")
    session.flush()
    return written
