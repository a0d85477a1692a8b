"""The console's agent endpoints: my presence and capacity, the team, canned replies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ticketing.agents import service
from ticketing.agents.models import CannedReply, Presence
from ticketing.console import placeholders
from ticketing.console.auth import ConsoleManagerDep, ConsoleUser, ConsoleUserDep
from ticketing.console.schemas import AgentRead, CannedReplyCreate, CannedReplyRead, PresenceUpdate
from ticketing.conversations import store
from ticketing.conversations.views import HubDep
from ticketing.db import Database
from ticketing.deps import DatabaseDep, NowDep, RowId, SessionDep, WriteSessionDep
from ticketing.errors import NotFoundError, error_responses
from ticketing.staff.models import StaffUser

router = APIRouter(prefix="/api/console", tags=["console"])

# 401: not logged in; 403: not a console role, or a cookie-session write without the CSRF token.
CONSOLE_ERRORS = error_responses(401, 403)


def _staff(db_session: Session, user: ConsoleUser) -> StaffUser:
    staff = db_session.get(StaffUser, user.staff_id)
    if staff is None:
        raise NotFoundError("Your staff account is gone.", code="staff_not_found")
    return staff


@router.get("/me", response_model=AgentRead, responses=error_responses(401, 403, 404))
def me(user: ConsoleUserDep, db_session: WriteSessionDep) -> AgentRead:
    """My presence (online or away), capacity and open conversations."""
    return service.get(db_session=db_session, staff=_staff(db_session, user))


@router.put("/me", response_model=AgentRead, responses=error_responses(401, 403, 404))
async def update_me(
    change: PresenceUpdate, user: ConsoleUserDep, database: DatabaseDep, hub: HubDep, now: NowDep
) -> AgentRead:
    """Go online or away, or set how many conversations I take at once (1-20). Going online
    or raising the capacity hands me waiting conversations straight away."""

    def save(db: Database) -> AgentRead:
        with db.session(write=True) as db_session:
            staff = _staff(db_session, user)
            return service.update(db_session=db_session, staff=staff, change=change, now=now)

    saved = await run_in_threadpool(save, database)
    if saved.presence == Presence.ONLINE:
        await hub.set_presence_changed()

        def reread(db: Database) -> AgentRead:
            with db.session(write=True) as db_session:
                return service.get(db_session=db_session, staff=_staff(db_session, user))

        saved = await run_in_threadpool(reread, database)
    return saved


@router.get("/agents", response_model=list[AgentRead], responses=CONSOLE_ERRORS)
def agents(_manager: ConsoleManagerDep, db_session: SessionDep) -> list[AgentRead]:
    """Everyone's presence, capacity and open conversations (managers and admins)."""
    return service.list_agents(db_session=db_session)


def _canned_read(reply: CannedReply, values: dict[str, str] | None = None) -> CannedReplyRead:
    read = CannedReplyRead(id=reply.id, title=reply.title, text=reply.text)
    if values is not None:
        filled = placeholders.fill(reply.text, values)
        read.filled, read.missing = filled.text, filled.missing
    return read


@router.get("/canned-replies", response_model=list[CannedReplyRead], responses=CONSOLE_ERRORS)
def canned_replies(
    user: ConsoleUserDep,
    db_session: SessionDep,
    query: Annotated[
        str | None, Query(alias="q", max_length=200, description="in the title or text")
    ] = None,
    conversation_id: Annotated[
        str | None,
        Query(max_length=200, description="fill the placeholders from this conversation"),
    ] = None,
) -> list[CannedReplyRead]:
    """The shared canned replies, by title; `q` finds those whose title or text holds it; with
    `conversation_id` each comes `filled` for that conversation ({customer_name},
    {order_number}, {agent_name} = you), unknown or empty placeholders left in `missing`."""
    values = None
    if conversation_id is not None:
        conversation = store.get_or_raise(db_session, conversation_id)
        values = placeholders.values_for(conversation, agent_name=user.display_name)
    return [
        _canned_read(r, values)
        for r in service.list_canned_replies(db_session=db_session, query=query)
    ]


@router.post(
    "/canned-replies",
    response_model=CannedReplyRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, descriptions={409: "A reply with this title exists"}),
)
def create_canned_reply(
    body: CannedReplyCreate, _manager: ConsoleManagerDep, db_session: WriteSessionDep, now: NowDep
) -> CannedReplyRead:
    """A new canned reply (managers and admins)."""
    return _canned_read(service.create_canned_reply(db_session=db_session, request=body, now=now))


@router.put(
    "/canned-replies/{reply_id}",
    response_model=CannedReplyRead,
    responses=error_responses(
        401, 403, 404, 409, descriptions={409: "Another reply has this title"}
    ),
)
def update_canned_reply(
    reply_id: RowId,
    body: CannedReplyCreate,
    _manager: ConsoleManagerDep,
    db_session: WriteSessionDep,
) -> CannedReplyRead:
    """Change a canned reply's title and text (managers and admins)."""
    return _canned_read(
        service.update_canned_reply(db_session=db_session, reply_id=reply_id, request=body)
    )


@router.delete(
    "/canned-replies/{reply_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
def delete_canned_reply(
    reply_id: RowId, _manager: ConsoleManagerDep, db_session: WriteSessionDep
) -> Response:
    """Remove a canned reply (managers and admins)."""
    service.delete_canned_reply(db_session=db_session, reply_id=reply_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
