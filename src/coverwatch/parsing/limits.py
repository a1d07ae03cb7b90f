"""Limit lines in free text: the OTHER row's coverage codes and the spare limit line of a row.

Agents fill the OTHER row as code + amount ("EACH CLAIM" / "1,000,000"), or write the whole limit
as one text across the column ("$1 000 000 Occurrence / $1 000 000 Aggregate"). Both come down to
(label, amount text) pairs; a label then names one of the contract's limit keys, or none.
"""

from __future__ import annotations

import re

from coverwatch.certificates.schemas import LimitKey
from coverwatch.parsing.values import money_spans

_RETENTION = re.compile(r"\bS\.?\s*I\.?\s*R\b|\bSELF[\s-]*INSURED|\bRETENTION\b|\bRETEN\b", re.I)
_AGGREGATE = re.compile(r"\bAGG(?:REGATE|R)?\b", re.I)
_PER_EVENT = re.compile(
    r"\bOCC(?:URRENCE|UR)?\b|\bCLAIMS?\b|\bEACH\b|\bPER\b|\bLIMITS?\b|\bLOSS\b|\bACC(?:IDENT)?\b",
    re.I,
)


def other_row_key(label: str) -> LimitKey | None:
    """The limit key an OTHER-row coverage code names ("EACH CLAIM", "AGGREGATE", "SIR")."""
    if _RETENTION.search(label):
        return "retention"
    if _AGGREGATE.search(label):
        return "aggregate"
    if _PER_EVENT.search(label) or not label.strip():
        # A lone amount on an OTHER row is its (per-claim or per-occurrence) limit.
        return "each_occurrence"
    return None


def spare_line_key(label: str) -> LimitKey | None:
    """The limit key of a row's spare limit line; only a retention (SIR) has one."""
    return "retention" if _RETENTION.search(label) else None


def split_limit_text(text: str) -> list[tuple[str, str]]:
    """(label, amount text) pairs: "EACH CLAIM $1,000,000", "$1M Occurrence / $2M Aggregate"."""
    pairs: list[tuple[str, str]] = []
    for segment in re.split(r"\s+[/;|]\s+|;", text):
        spans = money_spans(segment)
        if not spans:
            if segment.strip():
                pairs.append((segment.strip(), ""))
            continue
        labels_follow = not segment[: spans[0][0]].strip()
        for i, (start, end) in enumerate(spans):
            amount = segment[start:end]
            if labels_follow:
                stop = spans[i + 1][0] if i + 1 < len(spans) else len(segment)
                label = segment[end:stop]
            else:
                begin = spans[i - 1][1] if i > 0 else 0
                label = segment[begin:start]
            pairs.append((" ".join(label.split()).strip(" :-,"), amount.strip()))
    return pairs
