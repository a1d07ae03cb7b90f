"""Alembic environment: one migration history for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from coverwatch.db import get_engine
from coverwatch.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # Batch mode lets the same ALTERs run on SQLite, which cannot alter most constraints in place.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with get_engine().connect() as new_connection:
        _run(new_connection)
        new_connection.commit()
