"""Several documents on file that carry the same policies: what the engine should see (pure).

A sub often sends the same certificate twice (the agent's PDF, then a phone photo of it), or a
new certificate for policies already on file. A policy is the same when its line and number
are. Each value of it is taken from the newest document that reads it with certainty: a newer
copy counts where it adds a value or changes one it reads with certainty, and a value it reads
badly or not at all never overrides a good reading of the same policy. A renewal (a new policy
number) is another policy and replaces nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coverwatch.certificates.schemas import CertificateData, Policy
from coverwatch.requirements.context import path_parts

# Policy fields a copy may fill in; the line and the number are the identity itself.
_FIELDS = (
    "type",
    "policy_number",
    "insurer_letter",
    "description",
    "effective_date",
    "expiration_date",
    "additional_insured",
    "waiver_of_subrogation",
    "claims_made",
    "aggregate_applies_per",
    "statutory",
    "autos",
)
# What two copies of one certificate print alike, outside the coverage grid.
_PARTIES = (
    ("insured", "name"),
    ("insured", "address"),
    ("certificate_holder", "name"),
    ("certificate_holder", "address"),
    ("producer", "name"),
    ("producer", "contact_name"),
    ("producer", "phone"),
    ("producer", "email"),
    ("producer", "address"),
    (None, "description_of_operations"),
)


def combine(documents: Sequence[CertificateData]) -> list[CertificateData]:
    """The documents (newest first) with each policy once, in the newest document that has it."""
    view: list[CertificateData] = []
    newest: dict[tuple[str, str], tuple[int, int]] = {}  # identity -> (document, policy)
    for data in documents:
        data = data.model_copy(update={"needs_review": [_canonical(p) for p in data.needs_review]})
        flags = set(data.needs_review)
        kept: list[Policy] = []
        moved: dict[int, int] = {}
        shared: set[int] = set()
        for index, policy in enumerate(data.policies):
            identity = _identity(policy)
            if identity is not None and identity in newest:
                at, position = newest[identity]
                view[at] = _fill_policy(view[at], position, older=data, index=index, flags=flags)
                shared.add(at)
                continue
            if identity is not None:
                newest[identity] = (len(view), len(kept))
            moved[index] = len(kept)
            kept.append(policy)
        for at in sorted(shared):
            view[at] = _fill_parties(view[at], older=data, flags=flags)
        view.append(
            data.model_copy(
                update={"policies": kept, "needs_review": _renumber(data.needs_review, moved)}
            )
        )
    return view


def _canonical(path: str) -> str:
    # Flags come as "/policies/0/limits" from the readers and may come as "policies[0].limits".
    return "/" + "/".join(path_parts(path))


def _identity(policy: Policy) -> tuple[str, str] | None:
    number = "".join((policy.policy_number or "").split()).upper()
    return (policy.type, number) if number else None


def _fill_policy(
    newer: CertificateData, position: int, *, older: CertificateData, index: int, flags: set[str]
) -> CertificateData:
    """Fill a newer copy's missing or uncertain values of one policy from an older sure one."""
    target = newer.policies[position]
    source = older.policies[index]
    here, there = f"/policies/{position}", f"/policies/{index}"
    pending = set(newer.needs_review)
    changes: dict[str, Any] = {}
    limits: dict[str, int] = {str(k): v for k, v in target.limits.items()}
    values = [(field, getattr(target, field), getattr(source, field)) for field in _FIELDS]
    values += [(f"limits/{key}", limits.get(key), amount) for key, amount in source.limits.items()]
    for field, mine, theirs in values:
        # The older reading is sure only where its own flags leave it so.
        if _doubted(flags, f"{there}/{field}") or not _takes(
            mine, theirs, f"{here}/{field}", pending
        ):
            continue
        if field.startswith("limits/"):
            limits[field.removeprefix("limits/")] = theirs
        else:
            changes[field] = theirs
        pending = _cleared(pending, f"{here}/{field}")
    if limits != target.limits:
        changes["limits"] = limits
    letter = changes.get("insurer_letter", target.insurer_letter)
    insurers, pending = _fill_insurer(newer, letter, older=older, source=source, pending=pending)
    policies = list(newer.policies)
    policies[position] = target.model_copy(update=changes)
    return newer.model_copy(
        update={
            "policies": policies,
            "insurers": insurers,
            "needs_review": [p for p in newer.needs_review if p in pending],
        }
    )


def _fill_insurer(
    newer: CertificateData,
    letter: str | None,
    *,
    older: CertificateData,
    source: Policy,
    pending: set[str],
) -> tuple[list[Any], set[str]]:
    """The insurer behind a policy's letter, where the newer copy reads its name badly."""
    insurers = list(newer.insurers)
    known = older.insurer(source.insurer_letter)
    if known is None or letter is None or letter.upper() != known.letter.upper():
        return insurers, pending
    if _doubted(set(older.needs_review), f"/insurers/{older.insurers.index(known)}"):
        return insurers, pending
    mine = newer.insurer(letter)
    if mine is None:
        insurers.append(known)
        return insurers, pending
    at = insurers.index(mine)
    if _doubted(pending, f"/insurers/{at}/name") or not mine.name.strip():
        insurers[at] = mine.model_copy(update={"name": known.name, "naic": known.naic})
        pending = _cleared(pending, f"/insurers/{at}")
    return insurers, pending


def _fill_parties(
    newer: CertificateData, *, older: CertificateData, flags: set[str]
) -> CertificateData:
    """A copy of the same certificate: what it reads badly outside the grid comes from the older."""
    pending = set(newer.needs_review)
    update: dict[str, Any] = {}
    for block, field in _PARTIES:
        path = f"/{block}/{field}" if block else f"/{field}"
        holder = getattr(newer, block) if block else newer
        value = getattr(getattr(older, block) if block else older, field)
        if _doubted(flags, path) or not _takes(getattr(holder, field), value, path, pending):
            continue
        if block:
            current = update.get(block, getattr(newer, block))
            update[block] = current.model_copy(update={field: value})
        else:
            update[field] = value
        pending = _cleared(pending, path)
    if not update:
        return newer
    update["needs_review"] = [p for p in newer.needs_review if p in pending]
    return newer.model_copy(update=update)


def _takes(mine: Any, theirs: Any, path: str, pending: set[str]) -> bool:
    """Whether the older value replaces this one: it is read, and this one is not or unsure."""
    if theirs is None or theirs == [] or theirs == "":
        return False
    return mine is None or mine == [] or mine == "" or _doubted(pending, path)


def _doubted(flags: set[str], path: str) -> bool:
    # A flag on a whole row doubts each of its fields, and a flag on a field doubts its row.
    return any(
        flag == path or flag.startswith(path + "/") or path.startswith(flag + "/") for flag in flags
    )


def _cleared(flags: set[str], path: str) -> set[str]:
    """The flags left once a value (and what is below it) has a sure reading."""
    return {f for f in flags if f != path and not f.startswith(path + "/")}


def _renumber(flags: list[str], moved: dict[int, int]) -> list[str]:
    """A document's flags after some of its policies went to a newer copy of them."""
    kept = []
    for flag in flags:
        parts = flag.split("/")
        if len(parts) > 2 and parts[1] == "policies" and parts[2].isdigit():
            if int(parts[2]) not in moved:
                continue
            parts[2] = str(moved[int(parts[2])])
        kept.append("/".join(parts))
    return kept
