"""tickets, their history, and CSAT ratings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:12:12.398309
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ticketing.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


CATEGORIES = ("product_quality", "logistics", "after_sales", "payment", "other")


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("category", _enum(*CATEGORIES, name="ticketcategory"), nullable=False),
        sa.Column(
            "priority",
            _enum("low", "normal", "high", "urgent", name="ticketpriority"),
            nullable=False,
        ),
        sa.Column(
            "status",
            _enum(
                "new",
                "open",
                "pending_customer",
                "pending_internal",
                "resolved",
                "closed",
                name="ticketstatus",
            ),
            nullable=False,
        ),
        sa.Column("source", _enum("bot", "handoff", "agent", name="ticketsource"), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["staff_users.id"], name=op.f("fk_tickets_assignee_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_tickets_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_tickets_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    for column in (
        "assignee_id",
        "category",
        "conversation_id",
        "customer_id",
        "order_id",
        "priority",
        "status",
    ):
        op.create_index(op.f(f"ix_tickets_{column}"), "tickets", [column], unique=False)
    op.create_index(op.f("ix_tickets_number"), "tickets", ["number"], unique=True)

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_events_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    op.create_index(
        op.f("ix_ticket_events_ticket_id"), "ticket_events", ["ticket_id"], unique=False
    )

    op.create_table(
        "csat_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("category", _enum(*CATEGORIES, name="ticketcategory"), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score >= 1 AND score <= 5", name=op.f("ck_csat_ratings_score_range")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["staff_users.id"], name=op.f("fk_csat_ratings_agent_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_csat_ratings_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_csat_ratings_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_csat_ratings")),
    )
    for column in ("agent_id", "created_at", "customer_id", "ticket_id"):
        op.create_index(op.f(f"ix_csat_ratings_{column}"), "csat_ratings", [column], unique=False)
    op.create_index(
        op.f("ix_csat_ratings_conversation_id"), "csat_ratings", ["conversation_id"], unique=True
    )


def downgrade() -> None:
    op.drop_table("csat_ratings")
    op.drop_table("ticket_events")
    op.drop_table("tickets")
