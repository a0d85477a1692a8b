"""report rollups

Daily rollups behind the report pages (`ticketing/reports/rollup/`): the marks of changed days,
the state of the build, and one table per metric family, each by shop-local day. The first
report after the upgrade builds them, or `supportbot reports rebuild` does.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 01:09:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "report_backlog_days",
    "report_conversation_days",
    "report_delivery_days",
    "report_duration_days",
    "report_nps_days",
    "report_rating_days",
    "report_reopen_days",
    "report_resolution_days",
    "report_rollup_marks",
    "report_rollup_state",
    "report_sla_days",
    "report_survey_days",
)


def _category() -> sa.Enum:
    return sa.Enum(
        "product_quality",
        "logistics",
        "after_sales",
        "payment",
        "other",
        name="ticketcategory",
        native_enum=False,
        create_constraint=True,
        length=32,
    )


def upgrade() -> None:
    op.create_table(
        "report_backlog_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("net_change", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_backlog_days")),
    )
    with op.batch_alter_table("report_backlog_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_backlog_days_day"), ["day"], unique=False)
        batch_op.create_index(
            "ix_report_backlog_days_day_channel", ["day", "channel"], unique=False
        )

    op.create_table(
        "report_conversation_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
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

    op.create_table(
        "report_delivery_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("refund_day", sa.Date(), nullable=True),
        sa.Column("return_day", sa.Date(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_delivery_days")),
    )
    with op.batch_alter_table("report_delivery_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_delivery_days_day"), ["day"], unique=False)

    op.create_table(
        "report_duration_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_duration_days")),
    )
    with op.batch_alter_table("report_duration_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_duration_days_day"), ["day"], unique=False)

    op.create_table(
        "report_nps_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("promoters", sa.Integer(), nullable=False),
        sa.Column("detractors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_nps_days")),
    )
    with op.batch_alter_table("report_nps_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_nps_days_day"), ["day"], unique=False)

    op.create_table(
        "report_rating_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("category", _category(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_rating_days")),
    )
    with op.batch_alter_table("report_rating_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_rating_days_day"), ["day"], unique=False)

    op.create_table(
        "report_reopen_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("previous_day", sa.Date(), nullable=True),
        sa.Column("previous_own_day", sa.Date(), nullable=True),
        sa.Column("previous_team_day", sa.Date(), nullable=True),
        sa.Column("reopened_day", sa.Date(), nullable=True),
        sa.Column("resolutions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_reopen_days")),
    )
    with op.batch_alter_table("report_reopen_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_reopen_days_day"), ["day"], unique=False)
        batch_op.create_index("ix_report_reopen_days_day_channel", ["day", "channel"], unique=False)

    op.create_table(
        "report_resolution_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("category", _category(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_resolution_days")),
    )
    with op.batch_alter_table("report_resolution_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_resolution_days_day"), ["day"], unique=False)

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
        "report_sla_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", _category(), nullable=False),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "high",
                "urgent",
                name="ticketpriority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("breached", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("shared_ticket_id", sa.Integer(), nullable=True),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_sla_days")),
    )
    with op.batch_alter_table("report_sla_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_sla_days_day"), ["day"], unique=False)
        batch_op.create_index("ix_report_sla_days_day_channel", ["day", "channel"], unique=False)

    op.create_table(
        "report_survey_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("category", _category(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("surveys", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_survey_days")),
    )
    with op.batch_alter_table("report_survey_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_survey_days_day"), ["day"], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
