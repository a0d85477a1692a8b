"""report message days

Customer messages and the ones the bot did not understand per local day
(`report_message_days`), so the reports' fallback rate reads a rollup instead of every
message; `messages` gets an index on (created_at, sender) for rebuilding a day. The rollups
are rebuilt on the next refresh, which fills the new table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 21:30:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVERY_DAY = date(1, 1, 1)  # ticketing.reports.rollup.marks.EVERY_DAY
marks = sa.table("report_rollup_marks", sa.column("utc_day", sa.Date))


def upgrade() -> None:
    op.create_table(
        "report_message_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("customer_messages", sa.Integer(), nullable=False),
        sa.Column("misunderstood", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_message_days")),
    )
    with op.batch_alter_table("report_message_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_message_days_day"), ["day"], unique=False)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_created_at_sender", ["created_at", "sender"])
    op.execute(marks.insert().values(utc_day=EVERY_DAY))


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_created_at_sender")
    op.drop_table("report_message_days")
