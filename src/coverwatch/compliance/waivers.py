"""Waivers: a risk manager accepts one open deficiency until a date, with a reason (audited)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.audit import service as audit
from coverwatch.compliance.models import Waiver
from coverwatch.compliance.service import evaluate_project_vendor, open_deficiencies
from coverwatch.db import utcnow
from coverwatch.errors import InvalidInput, NotFound
from coverwatch.orgs.auth import require_role
from coverwatch.orgs.service import Principal
from coverwatch.vendors.models import ProjectVendor

WAIVER_ROLES = ("admin", "risk_manager")


def create_waiver(
    session: Session,
    *,
    project_vendor: ProjectVendor,
    principal: Principal,
    deficiency_key: str,
    reason: str,
    ends_on: date,
) -> Waiver:
    """Waive one open deficiency until `ends_on`, with a reason (risk manager or admin only)."""
    require_role(principal, *WAIVER_ROLES, action="waiving a deficiency")
    reason = reason.strip()
    if len(reason) < 3:
        raise InvalidInput("a waiver needs a reason")
    if ends_on <= clock.today():
        raise InvalidInput("a waiver's end date must be in the future")
    open_keys = {d.key for d in open_deficiencies(session, project_vendor=project_vendor)}
    if deficiency_key not in open_keys:
        raise InvalidInput(
            f"{deficiency_key!r} is not an open deficiency of this vendor",
            details={"open_deficiencies": sorted(open_keys)},
        )
    waiver = Waiver(
        org_id=project_vendor.org_id,
        project_vendor_id=project_vendor.id,
        deficiency_key=deficiency_key,
        reason=reason,
        ends_on=ends_on,
        created_by=principal.actor,
    )
    session.add(waiver)
    session.flush()
    audit.record(
        session,
        org_id=project_vendor.org_id,
        actor=principal.actor,
        action="waiver_created",
        entity_type="project_vendor",
        entity_id=project_vendor.id,
        after={
            "waiver_id": waiver.id,
            "deficiency_key": deficiency_key,
            "reason": reason,
            "ends_on": ends_on.isoformat(),
        },
    )
    evaluate_project_vendor(
        session, project_vendor=project_vendor, trigger="waiver", actor=principal.actor
    )
    return waiver


def revoke_waiver(
    session: Session, *, project_vendor: ProjectVendor, waiver_id: int, principal: Principal
) -> Waiver:
    """End a waiver now; the deficiency is open again."""
    require_role(principal, *WAIVER_ROLES, action="revoking a waiver")
    waiver = session.get(Waiver, waiver_id)
    if waiver is None or waiver.project_vendor_id != project_vendor.id:
        raise NotFound(f"no waiver {waiver_id}")
    if waiver.revoked_at is None:
        waiver.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            org_id=project_vendor.org_id,
            actor=principal.actor,
            action="waiver_revoked",
            entity_type="project_vendor",
            entity_id=project_vendor.id,
            before={"waiver_id": waiver.id, "deficiency_key": waiver.deficiency_key},
        )
        evaluate_project_vendor(
            session, project_vendor=project_vendor, trigger="waiver", actor=principal.actor
        )
    return waiver


def list_waivers(session: Session, *, project_vendor: ProjectVendor) -> list[Waiver]:
    """Every waiver ever given on a project vendor."""
    return list(
        session.scalars(
            select(Waiver).where(Waiver.project_vendor_id == project_vendor.id).order_by(Waiver.id)
        )
    )
