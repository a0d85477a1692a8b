"""nps: answers to the 0-10 question, and when a conversation's question was asked

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ticketing.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends: no copy of `conversations`, which SQLite could not
    # drop while messages and events reference it with foreign keys on.
    op.add_column(
        "conversations",
        sa.Column("nps_asked_at", ticketing.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "nps_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 10", name=op.f("ck_nps_answers_score_range")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["staff_users.id"], name=op.f("fk_nps_answers_agent_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_nps_answers_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nps_answers")),
        sa.UniqueConstraint(
            "conversation_id", "asked_at", name=op.f("uq_nps_answers_conversation_id_asked_at")
        ),
    )
    for column in ("agent_id", "conversation_id", "created_at", "customer_id"):
        op.create_index(op.f(f"ix_nps_answers_{column}"), "nps_answers", [column], unique=False)


def downgrade() -> None:
    op.drop_table("nps_answers")
    op.drop_column("conversations", "nps_asked_at")  # SQLite 3.35+ drops it in place
