"""What a sub and its agent read: requirements and fixes in plain words (pure, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coverwatch.requirements import messages

# How a policy's end reads on the day an email is sent: the engine's findings say it the same way.
from coverwatch.requirements.messages import when_it_ends as when_it_ends
from coverwatch.requirements.schemas import TemplateSpec

# One line on each endorsement a requirement can name, for people who do not read ISO forms.
ENDORSEMENTS = {
    "CG 20 10": "adds us as additional insured for your ongoing work on the project",
    "CG 20 37": "keeps us as additional insured for your completed work, after the job ends",
    "CG 20 01": "makes your policy pay first, before ours (primary and non-contributory)",
    "CG 24 04": "your general liability insurer waives its right to recover from us",
    "CA 04 44": "your auto insurer waives its right to recover from us",
    "WC 00 03 13": "your workers' compensation insurer waives its right to recover from us",
    "CG 25 03": "gives this project its own general aggregate limit",
    "CA 20 48": "adds us as an insured on your auto policy",
}


@dataclass(frozen=True)
class Need:
    """One thing the certificate must show, in words, with the endorsements that prove it."""

    title: str
    detail: str
    endorsements: tuple[tuple[str, str], ...] = ()


def needs_of(
    spec: TemplateSpec, *, trade: str | None, additional_insureds: list[str]
) -> list[Need]:
    """Each requirement of a project's template for a trade, as a sub would read it."""
    spec = spec.for_trade(trade)
    needs = []
    for line in spec.lines:
        if not line.required:
            continue
        title = messages.coverage_label(line.coverage).capitalize()
        parts = [messages.limits_summary(line) or "coverage in force"]
        forms: list[str] = []
        if line.occurrence_only:
            parts.append("written on an occurrence basis (not claims-made)")
        if line.additional_insured != "none":
            names = messages.quoted_list(additional_insureds) if additional_insureds else "us"
            parts.append(f"naming {names} as additional insured")
            forms += ["CG 20 10"] if line.coverage == "general_liability" else []
            if line.additional_insured == "ongoing_and_completed":
                forms += ["CG 20 37"]
            if line.coverage == "auto_liability":
                forms += ["CA 20 48"]
        if line.primary_noncontributory:
            parts.append("primary and non-contributory")
            forms += ["CG 20 01"] if line.coverage == "general_liability" else []
        if line.waiver_of_subrogation:
            parts.append("with a waiver of subrogation")
            forms += {
                "general_liability": ["CG 24 04"],
                "auto_liability": ["CA 04 44"],
                "workers_comp": ["WC 00 03 13"],
            }.get(line.coverage, [])
        if line.per_project_aggregate:
            parts.append("with a per-project aggregate")
            forms += ["CG 25 03"]
        needs.append(
            Need(
                title=title,
                detail=messages.and_list(parts) + ".",
                endorsements=tuple((f, ENDORSEMENTS[f]) for f in dict.fromkeys(forms)),
            )
        )
    if spec.notice_of_cancellation_days:
        needs.append(
            Need(
                title="Notice of cancellation",
                detail=f"{spec.notice_of_cancellation_days} days' written notice to us before "
                "a policy is cancelled.",
            )
        )
    return needs


def fix_for_agent(deficiency: dict[str, Any]) -> str:
    """A deficiency as an instruction to the insurance agent who issues the certificate."""
    code, coverage, limit = deficiency["code"], deficiency.get("coverage"), deficiency.get("limit")
    required, actual = deficiency.get("required"), deficiency.get("actual")
    if code == "limit_below_minimum" and limit and isinstance(required, int):
        label = f"{messages.coverage_label(coverage)} {messages.limit_label(coverage, limit)}"
        shown = (
            f" (the certificate shows {messages.money(actual)})" if isinstance(actual, int) else ""
        )
        return f"Raise {label} to {messages.money(required)}{shown}."
    # The engine's sentences speak to the sub ("Ask your agent to ..."): turn them to the agent.
    message = str(deficiency["message"])
    for phrase, instead in (
        ("Ask your agent to ", "Please "),
        ("Ask your agent for ", "Please send "),
        ("ask your agent to ", "please "),
        ("ask your agent for ", "please send "),
    ):
        message = message.replace(phrase, instead)
    return message
