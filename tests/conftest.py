"""Test set-up: an isolated data folder, inline jobs, and a clean database for every test.

Database tests run on SQLite and, when COVERWATCH_TEST_DATABASE_URL is set, again on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Settings are read once per process, so the environment is fixed before coverwatch is imported.
_DATA = tempfile.mkdtemp(prefix="coverwatch-test-")
os.environ["COVERWATCH_DATA_DIR"] = _DATA
os.environ["COVERWATCH_JOBS_IMMEDIATE"] = "true"
# Test receivers listen on loopback; one test turns this off to check the refusal.
os.environ["COVERWATCH_WEBHOOK_ALLOW_PRIVATE"] = "true"
for _var in ("COVERWATCH_DATABASE_URL", "COVERWATCH_QUEUE_URL", "COVERWATCH_SMTP_URL"):
    os.environ.pop(_var, None)

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from coverwatch import clock  # noqa: E402
from coverwatch.app import create_app  # noqa: E402
from coverwatch.db import make_engine, session_scope, use_engine  # noqa: E402
from coverwatch.migrate import upgrade  # noqa: E402
from coverwatch.models import Base  # noqa: E402
from coverwatch.settings import _normalise_postgres_url  # noqa: E402
from tests.orgs.factories import Tenant, make_tenant  # noqa: E402
from tests.samples import MISSING, require_samples  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("COVERWATCH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Skips are not listed by default: one line says why these were.
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if MISSING in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} tests skipped: {MISSING}")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The ACORD sample folder (COVERWATCH_SAMPLES_DIR); the test is skipped without it."""
    return require_samples()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine=engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """The PostgreSQL test database, emptied and migrated once per run (one per xdist worker)."""
    assert PG_URL
    url = _normalise_postgres_url(PG_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        # Parallel workers each get a database of their own, created beside the given one.
        admin = make_engine(url)
        name = f"{url.rsplit('/', 1)[1]}_{worker}"
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = f"{url.rsplit('/', 1)[0]}/{name}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine=engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Engine]:
    """A clean, migrated database for this test, used by the whole process."""
    clock.reset()
    if request.param == "sqlite":
        path = tmp_path / "coverwatch.db"
        shutil.copy(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        use_engine(engine)
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("pg_engine")
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        use_engine(engine)
        yield engine
    clock.reset()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A unit of work committed at the end of the test (like a request or a job)."""
    with session_scope() as session:
        yield session


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    """The application over HTTP (in-process)."""
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def web(engine: Engine) -> Iterator[TestClient]:
    """The application over https, as a browser signed in to the web pages uses it."""
    # https: the session cookie is `Secure`, which httpx only sends over https.
    with TestClient(
        create_app(), base_url="https://testserver", raise_server_exceptions=False
    ) as client:
        yield client


@pytest.fixture
def tenant(engine: Engine) -> Tenant:
    """The organization under test."""
    with session_scope() as session:
        return make_tenant(session, name="Summit Builders, Inc.")


@pytest.fixture
def other_tenant(engine: Engine) -> Tenant:
    """A second organization whose data must never be reachable from the first."""
    with session_scope() as session:
        return make_tenant(session, name="Other Contracting Co")
