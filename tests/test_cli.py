"""The `coverwatch` command, run as a user runs it (a subprocess with its own data folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import coverwatch
from coverwatch.cli import full_app, reading_app
from tests.certificates.factories import current_certificate
from tests.samples import drawn_certificate, require_samples
from tests.test_layers import PURE_REQUIREMENTS

SRC = str(Path(coverwatch.__file__).resolve().parent.parent)
GL = ("general_liability", "each_occurrence")
# What reading one certificate must not load, each costing the command seconds to start: the
# web app and its server, the database, the network, job queues, and the readers a PDF with a
# text layer does not need (OCR, pypdf for form fields, Pillow for images).
NOT_FOR_READING = (
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "huey",
    "redis",
    "jinja2",
    "cv2",
    "numpy",
    "pytesseract",
    "pypdf",
    "PIL",
)
# The package's modules reading needs besides the readers and the rules.
READING_NEEDS = {
    "coverwatch",
    "coverwatch.cli",
    "coverwatch.commands",
    "coverwatch.errors",
    "coverwatch.logs",
    "coverwatch.settings",
    "coverwatch.clock",
    "coverwatch.certificates",
    "coverwatch.certificates.cli",
    "coverwatch.certificates.schemas",
}


def run(
    tmp_path: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    code: str = "from coverwatch.cli import main; main()",
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with a data folder in tmp_path (and any other COVERWATCH_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env["COVERWATCH_DATA_DIR"] = str(tmp_path / "data")
    # A relative PYTHONPATH means nothing in tmp_path: the command runs the code under test.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))
    env |= settings or {}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
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


def _loaded(tmp_path: Path, *args: str) -> list[str]:
    """The modules loaded when `coverwatch ARGS` exits (it must succeed)."""
    listing = tmp_path / "modules.json"
    code = (
        "import atexit, json, sys\n"
        "from pathlib import Path\n"
        f"listing = Path({str(listing)!r})\n"
        "atexit.register(lambda: listing.write_text(json.dumps(list(sys.modules))))\n"
        "from coverwatch.cli import main\n"
        "main()"
    )
    result = run(tmp_path, *args, code=code)
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(listing.read_text())
    return loaded


def _not_for_reading(modules: list[str]) -> list[str]:
    def needed(name: str) -> bool:
        top, _, rest = name.partition(".")
        if top != "coverwatch":
            return top not in NOT_FOR_READING
        if name in READING_NEEDS or name == "coverwatch.requirements":
            return True
        if name.startswith("coverwatch.parsing"):
            return not name.startswith("coverwatch.parsing.ocr")
        return rest.startswith("requirements.") and rest.split(".")[1] in PURE_REQUIREMENTS

    return sorted(name for name in modules if not needed(name))


@pytest.mark.parametrize("source", ["drawn", "sample"])
def test_parse_of_a_text_pdf_loads_only_what_reading_needs(tmp_path: Path, source: str) -> None:
    if source == "sample":
        pdf = require_samples() / "sample_acord25_2016-03_flattened-vector_sensible.pdf"
    else:
        pdf = tmp_path / "drawn.pdf"
        pdf.write_bytes(drawn_certificate()[0])
    loaded = _loaded(tmp_path, "parse", str(pdf))
    assert "coverwatch.parsing.layout.reader" in loaded
    assert _not_for_reading(loaded) == []
    assert _not_for_reading(_loaded(tmp_path, "check", str(pdf), "--template", "ground-up")) == []


def test_check_of_a_certificate_json_loads_no_reader(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, "check", str(_write(tmp_path, "c.json")), "--template", "ground-up")
    assert "coverwatch.requirements.engine" in loaded
    assert _not_for_reading(loaded) == []
    assert "coverwatch.parsing.document" not in loaded and "pypdfium2" not in loaded


@pytest.mark.parametrize("args", [["parse", "--help"], ["check", "--help"], ["check", "x.json"]])
def test_parse_and_check_answer_as_in_the_whole_command(args: list[str]) -> None:
    runner = CliRunner()
    alone, whole = runner.invoke(reading_app(), args), runner.invoke(full_app(), args)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert alone.output
