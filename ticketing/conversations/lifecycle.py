"""The conversation's life: bot -> human (handoff) -> resolved -> CSAT asked -> closed, and
back to the bot when the customer writes again. Synchronous steps inside one transaction."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session, object_session

from integrations.crm import events as crm_events
from ticketing.agents import assignment
from ticketing.conversations import bot_record, contact_reason, store
from ticketing.conversations.models import Conversation, CsatState, Owner
from ticketing.errors import ConflictError, NotAllowedError, PermissionDeniedError
from ticketing.feedback import service as feedback_service
from ticketing.feedback.schemas import RatingCreate
from ticketing.staff.models import StaffUser
from ticketing.tickets import service as tickets_service
from ticketing.tickets.models import DONE_STATUSES, Ticket, TicketStatus

CSAT_PAYLOAD = re.compile(r"^/csat\s*([1-5])$")
CSAT_TEXT = re.compile(r"^\s*([1-5])\s*(?:stars?|/\s*5|out of 5)?\s*[.!]*\s*$", re.IGNORECASE)
STARS = re.compile(r"^\s*(★{1,5})\s*$")
# What a handoff keeps of the conversation's context (the ticket's summary replaces the rest).
KEPT = (bot_record.COLLECTED,)


def handed_off(
    db_session: Session, *, ticket: Ticket, now: datetime, actor: str, reason: str
) -> Conversation | None:
    """The conversation behind a handoff ticket now belongs to a person (called in the handoff's
    transaction); the first free agent gets it. None when the ticket has no hub conversation."""
    if not ticket.conversation_id:
        return None
    conversation = store.get(db_session, ticket.conversation_id)
    if conversation is None:
        return None
    conversation.ticket_id = ticket.id
    conversation.customer_id = conversation.customer_id or ticket.customer_id
    kept = {key: value for key, value in (conversation.context or {}).items() if key in KEPT}
    conversation.context = {**kept, **(ticket.context or {}), "reason": reason}
    contact_reason.from_bot(conversation, (ticket.context or {}).get("intent"))
    contact_reason.from_ticket(conversation, ticket.category)
    if conversation.owner != Owner.HUMAN:
        conversation.owner = Owner.HUMAN
        conversation.assignee_id = None
        conversation.handed_off_at = now
        conversation.first_human_reply_at = None
        conversation.csat_state = CsatState.NONE
        conversation.nps_asked_at = None
        conversation.updated_at = now
        store.record(
            db_session,
            conversation,
            "bot_handoff",
            actor=actor,
            now=now,
            data={"reason": reason, "ticket": ticket.number},
        )
        db_session.flush()
        assignment.assign_waiting(db_session, now=now)
    return conversation


def claim(
    db_session: Session, conversation: Conversation, staff: StaffUser, *, now: datetime, force: bool
) -> None:
    """An agent takes the conversation; someone else's needs `force` (a manager reassigning)."""
    if conversation.owner != Owner.HUMAN:
        raise NotAllowedError(
            "Only a conversation handed to a person can be claimed.", code="not_waiting"
        )
    if conversation.assignee_id == staff.id:
        return
    if conversation.assignee_id is not None and not force:
        raise ConflictError(
            "Another agent already has this conversation; ask a manager to reassign it.",
            code="already_assigned",
        )
    assignment.assign(
        db_session, conversation, staff, now=now, actor=f"staff:{staff.username}", how="claimed"
    )


def check_can_act(conversation: Conversation, staff_id: int | None, *, override: bool) -> None:
    """Agents act on conversations that are theirs or nobody's; `override` (managers) on any."""
    if override or staff_id is None or conversation.assignee_id in {None, staff_id}:
        return
    raise PermissionDeniedError(
        "Another agent has this conversation; claim it first or ask a manager to reassign it.",
        code="not_your_conversation",
    )


def agent_replied(
    conversation: Conversation, staff: StaffUser, db_session: Session, now: datetime
) -> None:
    """The first reply of a person after the handoff is when first response time stops."""
    if conversation.owner != Owner.HUMAN:
        raise NotAllowedError(
            "This conversation is not with a person: claim it or wait for a handoff.",
            code="not_with_agent",
        )
    if conversation.assignee_id is None:
        assignment.assign(
            db_session, conversation, staff, now=now, actor=f"staff:{staff.username}", how="replied"
        )
    if conversation.first_human_reply_at is None:
        conversation.first_human_reply_at = now
        store.record(
            db_session,
            conversation,
            "first_human_reply",
            actor=f"staff:{staff.username}",
            staff_id=staff.id,
            now=now,
            data={"seconds": _seconds(conversation.handed_off_at, now)},
        )


