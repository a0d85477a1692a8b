"""Agents' presence and capacity, the team overview, and the shared canned replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.agents import assignment
from ticketing.agents.models import DEFAULT_CAPACITY, AgentState, CannedReply, Presence
from ticketing.console.schemas import AgentRead, CannedReplyCreate, PresenceUpdate
from ticketing.errors import ConflictError, NotFoundError
from ticketing.staff.models import StaffUser


def _read(staff: StaffUser, state: AgentState | None, open_count: int) -> AgentRead:
    return AgentRead(
        username=staff.username,
        display_name=staff.display_name,
        role=staff.role,
        team=staff.team,
        presence=state.presence if state else Presence.AWAY,
        capacity=state.capacity if state else DEFAULT_CAPACITY,
        open_count=open_count,
    )


def get(*, db_session: Session, staff: StaffUser) -> AgentRead:
    """The staff member's presence, capacity and open conversations."""
    state = assignment.state_of(db_session, staff.id)
    return _read(staff, state, assignment.open_counts(db_session).get(staff.id, 0))


def update(
    *, db_session: Session, staff: StaffUser, change: PresenceUpdate, now: datetime
) -> AgentRead:
    """Go online or away, or change how many conversations one takes at once."""
    state = assignment.state_of(db_session, staff.id)
    if change.presence is not None:
        state.presence = change.presence
    if change.capacity is not None:
        state.capacity = change.capacity
    state.updated_at = now
    db_session.flush()
    return get(db_session=db_session, staff=staff)


def list_agents(*, db_session: Session) -> list[AgentRead]:
    """Every active staff member with presence, capacity and open count (online first)."""
    staff = db_session.scalars(select(StaffUser).where(StaffUser.active.is_(True)))
    states = {s.staff_id: s for s in db_session.scalars(select(AgentState))}
    counts = assignment.open_counts(db_session)
    agents = [_read(s, states.get(s.id), counts.get(s.id, 0)) for s in staff]
    return sorted(agents, key=lambda a: (a.presence != Presence.ONLINE, a.username))


def list_canned_replies(*, db_session: Session) -> list[CannedReply]:
    return list(db_session.scalars(select(CannedReply).order_by(CannedReply.title)))


def create_canned_reply(
    *, db_session: Session, request: CannedReplyCreate, now: datetime
) -> CannedReply:
    """A new canned reply; titles are unique."""
    taken = db_session.scalar(select(CannedReply).where(CannedReply.title == request.title))
    if taken is not None:
        raise ConflictError(
            f"There is already a canned reply called {request.title!r}.", code="title_taken"
        )
    reply = CannedReply(title=request.title, text=request.text, created_at=now)
    db_session.add(reply)
    db_session.flush()
    return reply


def delete_canned_reply(*, db_session: Session, reply_id: int) -> None:
    reply = db_session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFoundError(f"There is no canned reply {reply_id}.", code="canned_reply_not_found")
    db_session.delete(reply)
