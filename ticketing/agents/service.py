"""Agents' presence and capacity, the team overview, and the shared canned replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ticketing.agents import assignment
from ticketing.agents.models import DEFAULT_CAPACITY, AgentState, CannedReply, Presence
from ticketing.console.schemas import AgentRead, CannedReplyCreate, PresenceUpdate
from ticketing.errors import ConflictError, NotFoundError
from ticketing.staff.models import StaffRole, StaffUser


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
        state.online_on_login = change.presence == Presence.ONLINE  # remembered for next login
    if change.capacity is not None:
        state.capacity = change.capacity
    state.updated_at = now
    db_session.flush()
    return get(db_session=db_session, staff=staff)


def online_by_default(staff: StaffUser) -> bool:
    """Agents are online after logging in; managers and admins (who also read reports) away."""
    return staff.role == StaffRole.AGENT


def log_in(*, db_session: Session, staff: StaffUser, now: datetime) -> AgentRead:
    """A console login: online, unless the agent chose Away last time (their choice is kept)."""
    state = assignment.state_of(db_session, staff.id)
    chosen = state.online_on_login
    online = online_by_default(staff) if chosen is None else chosen
    state.presence = Presence.ONLINE if online else Presence.AWAY
    state.updated_at = now
    db_session.flush()
    return get(db_session=db_session, staff=staff)


def log_out(*, db_session: Session, staff: StaffUser, now: datetime) -> None:
    """Logged out is away (the choice for the next login stays as it was)."""
    state = assignment.state_of(db_session, staff.id)
    state.presence = Presence.AWAY
    state.updated_at = now
    db_session.flush()


def list_agents(*, db_session: Session) -> list[AgentRead]:
    """Every active staff member with presence, capacity and open count (online first)."""
    staff = db_session.scalars(select(StaffUser).where(StaffUser.active.is_(True)))
    states = {s.staff_id: s for s in db_session.scalars(select(AgentState))}
    counts = assignment.open_counts(db_session)
    agents = [_read(s, states.get(s.id), counts.get(s.id, 0)) for s in staff]
    return sorted(agents, key=lambda a: (a.presence != Presence.ONLINE, a.username))


SEARCH_CHARS = 100


def list_canned_replies(*, db_session: Session, query: str | None = None) -> list[CannedReply]:
    """The canned replies by title; with `query`, those whose title or text holds it (any case)."""
    select_replies = select(CannedReply).order_by(CannedReply.title)
    words = (query or "").strip()[:SEARCH_CHARS]
    if words:
        escaped = "".join(f"\\{c}" if c in "\\%_" else c for c in words.lower())
        pattern = f"%{escaped}%"
        select_replies = select_replies.where(
            or_(
                func.lower(CannedReply.title).like(pattern, escape="\\"),
                func.lower(CannedReply.text).like(pattern, escape="\\"),
            )
        )
    return list(db_session.scalars(select_replies))


def _refuse_taken_title(db_session: Session, title: str, reply_id: int | None = None) -> None:
    query = select(CannedReply).where(func.lower(CannedReply.title) == title.lower())
    if reply_id is not None:
        query = query.where(CannedReply.id != reply_id)
    if db_session.scalar(query) is not None:
        raise ConflictError(
            f"There is already a canned reply called {title!r}.", code="title_taken"
        )


def get_canned_reply_or_raise(*, db_session: Session, reply_id: int) -> CannedReply:
    reply = db_session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFoundError(f"There is no canned reply {reply_id}.", code="canned_reply_not_found")
    return reply


def create_canned_reply(
    *, db_session: Session, request: CannedReplyCreate, now: datetime
) -> CannedReply:
    """A new canned reply; titles are unique (whatever their case)."""
    _refuse_taken_title(db_session, request.title)
    reply = CannedReply(title=request.title, text=request.text, created_at=now)
    db_session.add(reply)
    db_session.flush()
    return reply


def update_canned_reply(
    *, db_session: Session, reply_id: int, request: CannedReplyCreate
) -> CannedReply:
    """A new title and text for a canned reply (the title still unique)."""
    reply = get_canned_reply_or_raise(db_session=db_session, reply_id=reply_id)
    _refuse_taken_title(db_session, request.title, reply_id)
    reply.title, reply.text = request.title, request.text
    db_session.flush()
    return reply


def delete_canned_reply(*, db_session: Session, reply_id: int) -> None:
    db_session.delete(get_canned_reply_or_raise(db_session=db_session, reply_id=reply_id))
