"""conversation contact reason

Why the customer got in touch, stored on the conversation (`conversations.contact_reason`
and where it came from, `contact_reason_source`), with an index for the reasons of a period.
Existing conversations get what the reports used to derive: the intent kept with a handoff
(the bot's), else the handoff ticket's category. The rollups are rebuilt on the next refresh.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ticketing.conversations.contact_reason.TASK_REASONS and ALIASES as they were at this revision
TASKS = (
    "order_status", "late_delivery", "cancel_order", "change_shipping_address", "return_item",
    "exchange_item", "refund_request", "refund_status", "damaged_or_wrong_item", "payment_issue",
    "complaint", "ask_policy", "delivery_options", "feedback",
)  # fmt: skip
ALIASES = {"return_request": "return_item", "change_address": "change_shipping_address"}
EVERY_DAY = date(1, 1, 1)  # ticketing.reports.rollup.marks.EVERY_DAY

conversations = sa.table(
    "conversations",
    sa.column("context", sa.JSON),
    sa.column("ticket_id", sa.Integer),
    sa.column("contact_reason", sa.String),
    sa.column("contact_reason_source", sa.String),
)
tickets = sa.table("tickets", sa.column("id", sa.Integer), sa.column("category", sa.String))
marks = sa.table("report_rollup_marks", sa.column("utc_day", sa.Date))


def _backfill() -> None:
    intent = conversations.c.context["intent"].as_string()
    for recorded, reason in [*((task, task) for task in TASKS), *ALIASES.items()]:
        op.execute(
            conversations.update()
            .where(conversations.c.contact_reason.is_(None), intent == recorded)
            .values(contact_reason=reason, contact_reason_source="bot")
        )
    category = (
        sa.select(tickets.c.category)
        .where(tickets.c.id == conversations.c.ticket_id)
        .scalar_subquery()
    )
    op.execute(
        conversations.update()
        .where(conversations.c.contact_reason.is_(None), conversations.c.ticket_id.is_not(None))
        .values(contact_reason=category, contact_reason_source="ticket")
    )
    op.execute(marks.insert().values(utc_day=EVERY_DAY))


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_reason", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("contact_reason_source", sa.String(length=20), nullable=True))
        batch_op.create_index(
            "ix_conversations_contact_reason_created_at",
            ["contact_reason", "created_at", "customer_id"],
            unique=False,
        )
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_contact_reason_created_at")
        batch_op.drop_column("contact_reason_source")
        batch_op.drop_column("contact_reason")
