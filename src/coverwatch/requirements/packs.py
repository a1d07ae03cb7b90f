"""The built-in requirement templates (JSON files in packs/) and loading a template by name or path.

Why each built-in treats "expires before the project ends" as it does (`through_project_end`):
- tenant-improvement: deficiency. Fit-outs last weeks to months, inside one policy year; a policy
  that ends mid-job is a gap the sub can close now.
- ground-up, public-works, federal: warning. These jobs outlast annual policies; a deficiency
  would block every sub until the last year of the job. Renewal monitoring asks for each renewal
  as it comes due instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from coverwatch.requirements.schemas import TemplateSpec

PACKS_DIR = Path(__file__).with_name("packs")
BUILTIN_KEYS = ("tenant-improvement", "ground-up", "public-works", "federal-far-28-307-2")


def _read(path: Path) -> TemplateSpec:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read template file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"template file {path} is not valid JSON: {exc}") from exc
    try:
        return TemplateSpec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'template'}: {error['msg']}"
            for error in exc.errors(include_url=False)
        )
        raise ValueError(f"template file {path} is not a valid template: {problems}") from exc


BUILTIN_TEMPLATES: dict[str, TemplateSpec] = {
    key: _read(PACKS_DIR / f"{key}.json") for key in BUILTIN_KEYS
}


def load_template(name_or_path: str) -> TemplateSpec:
    """A built-in template by key, or a template JSON file (TemplateSpec shape) by path."""
    if name_or_path in BUILTIN_TEMPLATES:
        return BUILTIN_TEMPLATES[name_or_path].model_copy(deep=True)
    path = Path(name_or_path)
    if path.is_file():
        return _read(path)
    raise ValueError(
        f"unknown template {name_or_path!r}: not a built-in template "
        f"({', '.join(BUILTIN_KEYS)}) and no such file"
    )
