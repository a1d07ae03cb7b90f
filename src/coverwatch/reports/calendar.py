"""The calendar feed: each tracked sub's coverage ends, per organization or per project.

A feed lives at a private URL whose token is signed (itsdangerous, `signed_tokens`) and carries
a nonce kept in the organization's `settings` JSON (`calendar.nonce`). Rotating the nonce
revokes every feed URL given out so far, the organization's and each project's at once.

An event is all-day on the policy's expiration date, which is the first day without coverage
(docs/deficiency-codes.md, "Which days a policy covers"): its title says "coverage ends".
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch import clock, signed_tokens
from coverwatch.audit import service as audit
from coverwatch.certificates import service as certificates
from coverwatch.errors import NotFound
from coverwatch.orgs import service as orgs
from coverwatch.orgs.models import Organization
from coverwatch.projects.models import Project
from coverwatch.requirements.messages import coverage_label
from coverwatch.settings import get_settings
from coverwatch.vendors.models import ProjectVendor, Vendor

FEED = signed_tokens.Purpose("coverwatch.reports.calendar")
PRODID = "-//coverwatch//Coverage ends//EN"


@dataclass
class Ending:
    """One line of one vendor's coverage, and the day it ends."""

    vendor_id: int
    vendor: str
    coverage: str
    policy_number: str | None
    insurer: str | None
    ends: date
    projects: list[str] = field(default_factory=list)


def _nonce(session: Session, *, org: Organization, rotate: bool = False) -> str:
    current = (org.settings or {}).get("calendar", {}).get("nonce")
    if current and not rotate:
        return str(current)
    nonce = secrets.token_urlsafe(12)
    orgs.set_setting(session, org=org, key="calendar", value={"nonce": nonce})
    return nonce


def feed_url(session: Session, *, org_id: int, project_id: int | None = None) -> str:
    """The private URL of the organization's feed, or of one of its projects."""
    org = session.get(Organization, org_id)
    assert org is not None
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.org_id != org_id:
            raise NotFound(f"no project {project_id}")
    token = signed_tokens.dumps(
        FEED,
        {"o": org_id, "p": project_id, "n": _nonce(session, org=org)},
        secret=get_settings().resolved_secret_key,
    )
    return f"{get_settings().base_url.rstrip('/')}/calendar/{token}.ics"


def rotate(session: Session, *, org_id: int, actor: str) -> None:
    """Revoke every feed URL of the organization: a new nonce signs the next ones."""
    org = session.get(Organization, org_id)
    assert org is not None
    _nonce(session, org=org, rotate=True)
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="calendar_feed_rotated",
        entity_type="organization",
        entity_id=org_id,
    )


def scope_of_token(session: Session, *, token: str) -> tuple[int, int | None]:
    """(org id, project id or None) of a current feed token; NotFound if forged or revoked."""
    try:
        claim = signed_tokens.loads(FEED, token, secret=get_settings().resolved_secret_key)
        org_id, project_id, nonce = int(claim["o"]), claim.get("p"), str(claim["n"])
    except (signed_tokens.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("no such calendar") from None
    org = session.get(Organization, org_id)
    current = (org.settings or {}).get("calendar", {}).get("nonce") if org else None
    if not current or not secrets.compare_digest(str(current), nonce):
        raise NotFound("no such calendar")
    if project_id is not None:
        project = session.get(Project, int(project_id))
        if project is None or project.org_id != org_id:
            raise NotFound("no such calendar")
        return org_id, project.id
    return org_id, None


def endings(session: Session, *, org_id: int, project_id: int | None, today: date) -> list[Ending]:
    """Coverage of tracked subs that ends today or later, soonest first.

    Per vendor and line, the latest expiration on file counts: a renewal on file moves the
    line's end, so the expiring policy it replaces is not shown.
    """
    statement = (
        select(ProjectVendor.vendor_id, Project.name)
        .join(Project, Project.id == ProjectVendor.project_id)
        .where(ProjectVendor.org_id == org_id, ProjectVendor.tracking.is_(True))
        .order_by(Project.name)
    )
    if project_id is not None:
        statement = statement.where(ProjectVendor.project_id == project_id)
    projects_of: dict[int, list[str]] = defaultdict(list)
    for vendor_id, name in session.execute(statement):
        projects_of[vendor_id].append(name)
    found: list[Ending] = []
    for vendor_id, names in projects_of.items():
        vendor = session.get(Vendor, vendor_id)
        assert vendor is not None
        latest: dict[tuple[str, str], Ending] = {}
        on_file = certificates.on_file(session, org_id=org_id, vendor_id=vendor_id)
        for data in certificates.current_view(on_file):
            for policy in data.policies:
                ends = policy.expiration_date
                if ends is None:
                    continue
                # "Other" rows are each their own line (professional, pollution...).
                other = policy.type == "other"
                line = (policy.type, (policy.policy_number or "") if other else "")
                if line in latest and latest[line].ends >= ends:
                    continue
                insurer = data.insurer(policy.insurer_letter)
                latest[line] = Ending(
                    vendor_id=vendor_id,
                    vendor=vendor.legal_name,
                    coverage=(other and policy.description) or coverage_label(policy.type),
                    policy_number=policy.policy_number,
                    insurer=insurer.name if insurer else None,
                    ends=ends,
                    projects=names,
                )
        found += [e for e in latest.values() if e.ends >= today]
    return sorted(found, key=lambda e: (e.ends, e.vendor, e.coverage))


def feed(session: Session, *, org_id: int, project_id: int | None) -> bytes:
    """The iCalendar text of a feed: one all-day event per line of coverage that ends."""
    org = session.get(Organization, org_id)
    assert org is not None
    project = session.get(Project, project_id) if project_id is not None else None
    title = f"{org.name}: coverage ends" + (f" · {project.name}" if project else "")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    stamp = clock.now()
    for ending in endings(session, org_id=org_id, project_id=project_id, today=clock.today()):
        calendar.add_component(_event(ending, stamp=stamp))
    return bytes(calendar.to_ical())


def _event(ending: Ending, *, stamp: Any) -> Event:
    event = Event()
    key = f"{ending.vendor_id}|{ending.coverage}|{ending.policy_number}|{ending.ends}"
    event.add("uid", f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@coverwatch")
    event.add("dtstamp", stamp)
    event.add("dtstart", ending.ends)
    event.add("dtend", ending.ends + timedelta(days=1))
    event.add("summary", f"Coverage ends: {ending.vendor}, {ending.coverage}")
    lines = [
        f"Vendor: {ending.vendor}",
        f"Coverage: {ending.coverage}",
        f"Policy number: {ending.policy_number or 'not shown'}",
    ]
    if ending.insurer:
        lines.append(f"Insurer: {ending.insurer}")
    lines += [
        f"Projects: {', '.join(ending.projects)}",
        f"Last covered day: {(ending.ends - timedelta(days=1)).isoformat()}; "
        f"from {ending.ends.isoformat()} there is no coverage unless a renewal is on file.",
    ]
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["coverwatch", "insurance"])
    return event
