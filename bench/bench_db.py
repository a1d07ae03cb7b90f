"""Set-up shared by the database benchmarks: a fresh data folder and database, an org, a project.

Call `fresh_database` before importing anything from coverwatch: settings are read once.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def fresh_database(database_url: str | None) -> Any:
    """A throw-away data folder and a migrated, empty database (the given one, which is wiped)."""
    os.environ["COVERWATCH_DATA_DIR"] = tempfile.mkdtemp(prefix="coverwatch-bench-")
    if database_url:
        os.environ["COVERWATCH_DATABASE_URL"] = database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import text

    from coverwatch.db import get_engine
    from coverwatch.migrate import upgrade

    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine=engine)
    return engine


def bench_project(session: Any) -> tuple[Any, Any]:
    """The benchmark's organization and its one ground-up project."""
    from coverwatch.orgs.service import create_organization
    from coverwatch.projects.schemas import ProjectIn
    from coverwatch.projects.service import create_project

    org = create_organization(session, name="Bench Builders")
    project = create_project(
        session,
        org_id=org.id,
        actor="bench",
        data=ProjectIn(
            name="Bench Tower", template="ground-up", certificate_holder="Summit Builders, Inc."
        ),
    )
    return org, project
