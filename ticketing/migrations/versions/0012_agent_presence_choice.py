"""agent presence choice

What an agent last chose with the console's Online/Away toggle (`agent_states.online_on_login`):
logging in to the console makes them online unless they chose Away (null: no choice yet, which
means online for agents, away for managers and admins). Logging out makes them away.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agent_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("online_on_login", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agent_states", schema=None) as batch_op:
        batch_op.drop_column("online_on_login")
