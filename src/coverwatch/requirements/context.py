"""What one evaluation works from: the certificates on file, their evidence, and the rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from coverwatch.certificates.schemas import CertificateData, Policy
from coverwatch.requirements.evidence import Evidence, lines_named, merge, read_evidence
from coverwatch.requirements.period import has_ended, has_started
from coverwatch.requirements.ratings import RatingBook
from coverwatch.requirements.schemas import (
    CoverageKey,
    Finding,
    InsurerRating,
    ProjectFacts,
    ReviewItem,
    TemplateSpec,
    Timing,
    VendorFacts,
)

# A field of one certificate: (certificate index, path parts such as ("policies", "0", "limits")).
FieldRef = tuple[int, tuple[str, ...]]

_POLICY_LINE: dict[str, CoverageKey] = {
    "general_liability": "general_liability",
    "auto_liability": "auto_liability",
    "umbrella": "umbrella",
    "excess": "umbrella",
    "workers_comp": "workers_comp",
}
# The OTHER row of the grid says what it is only in its description ("Contractors Pollution",
# "Professional E&O", a second excess layer).
_OTHER_ROW_LINES = frozenset({"professional", "pollution", "builders_risk", "umbrella"})


def path_parts(path: str) -> tuple[str, ...]:
    """A needs_review path in parts: "/policies/0/limits" and "policies[0].limits" alike."""
    return tuple(part for part in re.split(r"[/.\[\]]+", path) if part)


def related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one path contains the other (a flag on a policy covers its limits, and back)."""
    width = min(len(a), len(b))
    return a[:width] == b[:width]


def policy_covers(coverage: str, policy: Policy) -> bool:
    """Whether a policy row is of the given line of coverage."""
    if policy.type == "other":
        return coverage in _OTHER_ROW_LINES and coverage in _described(policy.description)
    return _POLICY_LINE.get(policy.type) == coverage


def _described(description: str | None) -> frozenset[str]:
    return lines_named(description.casefold()) if description else frozenset()


def timing(policy: Policy, as_of: date) -> Timing:
    """Where a policy's term stands on a day; a missing date leaves it unknown."""
    # The policy period runs from 12:01 a.m. on the effective date to 12:01 a.m. on the
    # expiration date (requirements.period): the expiration day itself is not covered.
    if policy.expiration_date is not None and has_ended(policy.expiration_date, as_of):
        return "expired"
    if policy.effective_date is not None and not has_started(policy.effective_date, as_of):
        return "not_yet_effective"
    if policy.effective_date is None or policy.expiration_date is None:
        return "dates_unknown"
    return "in_force"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A policy on file that may satisfy a line of coverage."""

    cert_index: int
    policy_index: int
    certificate: CertificateData
    policy: Policy
    timing: Timing

    def field(self, *parts: str) -> FieldRef:
        """A field of this policy, for uncertainty checks."""
        return (self.cert_index, ("policies", str(self.policy_index), *parts))


@dataclass(slots=True)
class Draft:
    """A deficiency before waivers are applied."""

    code: str
    coverage: str | None
    limit: str | None
    required: int | str | None
    actual: int | str | None
    message: str
    uncertain: bool

    @property
    def key(self) -> str:
        """The waiver key (see Deficiency.key)."""
        return f"{self.code}:{self.coverage or '-'}:{self.limit or '-'}"


@dataclass(slots=True)
class Assessment:
    """What one policy lacks for one line, before the best policy is chosen."""

    candidate: Candidate
    drafts: list[Draft] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    # Whether an umbrella made up a minimum the policy alone falls short of.
    umbrella_used: bool = False


class Context:
    """The certificates, rules and facts of one evaluation, with lookups the checks share."""

    def __init__(
        self,
        *,
        certificates: Sequence[CertificateData],
        spec: TemplateSpec,
        as_of: date,
        project: ProjectFacts | None,
        vendor: VendorFacts | None,
        ratings: Sequence[InsurerRating],
    ) -> None:
        self.certificates = list(certificates)
        self.spec = spec
        self.as_of = as_of
        self.project = project
        self.vendor = vendor
        self.ratings = RatingBook(ratings)
        self.flags = [[path_parts(path) for path in c.needs_review] for c in self.certificates]
        self.evidence = [
            read_evidence(c.description_of_operations, tuple(e.form for e in c.endorsements))
            for c in self.certificates
        ]
        # A document with no coverage grid (an endorsement package sent on its own) is
        # evidence for every certificate on file.
        self.evidence_only = [i for i, c in enumerate(self.certificates) if not c.policies]
        self.warnings: list[Finding] = []
        self.review: list[ReviewItem] = []
        self._candidates: dict[str, list[Candidate]] = {}
        self._evidence_for: dict[int, Evidence] = {}

    def candidates(self, coverage: str) -> list[Candidate]:
        """Every policy on file of a line of coverage, whatever its dates."""
        if coverage not in self._candidates:
            self._candidates[coverage] = [
                Candidate(ci, pi, cert, policy, timing(policy, self.as_of))
                for ci, cert in enumerate(self.certificates)
                for pi, policy in enumerate(cert.policies)
                if policy_covers(coverage, policy)
            ]
        return self._candidates[coverage]

    def evidence_for(self, cert_index: int) -> Evidence:
        """The evidence that applies to a policy on a certificate."""
        if cert_index not in self._evidence_for:
            indices = [cert_index, *(i for i in self.evidence_only if i != cert_index)]
            self._evidence_for[cert_index] = merge(self.evidence[i] for i in indices)
        return self._evidence_for[cert_index]

    def evidence_fields(self, cert_index: int) -> list[FieldRef]:
        """The fields endorsement evidence for a certificate rests on."""
        indices = [cert_index, *self.evidence_only]
        return [
            (i, (name,)) for i in indices for name in ("endorsements", "description_of_operations")
        ]

    def is_flagged(self, fields: Sequence[FieldRef]) -> bool:
        """Whether any of these fields was read with low confidence."""
        return any(related(flag, path) for ci, path in fields for flag in self.flags[ci])

    def draft(
        self,
        code: str,
        *,
        coverage: str | None,
        message: str,
        limit: str | None = None,
        required: int | str | None = None,
        actual: int | str | None = None,
        fields: Sequence[FieldRef] = (),
    ) -> Draft:
        """A deficiency, uncertain when a field it rests on was flagged by the parser."""
        return Draft(code, coverage, limit, required, actual, message, self.is_flagged(fields))

    def warn(self, code: str, *, coverage: str | None, message: str) -> None:
        """Add a warning once per code and line."""
        if not any(w.code == code and w.coverage == coverage for w in self.warnings):
            self.warnings.append(Finding(code=code, coverage=coverage, message=message))

    def ask_review(self, cert_index: int, path: str, reason: str) -> None:
        """Add a field a person should check."""
        if not any(r.certificate_index == cert_index and r.path == path for r in self.review):
            self.review.append(ReviewItem(certificate_index=cert_index, path=path, reason=reason))
