"""Users created as an operator creates them (the `coverwatch user create` command)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run

ORG = "summit-builders-inc"


def _create(tmp_path: Path, email: str) -> tuple[int, str, str]:
    result = run(
        tmp_path, "user", "create", "--org", ORG, "--email", email, "--role", "risk_manager"
    )
    return result.returncode, result.stdout, result.stderr


def test_a_user_gets_a_valid_address_stored_normalised_or_a_clear_refusal(
    tmp_path: Path,
) -> None:
    assert run(tmp_path, "org", "create", "Summit Builders, Inc.").returncode == 0
    for email, reason in (
        ("pat@@summit.example", "not a valid email address"),
        ("pat@summit", "should have a period"),
        ("Pat Lee <pat@summit.example>", "without a name or angle brackets"),
    ):
        code, _out, err = _create(tmp_path, email)
        assert code == 2, (email, err)
        assert err.startswith("coverwatch: ") and len(err.strip().splitlines()) == 1, err
        assert "not a valid email address" in err and reason in err, err
    code, out, err = _create(tmp_path, "Zoë.Ruiz@Bücher.Example")
    assert code == 0, err
    assert "user zoë.ruiz@bücher.example (risk_manager) created" in out
    # The same address again, written differently, is the same user.
    code, _out, err = _create(tmp_path, "zoë.ruiz@xn--bcher-kva.example")
    assert code == 2 and "already exists" in err
