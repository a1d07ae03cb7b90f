"""A short way to run the engine in tests, with the factories' project, vendor and ratings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coverwatch.certificates.schemas import CertificateData
from coverwatch.requirements.engine import evaluate
from coverwatch.requirements.packs import BUILTIN_TEMPLATES
from coverwatch.requirements.schemas import EvaluationResult, TemplateSpec

from .factories import AS_OF, RATINGS, make_certificate, make_project, make_vendor

_DEFAULT: Any = object()


def run(
    certificates: Sequence[CertificateData] | CertificateData | None = None,
    *,
    template: str | TemplateSpec = "ground-up",
    project: Any = _DEFAULT,
    vendor: Any = _DEFAULT,
    **kwargs: Any,
) -> EvaluationResult:
    """Evaluate as the service would, with the factories' defaults for anything not given."""
    if certificates is None:
        certificates = [make_certificate()]
    elif isinstance(certificates, CertificateData):
        certificates = [certificates]
    spec = BUILTIN_TEMPLATES[template] if isinstance(template, str) else template
    kwargs.setdefault("as_of", AS_OF)
    kwargs.setdefault("ratings", RATINGS)
    return evaluate(
        certificates=certificates,
        template=spec,
        project=make_project() if project is _DEFAULT else project,
        vendor=make_vendor() if vendor is _DEFAULT else vendor,
        **kwargs,
    )


def keys(result: EvaluationResult) -> set[str]:
    """The keys of a result's open deficiencies."""
    return {d.key for d in result.deficiencies}


def codes(result: EvaluationResult) -> set[str]:
    """The codes of a result's open deficiencies."""
    return {d.code for d in result.deficiencies}


def warning_codes(result: EvaluationResult) -> set[str]:
    """The codes of a result's warnings."""
    return {w.code for w in result.warnings}
