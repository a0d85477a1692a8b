"""crm outbox: events for the CRM webhook, kept after delivery

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:20:10.553059
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ticketing.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", ticketing.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", ticketing.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dead_at", ticketing.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_outbox")),
    )
    with op.batch_alter_table("crm_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crm_outbox_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_crm_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("crm_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crm_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_crm_outbox_kind"))
    op.drop_table("crm_outbox")
