"""Round-robin assignment of waiting conversations to online agents with room for more.

Waiting conversations are taken most urgent first, then oldest first; among online agents
under capacity, the one assigned longest ago gets the next conversation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.agents.models import AgentState, Presence
from ticketing.conversations import store
from ticketing.conversations.models import Conversation, Owner
from ticketing.staff.models import StaffUser
from ticketing.tickets import service as tickets_service
from ticketing.tickets.locks import lock_conversation
from ticketing.tickets.models import Ticket, TicketPriority, TicketStatus

PRIORITY_RANK = {
    TicketPriority.URGENT: 0,
    TicketPriority.HIGH: 1,
    TicketPriority.NORMAL: 2,
    TicketPriority.LOW: 3,
}


def state_of(db_session: Session, staff_id: int) -> AgentState:
    """The agent's presence row, created (away) the first time it is needed."""
    state = db_session.get(AgentState, staff_id)
    if state is None:
        state = AgentState(staff_id=staff_id, presence=Presence.AWAY)
        db_session.add(state)
        db_session.flush()
    return state


def open_counts(db_session: Session) -> dict[int, int]:
    """How many conversations each agent has open (owned by a human, assigned to them)."""
    rows = db_session.execute(
        select(Conversation.assignee_id, func.count())
        .where(Conversation.owner == Owner.HUMAN, Conversation.assignee_id.is_not(None))
        .group_by(Conversation.assignee_id)
    )
    return {int(staff_id): int(count) for staff_id, count in rows}


def waiting(db_session: Session) -> list[Conversation]:
    """Conversations handed to a person that nobody has yet: most urgent, then oldest first."""
    conversations = list(
        db_session.scalars(
            select(Conversation).where(
                Conversation.owner == Owner.HUMAN, Conversation.assignee_id.is_(None)
            )
        )
    )
    return sorted(conversations, key=queue_key)


def queue_key(conversation: Conversation) -> tuple[int, datetime]:
    ticket = conversation.ticket
    rank = PRIORITY_RANK.get(ticket.priority, 2) if ticket else 2
    return rank, conversation.handed_off_at or conversation.created_at


def assign(
    db_session: Session,
    conversation: Conversation,
    staff: StaffUser,
    *,
    now: datetime,
    actor: str,
    how: str,
) -> None:
    """Give the conversation (and its ticket) to `staff`; recorded as `agent_assigned`."""
    previous = conversation.assignee_id
    conversation.assignee_id = staff.id
    conversation.updated_at = now
    state_of(db_session, staff.id).last_assigned_at = now
    ticket: Ticket | None = conversation.ticket
    if ticket is not None:
        ticket.assignee_id = staff.id
        if ticket.status == TicketStatus.NEW:
            ticket.status = TicketStatus.OPEN
        tickets_service.add_event(
            ticket=ticket, kind="assigned", actor=actor, now=now, data={"agent": staff.username}
        )
    store.record(
        db_session,
        conversation,
        "agent_assigned",
        actor=actor,
        now=now,
        staff_id=staff.id,
        data={"agent": staff.username, "how": how, "previous_staff_id": previous},
    )


def assign_waiting(db_session: Session, *, now: datetime) -> list[tuple[str, int]]:
    """Assign as many waiting conversations as online agents have room for; what was assigned."""
    lock_conversation(db_session, purpose="assignment", conversation_id="*")
    queue = waiting(db_session)
    if not queue:
        return []
    agents = list(
        db_session.scalars(
            select(AgentState)
            .join(StaffUser, StaffUser.id == AgentState.staff_id)
            .where(AgentState.presence == Presence.ONLINE, StaffUser.active.is_(True))
        )
    )
    counts = open_counts(db_session)
    done: list[tuple[str, int]] = []
    for conversation in queue:
        free = [a for a in agents if counts.get(a.staff_id, 0) < a.capacity]
        if not free:
            break
        epoch = datetime.min.replace(tzinfo=now.tzinfo)
        chosen = min(free, key=lambda a: (a.last_assigned_at or epoch, a.staff_id))
        assign(db_session, conversation, chosen.staff, now=now, actor="hub", how="round_robin")
        counts[chosen.staff_id] = counts.get(chosen.staff_id, 0) + 1
        done.append((conversation.id, chosen.staff_id))
    return done
