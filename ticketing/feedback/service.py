"""Storing satisfaction ratings: one per conversation, changeable for a week."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.crm import events as crm_events
from ticketing.audit import service as audit_service
from ticketing.conversations import store as conversations_store
from ticketing.conversations.models import Conversation
from ticketing.errors import NotAllowedError, NotFoundError
from ticketing.feedback.models import CsatRating
from ticketing.feedback.schemas import RatingCreate, RatingRead, RatingSaved
from ticketing.tickets import follow_up
from ticketing.tickets import service as tickets_service
from ticketing.tickets.locks import lock_conversation
from ticketing.tickets.models import Ticket

CHANGE_WINDOW = timedelta(days=7)


def get_by_conversation(*, db_session: Session, conversation_id: str) -> CsatRating | None:
    return db_session.scalar(
        select(CsatRating).where(CsatRating.conversation_id == conversation_id)
    )


def get_by_conversation_or_raise(*, db_session: Session, conversation_id: str) -> CsatRating:
    rating = get_by_conversation(db_session=db_session, conversation_id=conversation_id)
    if rating is None:
        raise NotFoundError("This conversation has not been rated.", code="rating_not_found")
    return rating


def _ticket_of_conversation(db_session: Session, number: str, conversation_id: str) -> Ticket:
    """The rated ticket, which must come from the rated conversation."""
    ticket = tickets_service.get_by_number_or_raise(db_session=db_session, number=number)
    if ticket.conversation_id != conversation_id:
        raise NotFoundError(
            f"We couldn't find ticket {number} in this conversation.", code="ticket_not_found"
        )
    return ticket


def _apply(rating: CsatRating, request: RatingCreate, ticket: Ticket | None) -> None:
    rating.score = request.score
    rating.comment = request.comment
    rating.channel = request.channel or rating.channel
    if ticket is not None:
        rating.ticket_id = ticket.id
        rating.category = ticket.category
        rating.agent_id = ticket.assignee_id
        rating.customer_id = rating.customer_id or ticket.customer_id


def _crm_fields(rating: CsatRating) -> tuple[object, ...]:
    """What the CRM sees of a rating: a replay that changes none of it is no new event."""
    return (rating.score, rating.comment, rating.channel, rating.ticket_id, rating.agent_id)


def _refuse_late_change(rating: CsatRating, now: datetime) -> None:
    if now - rating.created_at <= CHANGE_WINDOW:
        return
    day = rating.created_at
    raise NotAllowedError(
        f"This conversation was already rated on {day:%B} {day.day}, {day.year}; a rating can "
        f"only be changed within {CHANGE_WINDOW.days} days.",
        code="rating_change_window_closed",
    )


def _refuse_bot_replacing_a_persons_rating(
    rating: CsatRating, conversation: Conversation | None
) -> None:
    """A rating of a conversation a person handled rates that person: only the customer's own
    answer in the hub may change it, not the action server (issue 15: 1 -> 5 by the bot)."""
    if rating.agent_id is None and (conversation is None or conversation.handed_off_at is None):
        return
    raise NotAllowedError(
        "This conversation was already rated after a colleague handled it; that rating can "
        "only be changed by answering the rating question in the chat.",
        code="rating_kept",
    )


def save(
    *,
    db_session: Session,
    request: RatingCreate,
    customer_id: int | None,
    now: datetime,
    actor: str,
    by_bot: bool = False,
) -> tuple[CsatRating, bool]:
    """Store the conversation's rating, or replace it within the change window; whether an
    earlier rating was replaced. A ticket's category and agent are kept with the rating.
    `by_bot`: the action server's rating, which never replaces one of a person's work."""
    conversation_id = request.conversation_id
    lock_conversation(db_session, purpose="rating", conversation_id=conversation_id)
    ticket = None
    if request.ticket_number:
        ticket = _ticket_of_conversation(db_session, request.ticket_number, conversation_id)
    conversation = conversations_store.get(db_session, conversation_id)
    rating = get_by_conversation(db_session=db_session, conversation_id=conversation_id)
    updated = rating is not None
    if rating is None:
        rating = CsatRating(conversation_id=conversation_id, created_at=now)
        db_session.add(rating)
    else:
        _refuse_late_change(rating, now)
        if by_bot:
            _refuse_bot_replacing_a_persons_rating(rating, conversation)
    previous = rating.score if updated else None
    crm_before = _crm_fields(rating) if updated else None
    _apply(rating, request, ticket)
    rating.customer_id = rating.customer_id or customer_id
    rating.updated_at = now
    db_session.flush()
    if _crm_fields(rating) != crm_before:
        agent_id = conversation.assignee_id if conversation else None  # as lifecycle.rate does
        crm_events.enqueue_rating(db_session, rating, agent_id=agent_id, now=now)
    if conversation is not None:
        conversations_store.record(
            db_session,
            conversation,
            "csat_submitted",
            actor=actor,
            now=now,
            data={"score": rating.score, "updated": updated, "comment": bool(rating.comment)},
        )
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="rating.updated" if updated else "rating.created",
        entity_type="csat_rating",
        entity_id=rating.id,
        changes={
            "score": [previous, rating.score] if updated else rating.score,
            "ticket": ticket.number if ticket else None,
        },
    )
    rated = ticket or (db_session.get(Ticket, rating.ticket_id) if rating.ticket_id else None)
    follow_up.open_for_low_rating(
        db_session=db_session, rating=rating, rated=rated, now=now, actor=actor
    )
    return rating, updated


def to_read(rating: CsatRating) -> RatingRead:
    """The API view of a rating."""
    return RatingRead(
        conversation_id=rating.conversation_id,
        score=rating.score,
        comment=rating.comment,
        channel=rating.channel,
        ticket_number=rating.ticket.number if rating.ticket else None,
        category=rating.category,
        agent=rating.agent.username if rating.agent else None,
        created_at=rating.created_at,
        updated_at=rating.updated_at,
        changeable_until=rating.created_at + CHANGE_WINDOW,
    )


def to_saved(rating: CsatRating, *, updated: bool) -> RatingSaved:
    """The answer to a rating: the stored rating and whether it replaced an earlier one."""
    return RatingSaved(**to_read(rating).model_dump(), updated=updated)
