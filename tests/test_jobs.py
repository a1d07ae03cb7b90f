"""Jobs go through a real queue (SQLite file, and Redis where configured) and a real consumer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REPO

REDIS_URL = os.environ.get("COVERWATCH_TEST_REDIS_URL")
QUEUES = ["sqlite"] + (["redis"] if REDIS_URL else [])


def _run_child(tmp_path: Path, *, queue: str, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env.update(
        COVERWATCH_DATA_DIR=str(tmp_path / "data"),
        COVERWATCH_DATABASE_URL=database_url,
        COVERWATCH_QUEUE_URL=(REDIS_URL or "") if queue == "redis" else "",
        PYTHONPATH=str(REPO),
    )
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("queue_child.py"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


# (queue, database): each queue on SQLite, and the scale set-up (Redis + PostgreSQL) where set.
SETUPS = [(queue, "sqlite") for queue in QUEUES] + ([(QUEUES[-1], "postgresql")] if PG_URL else [])


def _database_url(tmp_path: Path, database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'coverwatch.db'}"
    import sqlalchemy

    from coverwatch.settings import _normalise_postgres_url

    # A database of its own: the parent's tests use the shared test database meanwhile.
    url = _normalise_postgres_url(PG_URL or "")
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS coverwatch_queue_test")
        connection.exec_driver_sql("CREATE DATABASE coverwatch_queue_test")
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/coverwatch_queue_test"


@pytest.mark.parametrize(("queue", "database"), SETUPS)
def test_consumer_runs_enqueued_evaluations(tmp_path: Path, queue: str, database: str) -> None:
    report = _run_child(tmp_path, queue=queue, database_url=_database_url(tmp_path, database))
    assert report["count"] >= 7
    assert len(report["statuses"]) == report["count"]
    assert {"compliant", "non_compliant", "expired", "pending"} <= set(report["statuses"])
    assert report["pending"] == 0
