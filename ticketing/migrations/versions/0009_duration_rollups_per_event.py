"""duration rollups: one row per duration

`report_duration_days` and `report_resolution_days` keep one row per first reply, agent
resolution or resolved conversation with its exact seconds, instead of counts of durations
kept to 3 significant seconds: equal values were too rare to save rows, and PostgreSQL finds
medians fastest over plain values (`percentile_cont`). Their rows are emptied and the rollup
state cleared, so the first report after the upgrade (or `supportbot reports rebuild`)
builds every rollup again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("report_duration_days", "report_resolution_days")


def _rebuild_later() -> None:
    for name in (*TABLES, "report_rollup_state"):
        op.execute(sa.delete(sa.table(name)))


def upgrade() -> None:
    _rebuild_later()
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("n")
            batch_op.drop_column("total_seconds")
            batch_op.alter_column(
                "seconds", existing_type=sa.Integer(), type_=sa.Float(), existing_nullable=False
            )


def downgrade() -> None:
    _rebuild_later()
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "seconds", existing_type=sa.Float(), type_=sa.Integer(), existing_nullable=False
            )
            batch_op.add_column(sa.Column("n", sa.Integer(), nullable=False))
            batch_op.add_column(sa.Column("total_seconds", sa.Float(), nullable=False))
