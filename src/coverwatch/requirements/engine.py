"""The evaluation engine: the certificates on file, checked against a template, give a verdict.

Pure: no database, no network, no clock. The same inputs always give the same verdict, which is
what lets compliance answer "was this sub covered on the day of the incident?" years later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from coverwatch.certificates.schemas import CertificateData
from coverwatch.requirements import messages
from coverwatch.requirements.context import Candidate, Context, Draft, policy_covers, related
from coverwatch.requirements.evidence import merge
from coverwatch.requirements.limits import counted_umbrella
from coverwatch.requirements.lines import check_line
from coverwatch.requirements.names import holder_matches, insured_matches, mentions, same_entity
from coverwatch.requirements.schemas import (
    Deficiency,
    EvaluationResult,
    Finding,
    InsurerRating,
    PolicyUse,
    ProjectFacts,
    ReviewItem,
    Status,
    TemplateSpec,
    VendorFacts,
    WaiverFacts,
)

_FLAG_REASON = "the parser read this field with low confidence"


def evaluate(
    *,
    certificates: Sequence[CertificateData],
    template: TemplateSpec,
    as_of: date,
    project: ProjectFacts | None = None,
    vendor: VendorFacts | None = None,
    trade: str | None = None,
    waivers: Sequence[WaiverFacts] = (),
    ratings: Sequence[InsurerRating] = (),
) -> EvaluationResult:
    """Check a sub's certificates on file against a template, as of a day."""
    spec = template.for_trade(trade)
    if not certificates:
        return EvaluationResult(status="pending", template_key=spec.key, trade=trade, as_of=as_of)
    ctx = Context(
        certificates=certificates,
        spec=spec,
        as_of=as_of,
        project=project,
        vendor=vendor,
        ratings=ratings,
    )
    umbrella = counted_umbrella(ctx) if any(line.umbrella_counts for line in spec.lines) else None
    drafts: list[Draft] = []
    uses: list[PolicyUse] = []
    chosen: dict[str, Candidate] = {}
    for line in spec.lines:
        outcome = check_line(ctx, line, umbrella=umbrella)
        drafts += outcome.drafts
        uses += outcome.uses
        if outcome.chosen is not None:
            chosen[line.coverage] = outcome.chosen
    drafts += _party_checks(ctx, chosen)
    _check_project_named(ctx, chosen)
    _review_flagged_fields(ctx)

    active = {w.key for w in waivers if w.ends_on is None or w.ends_on >= as_of}
    open_items: list[Deficiency] = []
    waived: list[Deficiency] = []
    for deficiency in _unique(drafts):
        (waived if deficiency.key in active else open_items).append(deficiency)
    through = [
        use.covered_through
        for use in uses
        if use.covered_through is not None and use.timing in ("in_force", "dates_unknown")
    ]
    return EvaluationResult(
        status=_status(open_items, ctx.review, ctx.warnings),
        template_key=spec.key,
        trade=trade,
        as_of=as_of,
        deficiencies=open_items,
        waived=waived,
        warnings=ctx.warnings,
        earliest_expiration=min(through) if through else None,
        policies_used=uses,
        review_items=ctx.review,
    )


def _unique(drafts: Iterable[Draft]) -> list[Deficiency]:
    # One deficiency per key: the key is what a waiver names, so two findings sharing one
    # would be waived together without anyone seeing the second.
    seen: dict[str, Deficiency] = {}
    for draft in drafts:
        if draft.key not in seen:
            seen[draft.key] = Deficiency(
                code=draft.code,
                coverage=draft.coverage,
                limit=draft.limit,
                required=draft.required,
                actual=draft.actual,
                message=draft.message,
                uncertain=draft.uncertain,
            )
    return list(seen.values())


def _status(
    deficiencies: Sequence[Deficiency], review: Sequence[ReviewItem], warnings: Sequence[Finding]
) -> Status:
    certain = [d for d in deficiencies if not d.uncertain]
    if any(d.code == "policy_expired" for d in certain):
        return "expired"
    if certain:
        return "non_compliant"
    if deficiencies or review:
        return "needs_review"
    if any(w.code == "policy_expiring_soon" for w in warnings):
        return "expiring"
    return "compliant"


def _with_policies(ctx: Context) -> list[int]:
    return [i for i, cert in enumerate(ctx.certificates) if cert.policies]


def _party_checks(ctx: Context, chosen: Mapping[str, Candidate]) -> list[Draft]:
    """Who the certificates are for and about: insured, holder, named AIs, notice."""
    checks = (_check_insured, _check_holder, _check_named_insureds, _check_notice)
    return [draft for check in checks if (draft := check(ctx, chosen)) is not None]


def _check_insured(ctx: Context, chosen: Mapping[str, Candidate]) -> Draft | None:
    vendor = ctx.vendor
    if vendor is None or not ctx.spec.check_insured_name:
        return None
    wanted = [vendor.legal_name, *vendor.dba_names]
    wrong = [
        i
        for i in _with_policies(ctx)
        if not insured_matches(ctx.certificates[i].insured.name, wanted)
    ]
    if not wrong:
        return None
    printed = list(dict.fromkeys(ctx.certificates[i].insured.name for i in wrong))
    return ctx.draft(
        "insured_name_mismatch",
        coverage=None,
        required=vendor.legal_name,
        actual="; ".join(name or "" for name in printed) or None,
        message=messages.insured_mismatch(
            printed=printed, legal_name=vendor.legal_name, dba_names=vendor.dba_names
        ),
        fields=[(i, ("insured", "name")) for i in wrong],
    )


