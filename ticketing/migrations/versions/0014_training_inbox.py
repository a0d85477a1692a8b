"""training inbox

What the bot did not understand (`training_inbox_items`: masked text, context, the bot's top
guesses, why it is there, its sentence vector) and what managers labelled it
(`training_labels`: decision, intent, batch for undo, who and when).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:48:14
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ticketing.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("previous_bot_text", sa.Text(), nullable=True),
        sa.Column("previous_customer_text", sa.Text(), nullable=True),
        sa.Column("guesses", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_inbox_items")),
        sa.UniqueConstraint(
            "conversation_id",
            "text_digest",
            name=op.f("uq_training_inbox_items_conversation_id_text_digest"),
        ),
    )
    with op.batch_alter_table("training_inbox_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_inbox_items_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_inbox_items_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "training_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "intent",
                "out_of_scope",
                "skip",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("intent", sa.String(length=100), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=False),
        sa.Column("labelled_by", sa.String(length=100), nullable=False),
        sa.Column("labelled_at", ticketing.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["training_inbox_items.id"],
            name=op.f("fk_training_labels_item_id_training_inbox_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_labels")),
        sa.UniqueConstraint("item_id", name=op.f("uq_training_labels_item_id")),
    )
    with op.batch_alter_table("training_labels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_labels_batch"), ["batch"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_training_labels_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_labels_labelled_at"), ["labelled_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_labels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_labels_labelled_at"))
        batch_op.drop_index(batch_op.f("ix_training_labels_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_training_labels_batch"))

    op.drop_table("training_labels")
    with op.batch_alter_table("training_inbox_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_inbox_items_created_at"))
        batch_op.drop_index(batch_op.f("ix_training_inbox_items_conversation_id"))

    op.drop_table("training_inbox_items")
