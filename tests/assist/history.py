"""Resolved conversations written straight into the database, for the assist tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, Direction, Message, Owner, Sender
from ticketing.staff.models import StaffUser

NOW = datetime.fromisoformat("2026-06-15T12:00:00+00:00")


def add_conversation(
    db_session: Session,
    key: str,
    turns: list[tuple[str, str]],
    *,
    agent: StaffUser | None,
    resolved: bool = True,
    customer_id: int | None = None,
    ticket_id: int | None = None,
    context: dict | None = None,
) -> Conversation:
    """`turns`: (sender, text) with sender `customer`, `agent` or `bot`."""
    conversation = Conversation(
        id=f"web-{key}",
        channel="web",
        external_id=key,
        owner=Owner.RESOLVED if resolved else Owner.HUMAN,
        customer_id=customer_id,
        ticket_id=ticket_id,
        assignee_id=agent.id if agent else None,
        context=context or {},
        created_at=NOW,
        updated_at=NOW,
        resolved_at=NOW + timedelta(minutes=30) if resolved else None,
    )
    db_session.add(conversation)
    db_session.flush()
    for n, (sender, text) in enumerate(turns):
        by_agent = sender == "agent"
        db_session.add(
            Message(
                conversation_id=conversation.id,
                direction=Direction.IN if sender == "customer" else Direction.OUT,
                sender=Sender(sender),
                sender_name=agent.display_name if by_agent and agent else None,
                staff_id=agent.id if by_agent and agent else None,
                text=text,
                payload={},
                created_at=NOW + timedelta(minutes=n),
            )
        )
    db_session.flush()
    return conversation