def _check_holder(ctx: Context, chosen: Mapping[str, Candidate]) -> Draft | None:
    project = ctx.project
    if project is None or not ctx.spec.check_certificate_holder:
        return None
    expected = (project.certificate_holder or "").strip()
    if not expected:
        return None
    wrong = [
        i
        for i in _with_policies(ctx)
        if not holder_matches(ctx.certificates[i].certificate_holder.name, expected)
    ]
    if not wrong:
        return None
    printed = list(dict.fromkeys(ctx.certificates[i].certificate_holder.name for i in wrong))
    name = expected.splitlines()[0].strip()
    return ctx.draft(
        "certificate_holder_mismatch",
        coverage=None,
        required=name,
        actual="; ".join(p or "" for p in printed) or None,
        message=messages.holder_mismatch(printed=printed, expected=name),
        fields=[(i, ("certificate_holder", "name")) for i in wrong],
    )


def _check_named_insureds(ctx: Context, chosen: Mapping[str, Candidate]) -> Draft | None:
    project = ctx.project
    if project is None or not project.additional_insureds:
        return None
    ai_lines = [
        line.coverage
        for line in ctx.spec.lines
        if line.additional_insured != "none" and line.coverage in chosen
    ]
    if not ai_lines:
        return None  # no AI requirement, or the line is missing (reported already)
    indices = sorted({chosen[coverage].cert_index for coverage in ai_lines})
    evidence = merge(ctx.evidence_for(i) for i in indices)
    holder = (project.certificate_holder or "").strip().splitlines()
    missing = [
        name
        for name in project.additional_insureds
        if name.strip()
        and not any(mentions(text, name) for text in evidence.texts)
        # "The certificate holder is an additional insured" names the holder.
        and not (holder and same_entity(name, holder[0]) and evidence.holder_is_additional_insured)
    ]
    if not missing:
        return None
    return ctx.draft(
        "additional_insured_missing",
        coverage=None,
        required="; ".join(missing),
        message=messages.named_insureds_missing(names=missing),
        fields=[field for i in indices for field in ctx.evidence_fields(i)],
    )


def _check_notice(ctx: Context, chosen: Mapping[str, Candidate]) -> Draft | None:
    days = ctx.spec.notice_of_cancellation_days
    if not days:
        return None
    indices = sorted({c.cert_index for c in chosen.values()}) or _with_policies(ctx)
    short = [i for i in indices if (ctx.evidence_for(i).notice_days or 0) < days]
    if not short:
        return None
    found = [n for i in short if (n := ctx.evidence_for(i).notice_days) is not None]
    lines = [c for c, cand in chosen.items() if cand.cert_index in short]
    if len(indices) == 1:
        lines = []  # one certificate: no need to say which lines it shows
    return ctx.draft(
        "notice_of_cancellation_missing",
        coverage=None,
        required=days,
        actual=min(found) if found else None,
        message=messages.notice_missing(
            days=days,
            to=ctx.spec.notice_of_cancellation_to,
            found=min(found) if found else None,
            lines=lines,
        ),
        fields=[(i, ("description_of_operations",)) for i in short],
    )


def _check_project_named(ctx: Context, chosen: Mapping[str, Candidate]) -> None:
    project = ctx.project
    if project is None or not chosen:
        return
    indices = sorted({c.cert_index for c in chosen.values()})
    texts = merge(ctx.evidence_for(i) for i in indices).texts
    address = (project.address or "").split(",")[0]
    names = [n for n in (project.name, project.number, address) if n and n.strip()]
    if not any(mentions(text, name) for text in texts for name in names):
        ctx.warn(
            "project_not_named",
            coverage=None,
            message=messages.project_not_named(project=project.name),
        )


def _review_flagged_fields(ctx: Context) -> None:
    """Put the parser's low-confidence fields that bear on the verdict up for review."""
    spec = ctx.spec
    roots: list[tuple[str, ...]] = [
        ("policies",),
        ("endorsements",),
        ("description_of_operations",),
    ]
    if spec.min_rating or spec.min_financial_size:
        roots.append(("insurers",))
    if ctx.vendor is not None and spec.check_insured_name:
        roots.append(("insured", "name"))
    if ctx.project is not None and ctx.project.certificate_holder and spec.check_certificate_holder:
        roots.append(("certificate_holder", "name"))
    for ci, cert in enumerate(ctx.certificates):
        for raw, parts in zip(cert.needs_review, ctx.flags[ci], strict=True):
            if not any(related(parts, root) for root in roots):
                continue
            if _unrelated_row(ctx, cert, parts):
                continue
            ctx.ask_review(ci, raw, _FLAG_REASON)


def _unrelated_row(ctx: Context, cert: CertificateData, parts: tuple[str, ...]) -> bool:
    # A misread limit on an OTHER row the template does not ask about (inland marine, crime)
    # cannot change the verdict; a misread type or description could.
    if len(parts) < 3 or parts[0] != "policies" or not parts[1].isdigit():
        return False
    index = int(parts[1])
    if index >= len(cert.policies) or parts[2] in ("type", "description"):
        return False
    policy = cert.policies[index]
    coverages = {line.coverage for line in ctx.spec.lines}
    if any(line.umbrella_counts for line in ctx.spec.lines):
        coverages.add("umbrella")
    return not any(policy_covers(coverage, policy) for coverage in coverages)
