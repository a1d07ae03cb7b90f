"""The one migration history builds exactly the schema the models describe, on every backend."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from coverwatch.db import make_engine
from coverwatch.migrate import upgrade
from coverwatch.models import Base
from coverwatch.procore.models import ProcoreConnection


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_procore_connection_made_before_the_tracking_rule_keeps_the_whole_directory(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine=engine, revision="0007")
    now = "2026-11-30 12:00:00.000000"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organizations (id, slug, name, settings, created_at) "
                "VALUES (1, 'summit', 'Summit Builders', '{}', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO procore_connections (id, org_id, environment, api_base_url, "
                "login_base_url, company_id, company_name, grant_type, client_id, "
                "client_secret_encrypted, token_version, namespace, writeback_level, "
                "work_order_contracts, active, hooks, created_at, updated_at) VALUES "
                "(1, 1, 'production', 'https://api.procore.com', 'https://login.procore.com', "
                "8089, 'Summit', 'client_credentials', 'id', 'x', 0, 'coverwatch', 'project', "
                "0, 1, '{}', :now, :now)"
            ),
            {"now": now},
        )
    upgrade(engine=engine)
    with Session(engine) as session:
        connection = session.get(ProcoreConnection, 1)
        assert connection is not None
        assert connection.tracking == {"mode": "directory"}
        assert connection.keep_procore_notifications is False
        assert connection.refused_deliveries == 0 and connection.install_report == {}
    engine.dispose()
