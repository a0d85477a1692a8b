"""The conversation's contact reason in the console: read it with the choices, and correct it
(any agent; recorded as a `contact_reason_corrected` event with who, from and to; the
customer's request goes to the training inbox, see `ticketing.training.inbox`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ticketing.console.auth import ConsoleUserDep
from ticketing.conversations import contact_reason, store
from ticketing.conversations.models import Conversation
from ticketing.deps import NowDep, SessionDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.reports.labels import reason_label
from ticketing.training import inbox as training_inbox

router = APIRouter(
    prefix="/api/console", tags=["console"], responses=error_responses(401, 403, 404, 422)
)


class ReasonChoice(BaseModel):
    code: str
    label: str
    group: str  # "request" (what the customer asked) or "category" (a ticket category)


class ContactReasonRead(BaseModel):
    reason: str | None
    label: str | None
    source: str | None = Field(description="bot, ticket or agent; null when none is recorded")
    choices: list[ReasonChoice]


class ContactReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=100)


def _choices() -> list[ReasonChoice]:
    requests = [
        ReasonChoice(code=code, label=reason_label(code), group="request")
        for code in contact_reason.TASK_REASONS
    ]
    categories = [
        ReasonChoice(code=code, label=reason_label(code), group="category")
        for code in contact_reason.CATEGORY_REASONS
    ]
    return requests + categories


def _read(conversation: Conversation) -> ContactReasonRead:
    reason = conversation.contact_reason
    return ContactReasonRead(
        reason=reason,
        label=reason_label(reason) if reason else None,
        source=conversation.contact_reason_source,
        choices=_choices(),
    )


@router.get("/conversations/{conversation_id}/contact-reason", response_model=ContactReasonRead)
def read_contact_reason(
    conversation_id: str, _user: ConsoleUserDep, db_session: SessionDep
) -> ContactReasonRead:
    """Why the customer got in touch (as the reports count it) and the reasons to pick from."""
    return _read(store.get_or_raise(db_session, conversation_id))


@router.put("/conversations/{conversation_id}/contact-reason", response_model=ContactReasonRead)
def correct_contact_reason(
    conversation_id: str,
    body: ContactReasonIn,
    user: ConsoleUserDep,
    db_session: WriteSessionDep,
    now: NowDep,
) -> ContactReasonRead:
    """Correct the reason: it stays the agent's (the bot and tickets no longer change it)."""
    conversation = store.get_or_raise(db_session, conversation_id)
    before = conversation.contact_reason
    contact_reason.correct(conversation, body.reason)
    store.record(
        db_session,
        conversation,
        "contact_reason_corrected",
        actor=user.actor,
        staff_id=user.staff_id,
        now=now,
        data={"from": before, "to": body.reason},
    )
    if before != body.reason:  # the bot (or the ticket) read the request wrong: to the inbox
        training_inbox.record_reason_correction(db_session, conversation=conversation, now=now)
    return _read(conversation)
