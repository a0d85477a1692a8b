"""A person's share of the training inbox, for the privacy export and erasure: the items and
labels of their conversations (found by the conversations' ids before erasure renames them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ticketing.training.models import InboxItem, TrainingLabel


def _items(db_session: Session, conversation_ids: Sequence[str]) -> list[InboxItem]:
    if not conversation_ids:
        return []
    query = select(InboxItem).where(InboxItem.conversation_id.in_(list(conversation_ids)))
    return list(db_session.scalars(query.order_by(InboxItem.id)))


def exported(db_session: Session, conversation_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Each inbox item (masked text, context, guesses, reasons) with its label, if any."""
    rows: list[dict[str, Any]] = []
    for item in _items(db_session, conversation_ids):
        label = item.label
        rows.append(
            {
                "conversation_id": item.conversation_id,
                "text": item.text,
                "previous_bot_text": item.previous_bot_text,
                "previous_customer_text": item.previous_customer_text,
                "guesses": item.guesses,
                "reasons": item.reasons,
                "created_at": item.created_at.isoformat(),
                "label": None
                if label is None
                else {
                    "decision": label.decision.value,
                    "intent": label.intent,
                    "labelled_by": label.labelled_by,
                    "labelled_at": label.labelled_at.isoformat(),
                },
            }
        )
    return rows


def erase(db_session: Session, conversation_ids: Sequence[str]) -> dict[str, int]:
    """Delete the inbox items and labelled examples of these conversations (the next
    `supportbot training export` leaves them out of learned.yml); how many of each."""
    if not conversation_ids:
        return {}
    ids = list(conversation_ids)
    labels = db_session.execute(delete(TrainingLabel).where(TrainingLabel.conversation_id.in_(ids)))
    items = db_session.execute(delete(InboxItem).where(InboxItem.conversation_id.in_(ids)))
    return {
        "training_labels": int(getattr(labels, "rowcount", 0) or 0),
        "training_inbox_items": int(getattr(items, "rowcount", 0) or 0),
    }
