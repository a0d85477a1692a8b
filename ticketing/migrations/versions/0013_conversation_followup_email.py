"""conversation follow-up email

The address a web chat customer leaves, out of business hours, for a reply by email
(`conversations.followup_email`, and when they left it, `followup_email_at`). Both empty for
every existing conversation.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ticketing.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("followup_email", sa.String(length=320), nullable=True))
        batch_op.add_column(
            sa.Column("followup_email_at", ticketing.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("followup_email_at")
        batch_op.drop_column("followup_email")
