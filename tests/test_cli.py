"""The `coverwatch` command, run as a user runs it (a subprocess with its own data folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.certificates.factories import current_certificate

GL = ("general_liability", "each_occurrence")


def run(
    tmp_path: Path, *args: str, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with a data folder in tmp_path (and any other COVERWATCH_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env["COVERWATCH_DATA_DIR"] = str(tmp_path / "data")
    env |= settings or {}
    return subprocess.run(
        [sys.executable, "-c", "from coverwatch.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def _write(tmp_path: Path, name: str, **overrides: object) -> Path:
    path = tmp_path / name
    path.write_text(current_certificate(**overrides).model_dump_json(by_alias=True))
    return path


def test_check_finds_the_low_gl_limit_and_the_umbrella_fixes_it(tmp_path: Path) -> None:
    low = _write(tmp_path, "low.json", gl_each_occurrence=500_000, umbrella=None)
    result = run(tmp_path, "check", str(low), "--template", "ground-up", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["status"] == "non_compliant"
    gl = [d for d in out["deficiencies"] if (d["coverage"], d["limit"]) == GL]
    assert gl and gl[0]["code"] == "limit_below_minimum"
    assert (gl[0]["required"], gl[0]["actual"]) == (2_000_000, 500_000)
    assert set(gl[0]) == {"code", "coverage", "limit", "required", "actual", "message"}

    fixed = _write(tmp_path, "fixed.json", gl_each_occurrence=500_000, umbrella=5_000_000)
    out = json.loads(run(tmp_path, "check", str(fixed), "--template", "ground-up", "--json").stdout)
    assert not [d for d in out["deficiencies"] if (d["coverage"], d["limit"]) == GL]


def test_check_reads_a_template_file_and_prints_words(tmp_path: Path) -> None:
    from coverwatch.requirements.packs import BUILTIN_TEMPLATES

    template = tmp_path / "mine.json"
    spec = BUILTIN_TEMPLATES["tenant-improvement"].model_dump(mode="json")
    template.write_text(json.dumps({**spec, "key": "mine"}))
    cert = _write(tmp_path, "c.json", gl_each_occurrence=500_000, umbrella=None)
    result = run(tmp_path, "check", str(cert), "--template", str(template))
    assert result.returncode == 0, result.stderr
    assert "non_compliant" in result.stdout and "$500,000" in result.stdout


def test_check_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text(json.dumps({"policies": [{"type": "spaceship"}]}))
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    cert = _write(tmp_path, "ok.json")
    cases = [
        ("check", str(tmp_path / "missing.json"), "--template", "ground-up"),
        ("check", str(empty), "--template", "ground-up"),
        ("check", str(garbage), "--template", "ground-up"),
        ("check", str(wrong_shape), "--template", "ground-up"),
        ("check", str(pdf), "--template", "ground-up"),
        ("check", str(cert), "--template", "no-such-template"),
    ]
    for args in cases:
        result = run(tmp_path, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, (args, result.stderr)


def test_admin_commands_and_status_as_of(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    assert run(tmp_path, "org", "create", "Summit Builders, Inc.").returncode == 0
    created = run(
        tmp_path,
        "user",
        "create",
        "--org",
        "summit-builders-inc",
        "--email",
        "risk@summit.example",
        "--role",
        "risk_manager",
    )
    assert created.returncode == 0, created.stderr
    bad_role = run(
        tmp_path,
        "user",
        "create",
        "--org",
        "summit-builders-inc",
        "--email",
        "x@summit.example",
        "--role",
        "boss",
    )
    assert bad_role.returncode == 2 and "role must be one of" in bad_role.stderr
    key = run(
        tmp_path,
        "api-key",
        "create",
        "--org",
        "summit-builders-inc",
        "--email",
        "risk@summit.example",
    )
    assert key.returncode == 0 and key.stdout.strip().startswith("cw_")
    status = run(tmp_path, "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["items"] == []
    assert run(tmp_path, "status", "--as-of", "yesterday").returncode == 2


def test_a_setting_with_a_bad_value_is_one_line_naming_it(tmp_path: Path) -> None:
    done = run(tmp_path, "--help", settings={"COVERWATCH_LOG_FORMAT": "JSON"})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coverwatch: COVERWATCH_LOG_FORMAT: ")
