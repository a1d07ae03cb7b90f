"""`coverwatch import` on 200 generated vendors and their certificates, run twice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from coverwatch.cli import app
from tests.imports.generator import make_import
from tests.imports.helpers import on_file
from tests.orgs.factories import Tenant


def _count(output: str, label: str) -> int:
    found = re.search(rf"{re.escape(label)}\s*│\s*(\d+)", output)
    assert found, (label, output)
    return int(found.group(1))


def test_cli_walk_through_on_200_vendors_then_a_second_run_changes_nothing(
    client: TestClient, tenant: Tenant, project_id: int, tmp_path: Path
) -> None:
    generated = make_import(200)
    sheet = tmp_path / generated.sheet_name
    sheet.write_bytes(generated.sheet)
    folder = tmp_path / "certs"
    with zipfile.ZipFile(__import__("io").BytesIO(generated.archive)) as archive:
        archive.extractall(folder)
    before = on_file()
    runner = CliRunner()
    args = ["import", str(sheet), str(folder), "--org", tenant.slug, "--project", str(project_id)]
    held = runner.invoke(app, [*args, "--hold"], catch_exceptions=False)
    assert held.exit_code == 0, held.output
    assert "held" in held.output and on_file() == before
    assert _count(held.output, "vendors created") == 200
    expected = generated.expected
    assert _count(held.output, "compliant") == expected["compliant"]
    assert _count(held.output, "nothing on file (will be asked)") == expected["missing"]
    assert _count(held.output, "files that failed to read") == generated.corrupt
    assert _count(held.output, "unmatched (queue)") >= generated.unknown_insured + generated.corrupt
    checked = (
        _count(held.output, "deficient")
        + _count(held.output, "needs review")
        + _count(held.output, "compliant")
        + _count(held.output, "nothing on file (will be asked)")
    )
    assert checked == 200
    # Scans and fillable certificates never show compliant (they are drawn short or random).
    assert _count(held.output, "deficient") + _count(held.output, "needs review") >= (
        expected["deficient_text"] + expected["fillable"]
    )

    started = runner.invoke(app, [*args, "--yes"], catch_exceptions=False)
    assert started.exit_code == 0, started.output
    assert "tracking: 200 vendors created" in started.output
    after = on_file()
    assert after["vendors"] == before["vendors"] + 200
    assert after["outbound_emails"] > before["outbound_emails"]

    again = runner.invoke(app, [*args, "--yes"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert _count(again.output, "vendors unchanged") == 200
    assert "tracking: 0 vendors created, 0 updated, 200 unchanged" in again.output
    assert on_file() == after
