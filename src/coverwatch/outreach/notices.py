"""What an outreach email says: each request's block (needs, fixes, renewals) and its subject."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coverwatch import clock
from coverwatch.compliance import service as compliance
from coverwatch.orgs.models import Organization
from coverwatch.outreach import cadence, service, wording
from coverwatch.outreach.planner import Item
from coverwatch.projects.models import Project
from coverwatch.requirements import messages
from coverwatch.requirements import service as requirements
from coverwatch.requirements.period import has_ended
from coverwatch.vendors.models import ProjectVendor, Vendor


def notice(session: Session, *, org: Organization, items: list[Item]) -> tuple[str, dict[str, Any]]:
    """The subject and template context of one email telling a sub or agent of `items`."""
    role = items[0].role
    settings = service.outreach_settings(session, org_id=org.id)
    today = cadence.local_time(settings).day_of(clock.now())
    rendered = _one_block_per_renewal(
        [_item_context(session, item=item, today=today, settings=settings) for item in items]
    )
    reply = service.reply_address(org=org, request=items[0].request if len(items) == 1 else None)
    context = {"items": rendered, "role": role, "greeting": "", "reply_address": reply}
    if len(rendered) > 1:
        return f"{org.name}: {len(rendered)} insurance requests", context
    item = rendered[0]
    if item["kind"] == "collection":
        prefix = "Reminder: " if item["step"] else ""
        subject = (
            f"{prefix}{org.name} needs your certificate of insurance for {item['project_name']}"
        )
    elif item["kind"] == "deficiency" and role == "agent":
        subject = f"Certificate changes needed for {item['vendor_name']} ({item['project_name']})"
    elif item["kind"] == "deficiency":
        subject = f"{org.name}: your certificate for {item['project_name']} needs changes"
    else:
        subject = f"{org.name}: {item['vendor_name']}'s {item['heading']}"
    return subject, context


def _one_block_per_renewal(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A vendor's renewals in one block with one link, listing every policy (soonest first)."""
    blocks: list[dict[str, Any]] = []
    by_vendor: dict[str, dict[str, Any]] = {}
    for item in rendered:
        block = by_vendor.get(item["vendor_name"]) if item["kind"] == "renewal" else None
        if block is None:
            blocks.append(item)
            if item["kind"] == "renewal":
                by_vendor[item["vendor_name"]] = item
            continue
        block["policies"] += item["policies"]
        if item["policies"][0]["ends"] < block["policies"][0]["ends"]:
            block["link"] = item["link"]  # the soonest renewal's link; its page lists them all
    for block in by_vendor.values():
        block["policies"].sort(key=lambda p: p["ends"])
        first, count = block["policies"][0], len(block["policies"])
        if count == 1:
            block["heading"] = f"{first['coverage']} {first['verb']}"
        elif len({p["ends"] for p in block["policies"]}) == 1:
            block["heading"] = f"{count} policies {first['verb'].replace('expires', 'expire', 1)}"
        else:
            block["heading"] = f"{count} policies: the first {first['verb']}"
        block["title"] = block["heading"][:1].upper() + block["heading"][1:]
    return blocks


def _item_context(
    session: Session, *, item: Item, today: date, settings: cadence.OutreachSettings
) -> dict[str, Any]:
    request = item.request
    vendor = session.get(Vendor, request.vendor_id)
    project = session.get(Project, request.project_id) if request.project_id else None
    assert vendor is not None
    audience = "agent" if item.role == "agent" else "sub"
    context: dict[str, Any] = {
        "kind": request.kind,
        "step": item.step,
        "last_step": item.step > 0
        and cadence.is_last_step(kind=request.kind, step=item.step, cadences=settings),
        "vendor_name": vendor.legal_name,
        "project_name": project.name if project else "",
        "link": service.link_for(request, audience=audience),
        "link_expires": messages.day(
            max(request.link_expires_at, clock.now() + timedelta(days=30)).date()
        ),
        "needs": [],
        "fixes": [],
    }
    if request.kind == "collection" and project is not None:
        pv = session.get(ProjectVendor, request.project_vendor_id)
        context["needs"] = needs_for(session, project=project, trade=pv.trade if pv else None)
    if request.kind == "deficiency" and request.project_vendor_id:
        pv = session.get(ProjectVendor, request.project_vendor_id)
        rows = compliance.open_deficiencies(session, project_vendor=pv) if pv else []
        # Findings resting on a value read badly wait for a person; they are not fixes to ask.
        found = [compliance.deficiency_json(d) for d in rows if not d.uncertain]
        context["fixes"] = [
            wording.fix_for_agent(d) if audience == "agent" else d["message"] for d in found
        ]
    if request.kind == "renewal":
        context["policies"] = [renewal_policy(request.details, today=today)]
    return context


def renewal_policy(details: dict[str, Any], *, today: date) -> dict[str, Any]:
    """A renewal request's policy in words, as of the day it is shown."""
    ends = date.fromisoformat(details["expires"])
    verb, when = wording.when_it_ends(ends, today=today)
    coverage = messages.coverage_label(details.get("coverage"))
    return {
        "coverage": coverage,
        "label": coverage[:1].upper() + coverage[1:],
        "policy_number": details.get("policy_number"),
        "ends": ends,
        "expires": messages.day(ends),
        "verb": verb,
        "when": when,
        "past": has_ended(ends, today),
    }


def needs_for(session: Session, *, project: Project, trade: str | None) -> list[wording.Need]:
    """What a project's template asks of a vendor of this trade, in words."""
    template = requirements.get_template(
        session, org_id=project.org_id, template_id=project.template_id
    )
    spec = requirements.current_spec(session, template=template)
    return wording.needs_of(
        spec, trade=trade, additional_insureds=list(project.additional_insureds or [])
    )


def lapse_alert(session: Session, *, items: list[Item]) -> tuple[str, str, dict[str, Any]]:
    """The subject, template and context of the GC's alert that coverage lapsed."""
    rows = []
    for item in items:
        pv = session.get(ProjectVendor, item.request.project_vendor_id)
        vendor = session.get(Vendor, item.request.vendor_id)
        project = session.get(Project, item.request.project_id)
        assert pv is not None and vendor is not None and project is not None
        lapsed = [
            d.message
            for d in compliance.open_deficiencies(session, project_vendor=pv)
            if d.code == "policy_expired"
        ]
        rows.append((vendor.legal_name, project.name, " ".join(lapsed) or "coverage expired"))
    first = rows[0]
    subject = (
        f"Coverage lapsed: {first[0]} on {first[1]}"
        if len(rows) == 1
        else f"Coverage lapsed for {len(rows)} subs"
    )
    context = {
        "headline": subject,
        "lines": [
            "Approval is blocked until a certificate showing the renewal arrives. coverwatch has "
            "asked the sub and its insurance agent for it."
        ],
        "rows": rows,
        "link": None,
    }
    return subject, "alert", context
