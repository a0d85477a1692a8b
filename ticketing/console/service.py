"""Reading the queue and conversations for the console (synchronous, one session each)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.agents import assignment
from ticketing.console import collected
from ticketing.console.schemas import (
    ConversationDetail,
    ConversationRating,
    ConversationSummary,
    EventRead,
    NoteRead,
    QueueItem,
    TicketRead,
)
from ticketing.conversations import store
from ticketing.conversations.models import Conversation, Message, Owner, Sender
from ticketing.conversations.schemas import ConversationView, MessageView
from ticketing.feedback import service as feedback_service
from ticketing.tickets.models import Ticket

LIST_LIMIT = 200
PREVIEW_CHARS = 140
NOTE_KIND = "note"


def _context(conversation: Conversation) -> dict[str, Any]:
    return conversation.context or {}


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _last_customer_messages(db_session: Session, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    newest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(ids), Message.sender == Sender.CUSTOMER)
        .group_by(Message.conversation_id)
    )
    rows = db_session.execute(
        select(Message.conversation_id, Message.text).where(Message.id.in_(newest))
    )
    return {cid: (text or "")[:PREVIEW_CHARS] for cid, text in rows}


def queue(db_session: Session, *, now: datetime) -> list[QueueItem]:
    """Waiting conversations, most urgent first and oldest first within a priority."""
    waiting = assignment.waiting(db_session)
    previews = _last_customer_messages(db_session, [c.id for c in waiting])
    items = []
    for conversation in waiting:
        context = _context(conversation)
        since = conversation.handed_off_at or conversation.created_at
        ticket = conversation.ticket
        items.append(
            QueueItem(
                id=conversation.id,
                channel=conversation.channel,
                who=collected.who(conversation),
                request=collected.request(conversation),
                priority=ticket.priority.value if ticket else "normal",
                ticket_number=ticket.number if ticket else None,
                waiting_since=since,
                wait_seconds=max(int((now - since).total_seconds()), 0),
                intent=_text(context.get("intent")),
                order_number=collected.order_number(conversation),
                reason=_text(context.get("reason")),
                last_customer_message=previews.get(conversation.id),
            )
        )
    return items


def conversations(
    db_session: Session, *, assignee_id: int | None, owner: Owner | None
) -> list[ConversationSummary]:
    """Conversations, newest activity first, optionally only one agent's or one state's."""
    query = select(Conversation)
    if assignee_id is not None:
        query = query.where(Conversation.assignee_id == assignee_id)
    if owner is not None:
        query = query.where(Conversation.owner == owner)
    query = query.order_by(Conversation.last_message_at.desc().nulls_last(), Conversation.id).limit(
        LIST_LIMIT
    )
    return [_summary(c) for c in db_session.scalars(query)]


def _summary(conversation: Conversation) -> ConversationSummary:
    view = ConversationView.of(conversation)
    return ConversationSummary(
        id=view.id,
        channel=view.channel,
        who=collected.who(conversation),
        owner=view.owner,
        agent_username=view.agent_username,
        agent_name=view.agent_name,
        ticket_number=view.ticket_number,
        priority=view.priority,
        intent=_text(view.context.get("intent")),
        handed_off_at=view.handed_off_at,
        last_message_at=view.last_message_at,
    )


def ticket_read(ticket: Ticket) -> TicketRead:
    """The ticket with its history, oldest step first."""
    return TicketRead(
        number=ticket.number,
        status=ticket.status.value,
        priority=ticket.priority.value,
        category=ticket.category.value,
        subject=ticket.subject,
        description=ticket.description,
        history=[
            EventRead(kind=e.kind, actor=e.actor, at=e.at, data=e.data or {}) for e in ticket.events
        ],
    )


def _ticket(ticket: Ticket | None) -> TicketRead | None:
    return None if ticket is None else ticket_read(ticket)


def detail(db_session: Session, conversation_id: str) -> ConversationDetail:
    """Everything an agent needs: transcript (bot part too), what the bot collected, notes."""
    conversation = store.get_or_raise(db_session, conversation_id)
    events = store.events(db_session, conversation_id)
    return ConversationDetail(
        conversation=ConversationView.of(conversation),
        who=collected.who(conversation),
        messages=[MessageView.of(m) for m in store.messages(db_session, conversation_id)],
        collected=collected.collected(conversation),
        ticket=_ticket(conversation.ticket),
        notes=[
            NoteRead(
                id=e.id,
                author=str(e.data.get("author") or e.actor),
                text=str(e.data.get("text", "")),
                at=e.at,
            )
            for e in events
            if e.kind == NOTE_KIND
        ],
        events=[
            EventRead(kind=e.kind, actor=e.actor, at=e.at, data=e.data)
            for e in events
            if e.kind != NOTE_KIND
        ],
        rating=_rating(db_session, conversation_id),
    )


def _rating(db_session: Session, conversation_id: str) -> ConversationRating | None:
    rating = feedback_service.get_by_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    if rating is None:
        return None
    return ConversationRating(
        score=rating.score,
        comment=rating.comment,
        created_at=rating.created_at,
        updated_at=rating.updated_at,
    )


def exists_or_raise(db_session: Session, conversation_id: str) -> None:
    store.get_or_raise(db_session, conversation_id)
