"""Logging as the settings ask: the product's INFO lines reach the log, as text or JSON lines.

The processes are run as an operator runs them (`coverwatch worker`, `coverwatch serve`, each a
subprocess with its own data folder), with a job queued beforehand that logs at INFO.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from coverwatch.errors import CoverwatchError
from coverwatch.logs import PRODUCT_LOGGERS, configure_logging
from coverwatch.settings import Settings

SWEEP_LINE = "daily sweep evaluated 0 project vendors"


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env["COVERWATCH_DATA_DIR"] = str(tmp_path / "data")
    env.update({f"COVERWATCH_{k.upper()}": v for k, v in settings.items()})
    return env


def _queue_the_daily_sweep(env: dict[str, str], cwd: Path) -> None:
    # Called outside a worker, a task is only put on the queue (a SQLite file in the data folder).
    code = "from coverwatch.compliance.tasks import daily_sweep_job; daily_sweep_job()"
    subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, check=True, timeout=120, capture_output=True
    )


class Process:
    """A `coverwatch` command running in the background, its stderr read line by line."""

    def __init__(self, env: dict[str, str], cwd: Path, *args: str) -> None:
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            [sys.executable, "-c", "from coverwatch.cli import main; main()", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, found: Callable[[str], bool], timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = next((line for line in list(self.lines) if found(line)), None)
            if match is not None:
                return match
            if self.popen.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.1)
        raise AssertionError("no such line in the log:\n" + "\n".join(self.lines))

    def stop(self) -> list[str]:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._reader.join(timeout=10)
        return self.lines


def test_a_worker_logs_the_jobs_it_runs_at_info(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _queue_the_daily_sweep(env, tmp_path)
    worker = Process(env, tmp_path, "worker", "--workers", "1", "--no-scheduler")
    try:
        line = worker.wait_for(lambda line: SWEEP_LINE in line)
        worker.wait_for(lambda line: " INFO huey" in line and "daily_sweep_job" in line)
    finally:
        lines = worker.stop()
    assert " INFO coverwatch.compliance.tasks: " in line, lines
    assert not any(line.lstrip().startswith("{") for line in lines)


def test_serve_logs_json_lines_from_jobs_and_the_web_server(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = _env(tmp_path, log_format="json")
    _queue_the_daily_sweep(env, tmp_path)
    server = Process(env, tmp_path, "serve", "--port", str(port), "--workers", "1")
    try:
        server.wait_for(lambda line: SWEEP_LINE in line)
        server.wait_for(lambda line: "uvicorn" in line and "running on" in line.lower())
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        server.wait_for(lambda line: "GET /health" in line)
    finally:
        lines = server.stop()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"timestamp", "level", "logger", "message"} <= set(entry) for entry in entries)
    by_logger = {
        (e["logger"], e["level"]): e["message"] for e in entries if SWEEP_LINE in e["message"]
    }
    assert by_logger == {("coverwatch.compliance.tasks", "INFO"): SWEEP_LINE}
    assert any(e["logger"].startswith("huey") and e["level"] == "INFO" for e in entries)
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert access and "GET /health" in access[0]["message"]
    assert "color_message" not in json.dumps(entries)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Whatever a test configures, the process's logging is put back as it was afterwards."""
    root = logging.getLogger()
    saved_root = (root.level, root.handlers[:])
    saved = {
        name: (logger.level, logger.handlers[:], logger.propagate, logger.disabled)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        # A logger first made during the test goes back to a fresh one's state.
        level, handlers, propagate, disabled = saved.get(name, (logging.NOTSET, [], True, False))
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.disabled = disabled


def test_levels_the_product_speaks_at_and_others_are_heard_from_warning(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(log_level="debug", log_format="json"))
    assert all(logging.getLogger(name).level == logging.DEBUG for name in PRODUCT_LOGGERS)
    logging.getLogger("coverwatch.outreach.receiver").debug("inbound message %s stored", 7)
    logging.getLogger("httpx").info("HTTP Request: GET https://api.procore.com/ 200")
    (line,) = capsys.readouterr().err.splitlines()
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "DEBUG",
        "coverwatch.outreach.receiver",
        "inbound message 7 stored",
    )

    configure_logging(Settings(log_level="ERROR"))
    logging.getLogger("coverwatch.webhooks.tasks").warning("not shown")
    logging.getLogger("pypdf").warning("not shown either")
    logging.getLogger("coverwatch.webhooks.tasks").error("delivery %s failed", 3)
    err = capsys.readouterr().err
    assert "not shown" not in err and " ERROR coverwatch.webhooks.tasks: delivery 3 failed" in err

    with pytest.raises(CoverwatchError, match="COVERWATCH_LOG_LEVEL is 'loud'"):
        configure_logging(Settings(log_level="loud"))
