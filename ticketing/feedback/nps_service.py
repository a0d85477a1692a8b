"""NPS: when a customer may be asked (the policy, once per resolution, the cooldown), asking,
and storing an answer once with its CRM event. Synchronous, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from integrations.crm import events as crm_events
from ticketing.audit import service as audit_service
from ticketing.conversations import store
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.errors import NotAllowedError
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.policy.schemas import NpsPolicy

NPS_REQUESTED = "nps_requested"
NPS_SUBMITTED = "nps_submitted"
NPS_SKIPPED = "nps_skipped"


def _same_customer(conversation: Conversation) -> ColumnElement[bool]:
    """Events of this customer: the conversation's channel identity, and every conversation of
    its customer record when it is linked to one."""
    this: ColumnElement[bool] = ConversationEvent.conversation_id == conversation.id
    if conversation.customer_id is None:
        return this
    theirs = select(Conversation.id).where(Conversation.customer_id == conversation.customer_id)
    return or_(this, ConversationEvent.conversation_id.in_(theirs))


def _asked(db_session: Session, where: ColumnElement[bool]) -> bool:
    query = select(ConversationEvent.id).where(ConversationEvent.kind == NPS_REQUESTED, where)
    return db_session.scalar(query.limit(1)) is not None


def due(
    *, db_session: Session, conversation: Conversation, policy: NpsPolicy, now: datetime
) -> bool:
    """Whether to ask now: the policy enables it, the conversation was resolved and not asked
    since, and this customer was not asked within the last `cooldown_days`."""
    if not policy.enabled or conversation.resolved_at is None:
        return False
    if conversation.nps_asked_at is not None:  # already waiting for an answer
        return False
    this_resolution = (ConversationEvent.conversation_id == conversation.id) & (
        ConversationEvent.at >= conversation.resolved_at
    )
    if _asked(db_session, this_resolution):
        return False
    cooldown_start = now - timedelta(days=policy.cooldown_days)
    return not _asked(
        db_session, _same_customer(conversation) & (ConversationEvent.at > cooldown_start)
    )


def ask(*, db_session: Session, conversation: Conversation, now: datetime, actor: str) -> None:
    """Record the asking (`nps_requested`, what the cooldown counts); the question waits."""
    conversation.nps_asked_at = now
    conversation.updated_at = now
    store.record(
        db_session,
        conversation,
        NPS_REQUESTED,
        actor=actor,
        now=now,
        data={"customer_id": conversation.customer_id},
    )


def skip(*, db_session: Session, conversation: Conversation, now: datetime) -> None:
    """The customer wrote something else: the question is closed unanswered (and still counts
    for the cooldown)."""
    if conversation.nps_asked_at is None:
        return
    conversation.nps_asked_at = None
    store.record(db_session, conversation, NPS_SKIPPED, actor="customer", now=now)


def get_by_asking(
    *, db_session: Session, conversation_id: str, asked_at: datetime
) -> NpsAnswer | None:
    return db_session.scalar(
        select(NpsAnswer).where(
            NpsAnswer.conversation_id == conversation_id, NpsAnswer.asked_at == asked_at
        )
    )


def last_asking_answered(*, db_session: Session, conversation_id: str) -> bool:
    """Whether the conversation's most recent NPS question has an answer."""
    asked_at = db_session.scalar(
        select(ConversationEvent.at)
        .where(
            ConversationEvent.conversation_id == conversation_id,
            ConversationEvent.kind == NPS_REQUESTED,
        )
        .order_by(ConversationEvent.at.desc(), ConversationEvent.id.desc())
        .limit(1)
    )
    if asked_at is None:
        return False
    found = get_by_asking(db_session=db_session, conversation_id=conversation_id, asked_at=asked_at)
    return found is not None


def save_answer(
    *, db_session: Session, conversation: Conversation, score: int, now: datetime
) -> tuple[NpsAnswer, bool]:
    """Store the answer to the waiting question, its `nps_submitted` event and its CRM event;
    whether it is new. A second answer to the same asking stores nothing and returns the first."""
    asked_at = conversation.nps_asked_at
    if asked_at is None:
        raise NotAllowedError("No NPS question is waiting for an answer.", code="nps_not_asked")
    if not 0 <= score <= 10:
        raise NotAllowedError("An NPS answer is a number from 0 to 10.", code="nps_out_of_range")
    conversation.nps_asked_at = None
    conversation.updated_at = now
    existing = get_by_asking(
        db_session=db_session, conversation_id=conversation.id, asked_at=asked_at
    )
    if existing is not None:
        return existing, False
    ticket = conversation.ticket
    answer = NpsAnswer(
        conversation_id=conversation.id,
        score=score,
        customer_id=conversation.customer_id,
        channel=conversation.channel,
        external_id=conversation.external_id,
        agent_id=conversation.assignee_id or (ticket.assignee_id if ticket else None),
        asked_at=asked_at,
        created_at=now,
    )
    try:
        with db_session.begin_nested():  # another process answered the same asking first
            db_session.add(answer)
    except IntegrityError:
        first = get_by_asking(
            db_session=db_session, conversation_id=conversation.id, asked_at=asked_at
        )
        if first is None:
            raise
        return first, False
    actor = f"customer:{conversation.id}"
    store.record(
        db_session, conversation, NPS_SUBMITTED, actor=actor, now=now, data={"score": score}
    )
    crm_events.enqueue_nps_answer(db_session, answer, now=now)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="nps.answered",
        entity_type="nps_answer",
        entity_id=answer.id,
        changes={"score": score},
    )
    return answer, True
