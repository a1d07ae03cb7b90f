"""procore as documented: commitments, insurance records read, install report

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:51:49.464081
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coverwatch.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows already there get the defaults the models give new ones.
    op.create_table(
        "procore_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("procore_id", sa.BigInteger(), nullable=False),
        sa.Column("procore_project_id", sa.BigInteger(), nullable=False),
        sa.Column("procore_vendor_id", sa.BigInteger(), nullable=True),
        sa.Column("project_vendor_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("insurance_status", sa.String(length=32), nullable=True),
        sa.Column("derived_insurance_status", sa.String(length=32), nullable=True),
        sa.Column("written_hash", sa.String(length=64), nullable=True),
        sa.Column("updated_at", coverwatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["procore_connections.id"],
            name=op.f("fk_procore_commitments_connection_id_procore_connections"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_procore_commitments_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["project_vendor_id"],
            ["project_vendors.id"],
            name=op.f("fk_procore_commitments_project_vendor_id_project_vendors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procore_commitments")),
        sa.UniqueConstraint(
            "connection_id",
            "kind",
            "procore_id",
            name=op.f("uq_procore_commitments_connection_id_kind_procore_id"),
        ),
    )
    with op.batch_alter_table("procore_commitments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procore_commitments_connection_id"), ["connection_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_procore_commitments_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_procore_commitments_procore_project_id"),
            ["procore_project_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_procore_commitments_project_vendor_id"),
            ["project_vendor_id"],
            unique=False,
        )

    with op.batch_alter_table("procore_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tracking", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column(
                "keep_procore_notifications",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch_op.add_column(sa.Column("disconnected_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("install_report", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.add_column(
            sa.Column("refused_deliveries", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("last_refused_at", coverwatch.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("procore_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("webhook_secret_digest", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_procore_connections_webhook_secret_digest"),
            ["webhook_secret_digest"],
            unique=False,
        )

    # Connections made before the tracking rule tracked the whole directory: they keep doing so
    # (new ones track subcontractors, those with a commitment), so an upgrade stops no one.
    op.execute('UPDATE procore_connections SET tracking = \'{"mode": "directory"}\'')

    with op.batch_alter_table("procore_insurance_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ours", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.alter_column("origin_id", existing_type=sa.VARCHAR(length=128), nullable=True)

    with op.batch_alter_table("procore_webhook_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anomaly", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("procore_webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_column("anomaly")

    with op.batch_alter_table("procore_insurance_records", schema=None) as batch_op:
        batch_op.alter_column("origin_id", existing_type=sa.VARCHAR(length=128), nullable=False)
        batch_op.drop_column("data")
        batch_op.drop_column("ours")

    with op.batch_alter_table("procore_connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procore_connections_webhook_secret_digest"))
        batch_op.drop_column("webhook_secret_digest")
        batch_op.drop_column("last_refused_at")
        batch_op.drop_column("refused_deliveries")
        batch_op.drop_column("install_report")
        batch_op.drop_column("disconnected_reason")
        batch_op.drop_column("keep_procore_notifications")
        batch_op.drop_column("tracking")

    with op.batch_alter_table("procore_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procore_commitments_project_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_procore_commitments_procore_project_id"))
        batch_op.drop_index(batch_op.f("ix_procore_commitments_org_id"))
        batch_op.drop_index(batch_op.f("ix_procore_commitments_connection_id"))

    op.drop_table("procore_commitments")
