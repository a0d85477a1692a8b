"""The console's JSON API for the queue, conversations and their tickets: /api/console/..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from starlette.concurrency import run_in_threadpool

from ticketing.console import customer_history, service
from ticketing.console.auth import ConsoleManagerDep, ConsoleUserDep
from ticketing.console.schemas import (
    AssignIn,
    ConversationDetail,
    ConversationSummary,
    CustomerHistory,
    NoteRead,
    QueueRead,
    TextIn,
    TicketRead,
    TicketStatusIn,
)
from ticketing.console.ticket_status import set_ticket_status
from ticketing.conversations.broker import CONSOLE_TOPIC, conversation_topic
from ticketing.conversations.models import Owner
from ticketing.conversations.schemas import ConversationView, MessageView
from ticketing.conversations.views import HubDep
from ticketing.deps import DatabaseDep, NowDep, RowId, SessionDep
from ticketing.errors import NotFoundError, error_responses
from ticketing.staff import service as staff_service

router = APIRouter(
    prefix="/api/console", tags=["console"], responses=error_responses(401, 403, 404, 409)
)


@router.get("/queue", response_model=QueueRead)
def queue(_user: ConsoleUserDep, db_session: SessionDep, now: NowDep) -> QueueRead:
    """Conversations waiting for a person: most urgent first, oldest first within a priority."""
    return QueueRead(server_time=now, items=service.queue(db_session, now=now))


@router.get("/conversations", response_model=list[ConversationSummary])
def conversations(
    user: ConsoleUserDep,
    db_session: SessionDep,
    mine: Annotated[bool, Query(description="only conversations assigned to me")] = False,
    owner: Annotated[Owner | None, Query(alias="status", description="bot, human, ...")] = None,
) -> list[ConversationSummary]:
    """Conversations, newest activity first (`mine=true`: mine still with a person)."""
    if mine and owner is None:
        owner = Owner.HUMAN
    return service.conversations(
        db_session, assignee_id=user.staff_id if mine else None, owner=owner
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail)
def conversation(
    conversation_id: str, _user: ConsoleUserDep, db_session: SessionDep
) -> ConversationDetail:
    """The whole transcript (the bot's part too), what the bot collected, notes and ticket."""
    return service.detail(db_session, conversation_id)


@router.post("/conversations/{conversation_id}/claim", response_model=ConversationView)
async def claim(conversation_id: str, user: ConsoleUserDep, hub: HubDep) -> ConversationView:
    """Take a waiting conversation; 409 if another agent already has it."""
    return await hub.claim(conversation_id, user.staff_id)


@router.post("/conversations/{conversation_id}/assign", response_model=ConversationView)
async def assign(
    conversation_id: str,
    body: AssignIn,
    _manager: ConsoleManagerDep,
    hub: HubDep,
    database: DatabaseDep,
) -> ConversationView:
    """Give the conversation to someone (managers and admins; replaces the current agent)."""

    def staff_id() -> int:
        with database.session() as db_session:
            staff = staff_service.get_by_username(db_session=db_session, username=body.username)
            if staff is None or not staff.active:
                raise NotFoundError(
                    f"There is no active staff member {body.username!r}.", code="staff_not_found"
                )
            return staff.id

    return await hub.claim(conversation_id, await run_in_threadpool(staff_id), force=True)


@router.post(
    "/conversations/{conversation_id}/reply",
    response_model=MessageView,
    status_code=status.HTTP_201_CREATED,
)
async def reply(
    conversation_id: str, body: TextIn, user: ConsoleUserDep, hub: HubDep
) -> MessageView:
    """Answer the customer on their channel (takes the conversation if nobody has it)."""
    return await hub.agent_reply(
        conversation_id, user.staff_id, body.text, override=user.is_manager
    )


@router.post(
    "/conversations/{conversation_id}/notes",
    response_model=list[NoteRead],
    status_code=status.HTTP_201_CREATED,
)
async def add_note(
    conversation_id: str, body: TextIn, user: ConsoleUserDep, hub: HubDep, database: DatabaseDep
) -> list[NoteRead]:
    """An internal note for colleagues; never shown to the customer. Answers every note."""
    await hub.add_note(conversation_id, user.staff_id, body.text)

    def notes() -> list[NoteRead]:
        with database.session() as db_session:
            return service.detail(db_session, conversation_id).notes

    return await run_in_threadpool(notes)


@router.post("/conversations/{conversation_id}/hand-back", response_model=ConversationView)
async def hand_back(conversation_id: str, user: ConsoleUserDep, hub: HubDep) -> ConversationView:
    """The bot answers the customer's next message again."""
    return await hub.hand_back(conversation_id, user.staff_id, override=user.is_manager)


@router.post("/conversations/{conversation_id}/resolve", response_model=ConversationView)
async def resolve(conversation_id: str, user: ConsoleUserDep, hub: HubDep) -> ConversationView:
    """Done: the ticket is resolved and the customer is asked for a rating."""
    return await hub.resolve(conversation_id, user.staff_id, override=user.is_manager)


@router.post("/conversations/{conversation_id}/ticket-status", response_model=TicketRead)
async def ticket_status(
    conversation_id: str,
    body: TicketStatusIn,
    user: ConsoleUserDep,
    hub: HubDep,
    database: DatabaseDep,
    now: NowDep,
) -> TicketRead:
    """Set the conversation's ticket to `open`, `pending_customer` (its SLA clock pauses until
    the customer writes, which opens it again) or `pending_internal`; recorded in the ticket's
    history with you as the actor. Answers the ticket with its history."""
    ticket = await run_in_threadpool(
        set_ticket_status,
        database,
        conversation_id=conversation_id,
        user=user,
        value=body.status,
        now=now,
    )
    conversation = await run_in_threadpool(hub.view, conversation_id)
    await hub.broker.publish(CONSOLE_TOPIC, conversation.to_event())  # consoles reload it
    return ticket


@router.post("/conversations/{conversation_id}/typing", status_code=204)
async def typing(
    conversation_id: str, user: ConsoleUserDep, hub: HubDep, database: DatabaseDep
) -> Response:
    """Show the customer that an agent is typing (send at most every few seconds)."""

    def check() -> None:
        with database.session() as db_session:
            service.exists_or_raise(db_session, conversation_id)

    await run_in_threadpool(check)
    event = {"type": "typing", "who": "agent", "name": user.display_name}
    await hub.broker.publish(conversation_topic(conversation_id), event)
    return Response(status_code=204)


@router.get("/customers/{customer_id}/history", response_model=CustomerHistory)
def customer_history_view(
    customer_id: RowId, _user: ConsoleUserDep, db_session: SessionDep
) -> CustomerHistory:
    """The customer with their last orders, conversations, tickets and ratings, newest first."""
    return customer_history.get_or_raise(db_session=db_session, customer_id=customer_id)