def _seconds(start: datetime | None, end: datetime) -> int | None:
    return int((end - start).total_seconds()) if start else None


def _close_ticket(conversation: Conversation, *, now: datetime, actor: str, kind: str) -> None:
    ticket = conversation.ticket
    if ticket is None or ticket.status in DONE_STATUSES:
        return
    ticket.status = TicketStatus.RESOLVED
    ticket.updated_at = now
    tickets_service.add_event(ticket=ticket, kind=kind, actor=actor, now=now)
    db_session = object_session(ticket)
    if db_session is not None:
        crm_events.enqueue_ticket_resolved(db_session, ticket, now=now, how=kind)


def resolve(
    db_session: Session,
    conversation: Conversation,
    *,
    now: datetime,
    actor: str,
    staff_id: int | None,
) -> None:
    """Done: the ticket is resolved and the customer will be asked for one rating."""
    if conversation.owner in {Owner.RESOLVED, Owner.CLOSED}:
        raise NotAllowedError("This conversation is already resolved.", code="already_resolved")
    by_bot = conversation.owner == Owner.BOT
    conversation.owner = Owner.RESOLVED
    conversation.resolved_at = now
    conversation.updated_at = now
    conversation.csat_state = CsatState.ASKED
    conversation.nps_asked_at = None  # a new resolution: a question still waiting is closed
    _close_ticket(conversation, now=now, actor=actor, kind="resolved")
    seconds = _seconds(conversation.created_at, now)
    kind = "bot_resolved" if by_bot else "resolved"
    store.record(
        db_session,
        conversation,
        kind,
        actor=actor,
        now=now,
        staff_id=staff_id,
        data={"seconds": seconds},
    )
    store.record(
        db_session, conversation, "csat_requested", actor=actor, now=now, staff_id=staff_id
    )


def hand_back(
    db_session: Session, conversation: Conversation, staff: StaffUser, *, now: datetime
) -> None:
    """The person is done; the bot answers the next message again."""
    if conversation.owner != Owner.HUMAN:
        raise NotAllowedError(
            "Only a conversation with a person can be handed back.", code="not_with_agent"
        )
    actor = f"staff:{staff.username}"
    conversation.owner = Owner.BOT
    conversation.assignee_id = None
    conversation.updated_at = now
    _close_ticket(conversation, now=now, actor=actor, kind="handed_back")
    store.record(db_session, conversation, "handed_back", actor=actor, now=now, staff_id=staff.id)


def reopen(db_session: Session, conversation: Conversation, *, now: datetime) -> None:
    """A new message after resolution: the bot answers again (resolution time restarts)."""
    conversation.owner = Owner.BOT
    conversation.csat_state = CsatState.NONE
    conversation.nps_asked_at = None
    conversation.assignee_id = None
    conversation.updated_at = now
    store.record(db_session, conversation, "reopened", actor="customer", now=now)


def rating_in(text: str | None, payload: str | None) -> int | None:
    """A 1-5 score if the message answers the rating question (button, digit or stars)."""
    for candidate, pattern in ((payload, CSAT_PAYLOAD), (text, CSAT_PAYLOAD), (text, CSAT_TEXT)):
        match = pattern.match(candidate.strip()) if candidate else None
        if match:
            return int(match.group(1))
    stars = STARS.match(text or "")
    return len(stars.group(1)) if stars else None


def rate(
    db_session: Session,
    conversation: Conversation,
    *,
    score: int | None,
    comment: str | None,
    now: datetime,
    final: bool = False,
) -> None:
    """Store the customer's rating (and later its comment) with the ticket, agent and category.
    Unless `final` or a comment came with it, the next message is taken as the comment."""
    existing = feedback_service.get_by_conversation(
        db_session=db_session, conversation_id=conversation.id
    )
    if score is None:
        if existing is None:
            raise NotAllowedError("Give a rating from 1 to 5 first.", code="rating_required")
        score = existing.score
    request = RatingCreate(
        conversation_id=conversation.id,
        score=score,
        comment=comment if comment is not None else (existing.comment if existing else None),
        channel=conversation.channel,
        ticket_number=conversation.ticket.number if conversation.ticket else None,
    )
    rating, _updated = feedback_service.save(
        db_session=db_session,
        request=request,
        customer_id=conversation.customer_id,
        now=now,
        actor=f"customer:{conversation.id}",
    )
    if rating.agent_id is None and conversation.assignee_id is not None:
        rating.agent_id = conversation.assignee_id
    if comment is None and not final:
        conversation.csat_state = CsatState.COMMENT
    else:
        conversation.csat_state = CsatState.DONE
        conversation.owner = Owner.CLOSED
    conversation.updated_at = now
