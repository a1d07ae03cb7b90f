"""The built-in templates, loading templates, trade overrides and template validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from coverwatch.requirements.packs import BUILTIN_KEYS, BUILTIN_TEMPLATES, PACKS_DIR, load_template
from coverwatch.requirements.schemas import LineRequirement, TemplateSpec


def test_the_four_builtin_templates() -> None:
    assert set(BUILTIN_TEMPLATES) == {
        "tenant-improvement",
        "ground-up",
        "public-works",
        "federal-far-28-307-2",
    }
    assert sorted(p.stem for p in PACKS_DIR.glob("*.json")) == sorted(BUILTIN_KEYS)
    for key, spec in BUILTIN_TEMPLATES.items():
        assert spec.key == key and spec.name and spec.description


def test_builtin_values_follow_the_domain_notes() -> None:
    ground_up = {line.coverage: line for line in BUILTIN_TEMPLATES["ground-up"].lines}
    gl = ground_up["general_liability"]
    assert gl.limits == {
        "each_occurrence": 2_000_000,
        "general_aggregate": 4_000_000,
        "products_completed_operations_aggregate": 4_000_000,
    }
    assert gl.occurrence_only and gl.per_project_aggregate
    assert gl.additional_insured == "ongoing_and_completed"
    assert ground_up["umbrella"].limits["each_occurrence"] == 5_000_000
    assert ground_up["workers_comp"].statutory
    assert (
        BUILTIN_TEMPLATES["ground-up"].min_rating,
        BUILTIN_TEMPLATES["ground-up"].min_financial_size,
    ) == ("A-", "VIII")
    federal = {line.coverage: line for line in BUILTIN_TEMPLATES["federal-far-28-307-2"].lines}
    assert federal["auto_liability"].limits == {
        "bodily_injury_per_person": 200_000,
        "bodily_injury_per_accident": 500_000,
        "property_damage": 20_000,
    }
    assert federal["workers_comp"].limits == {"el_each_accident": 100_000}
    assert BUILTIN_TEMPLATES["public-works"].notice_of_cancellation_days == 30
    assert BUILTIN_TEMPLATES["tenant-improvement"].through_project_end == "deficiency"
    assert BUILTIN_TEMPLATES["ground-up"].through_project_end == "warning"


def test_for_trade_merges_by_coverage_case_insensitively() -> None:
    spec = BUILTIN_TEMPLATES["ground-up"]
    assert spec.for_trade(None) is spec
    assert spec.for_trade("plumbing") is spec
    roofing = spec.for_trade("Roofing")
    umbrella = next(line for line in roofing.lines if line.coverage == "umbrella")
    assert umbrella.limits["each_occurrence"] == 10_000_000
    assert [line.coverage for line in roofing.lines] == [line.coverage for line in spec.lines]
    design = spec.for_trade("design-build")  # an alias, hyphen or not
    assert design.lines[-1].coverage == "professional"
    assert spec.for_trade("Design Build").lines == design.lines


def test_for_trade_removes_lines() -> None:
    raw = BUILTIN_TEMPLATES["tenant-improvement"].model_dump(mode="json")
    raw["trade_overrides"] = {"consultant": {"remove": ["auto_liability"]}}
    spec = TemplateSpec.model_validate(raw)
    assert "auto_liability" not in [line.coverage for line in spec.for_trade("Consultant").lines]


def test_for_trade_matches_a_trade_written_with_accents() -> None:
    raw = BUILTIN_TEMPLATES["tenant-improvement"].model_dump(mode="json")
    raw["trade_overrides"] = {"démolition": {"remove": ["auto_liability"]}}
    spec = TemplateSpec.model_validate(raw)
    for trade in ("Demolition", "DÉMOLITION"):
        assert "auto_liability" not in [line.coverage for line in spec.for_trade(trade).lines]


def test_load_template_by_key_returns_a_copy() -> None:
    spec = load_template("ground-up")
    assert spec == BUILTIN_TEMPLATES["ground-up"]
    spec.lines.clear()
    assert BUILTIN_TEMPLATES["ground-up"].lines


def test_load_template_from_a_file(tmp_path: Path) -> None:
    raw = BUILTIN_TEMPLATES["public-works"].model_dump(mode="json")
    raw["key"] = "county-roads"
    path = tmp_path / "county.json"
    path.write_text(json.dumps(raw))
    assert load_template(str(path)).key == "county-roads"


def test_load_template_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown template 'groundup': not a built-in template"):
        load_template("groundup")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="is not valid JSON"):
        load_template(str(broken))
    typo = tmp_path / "typo.json"
    raw = BUILTIN_TEMPLATES["public-works"].model_dump(mode="json")
    raw["lines"][0]["additional_insureds"] = "ongoing"
    typo.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match=r"lines\.0\.additional_insureds: Extra inputs"):
        load_template(str(typo))


def test_templates_round_trip_through_json() -> None:
    for spec in BUILTIN_TEMPLATES.values():
        assert TemplateSpec.model_validate(spec.model_dump(mode="json")) == spec


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_rating": "AA"}, "is not an AM Best rating"),
        ({"min_financial_size": "XX"}, "is not a financial size category"),
        ({"lines": [{"coverage": "umbrella"}, {"coverage": "umbrella"}]}, "more than one"),
        (
            {"lines": [{"coverage": "workers_comp", "additional_insured": "ongoing"}]},
            "no additional",
        ),
        ({"lines": [{"coverage": "umbrella", "limits": {"retention": 10000}}]}, "maximum"),
        ({"lines": [{"coverage": "general_liability", "statutory": True}]}, "statutory"),
        ({"lines": [{"coverage": "cyber"}]}, "Input should be"),
    ],
)
def test_invalid_templates_are_refused(change: dict[str, Any], message: str) -> None:
    raw = {"key": "x", "name": "X", "lines": [], **change}
    with pytest.raises(ValidationError, match=message):
        TemplateSpec.model_validate(raw)


def test_a_line_requirement_has_sensible_defaults() -> None:
    line = LineRequirement(coverage="general_liability")
    assert line.required and line.umbrella_counts and line.additional_insured == "none"
    assert line.limits == {}
