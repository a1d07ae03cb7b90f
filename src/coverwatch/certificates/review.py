"""A person's review of a certificate the reader was unsure of: confirm or correct, then decide.

Corrections are given by the same paths that `needs_review` lists (`/policies/0/limits/
each_occurrence`), so a reviewer answers exactly what was asked. The whole certificate is
validated again after the change; the review is audited with each value before and after.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.certificates.models import Certificate, PolicyLimit, PolicyRow
from coverwatch.certificates.schemas import CertificateData
from coverwatch.certificates.service import store_policies
from coverwatch.errors import Conflict, InvalidCertificate, InvalidInput

MAX_CORRECTIONS = 200


def _parts(path: str) -> list[str]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.strip().split("/")[1:]]
    if not path.startswith("/") or not parts or any(p == "" for p in parts):
        raise InvalidInput(f"{path!r} is not a path such as /policies/0/limits/each_occurrence")
    return parts


def get_path(data: dict[str, Any] | None, path: str) -> Any:
    """The value at a path such as `/policies/0/limits/each_occurrence`, or None if absent."""
    node: Any = data or {}
    for part in _parts(path):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> Any:
    """Set the value at a path such as `/policies/0/limits/each_occurrence`; the old value."""
    parts = _parts(path)
    node: Any = data
    for part in parts[:-1]:
        node = _child(node, part, path)
    last = parts[-1]
    if isinstance(node, list):
        index = _index(node, last, path)
        old, node[index] = node[index], value
        return old
    if not isinstance(node, dict):
        raise InvalidInput(f"{path!r} does not lead to a field")
    old = node.get(last)
    if value is None and _is_limits(parts):
        # Removing a limit the reader invented is a correction too (limits hold only numbers).
        node.pop(last, None)
        return old
    node[last] = value
    return old


def _is_limits(parts: list[str]) -> bool:
    return len(parts) >= 2 and parts[-2] == "limits"


def _child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, path)]
    if isinstance(node, dict):
        if part not in node or node[part] is None:
            node[part] = {}
        return node[part]
    raise InvalidInput(f"{path!r} does not lead to a field")


def _index(node: list[Any], part: str, path: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise InvalidInput(f"{path!r} names an item that is not there")
    return int(part)


def review_certificate(
    session: Session,
    *,
    certificate: Certificate,
    corrections: dict[str, Any],
    note: str,
    actor: str,
) -> Certificate:
    """Apply a reviewer's corrections, clear the review flags, and keep the policies in step."""
    if certificate.state != "parsed" or certificate.withdrawn_at is not None:
        raise Conflict("only a read certificate that is on file can be reviewed")
    if len(corrections) > MAX_CORRECTIONS:
        raise InvalidInput(f"at most {MAX_CORRECTIONS} corrections at a time")
    data = copy.deepcopy(certificate.data)
    changed = {}
    for path, value in corrections.items():
        before = set_path(data, path, value)
        if before != value:
            changed[path] = {"before": before, "after": value}
    remaining = [p for p in certificate.needs_review if p not in corrections]
    data["needs_review"] = []
    try:
        checked = CertificateData.model_validate(data)
    except ValidationError as exc:
        raise InvalidCertificate(
            "the corrected certificate is not valid",
            details=exc.errors(include_url=False, include_context=False, include_input=False),
        ) from exc
    certificate.data = checked.model_dump(mode="json", by_alias=True)
    certificate.certificate_date = checked.certificate_date
    certificate.needs_review = []
    _replace_policies(session, certificate=certificate, data=checked)
    audit.record(
        session,
        org_id=certificate.org_id,
        actor=actor,
        action="certificate_reviewed",
        entity_type="certificate",
        entity_id=certificate.id,
        after={"corrections": changed, "confirmed": remaining, "note": note[:500]},
    )
    return certificate


def _replace_policies(session: Session, *, certificate: Certificate, data: CertificateData) -> None:
    policy_ids = select(PolicyRow.id).where(PolicyRow.certificate_id == certificate.id)
    session.execute(delete(PolicyLimit).where(PolicyLimit.policy_id.in_(policy_ids)))
    session.execute(delete(PolicyRow).where(PolicyRow.certificate_id == certificate.id))
    session.flush()
    store_policies(session, certificate=certificate, data=data)
