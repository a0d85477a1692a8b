"""report rollups

Daily rollups behind the report pages: the marks of changed days, the build state and the
conversations started per local day (`ticketing/reports/rollup/`). The first report after the
upgrade builds them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("product_quality", "logistics", "after_sales", "payment", "other")


def upgrade() -> None:
    op.create_table(
        "report_rollup_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("utc_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_rollup_marks")),
    )
    op.create_table(
        "report_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_rollup_state")),
    )
    op.create_table(
        "report_conversation_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                *CATEGORIES,
                name="ticketcategory",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("handoff_day", sa.Date(), nullable=True),
        sa.Column("bot_resolved_day", sa.Date(), nullable=True),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_conversation_days")),
    )
    with op.batch_alter_table("report_conversation_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_conversation_days_day"), ["day"], unique=False)
        batch_op.create_index(
            "ix_report_conversation_days_day_channel", ["day", "channel"], unique=False
        )


def downgrade() -> None:
    op.drop_table("report_conversation_days")
    op.drop_table("report_rollup_state")
    op.drop_table("report_rollup_marks")
