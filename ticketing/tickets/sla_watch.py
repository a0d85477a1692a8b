"""The SLA watch: one pass over the open tickets that warns before a target is missed and
escalates when it is (raise priority one level, hand the ticket to a team lead), each once per
ticket and target, recorded in the ticket's history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from ticketing.audit import service as audit_service
from ticketing.conversations.models import Conversation
from ticketing.policy.schemas import Policy
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.tickets.locks import lock_conversation
from ticketing.tickets.models import (
    DONE_STATUSES,
    Ticket,
    TicketPriority,
    TicketSource,
)
from ticketing.tickets.priority import raised
from ticketing.tickets.service import add_event, raise_priority
from ticketing.tickets.sla_clock import PAUSED_STATUSES, elapsed_minutes

SLA_ACTOR = "sla"
WARN_WHEN_LEFT = 0.2  # warn once no more than this share of a target remains
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
SLA_WARNING = "sla_warning"
SLA_BREACHED = "sla_breached"
# Ticket history steps that count as a person's first answer (besides the conversation's).
RESPONSE_KINDS = frozenset({"agent_reply", "first_response", "first_human_reply"})


@dataclass(frozen=True)
class SlaAction:
    """What one pass did to one ticket, for the console."""

    kind: str  # sla_warning | sla_breached
    ticket: str
    target: str  # first_response | resolution
    target_minutes: int
    elapsed_minutes: int
    priority: str
    assignee: str | None

    def to_event(self) -> dict[str, Any]:
        return {"type": "sla", **asdict(self)}


def sla_priority(ticket: Ticket) -> TicketPriority:
    """The priority the targets are measured against: the one before an SLA escalation
    raised it, so an escalation doesn't shrink the targets it is measured by."""
    for event in ticket.events:
        if event.kind == "priority_raised" and event.actor == SLA_ACTOR:
            return TicketPriority(event.data["priority"][0])
    return ticket.priority


def targets(ticket: Ticket, policy: Policy) -> dict[str, int]:
    """The ticket's targets in business minutes. A ticket an agent opened was answered by a
    person from the start, so it has no first-response target."""
    target = policy.sla.get(sla_priority(ticket).value)
    if target is None:
        return {}
    found = {RESOLUTION: target.resolution_hours * 60}
    if ticket.source != TicketSource.AGENT:
        found[FIRST_RESPONSE] = target.first_response_minutes
    return found


def first_response_at(db_session: Session, ticket: Ticket) -> datetime | None:
    """When a person first answered: the conversation's first human reply, or a reply step
    in the ticket's history."""
    moments = [event.at for event in ticket.events if event.kind in RESPONSE_KINDS]
    reply = db_session.scalar(
        select(func.min(Conversation.first_human_reply_at)).where(
            Conversation.ticket_id == ticket.id
        )
    )
    if reply is not None:
        moments.append(reply)
    return min(moments, default=None)


def pick_team_lead(db_session: Session) -> StaffUser | None:
    """The active manager with the fewest open tickets (the lowest id on a tie)."""
    open_ticket = and_(Ticket.assignee_id == StaffUser.id, Ticket.status.not_in(DONE_STATUSES))
    query = (
        select(StaffUser)
        .outerjoin(Ticket, open_ticket)
        .where(StaffUser.role == StaffRole.MANAGER, StaffUser.active.is_(True))
        .group_by(StaffUser.id)
        .order_by(func.count(Ticket.id), StaffUser.id)
        .limit(1)
    )
    return db_session.scalar(query)


def hand_to_team_lead(
    db_session: Session, ticket: Ticket, *, now: datetime, how: str, actor: str = SLA_ACTOR
) -> StaffUser | None:
    """Give the ticket to a team lead (kept when it already has an active one); who has it."""
    current = ticket.assignee
    if current is not None and current.role == StaffRole.MANAGER and current.active:
        return current
    lead = pick_team_lead(db_session)
    if lead is None:
        return current
    ticket.assignee_id = lead.id
    ticket.assignee = lead
    ticket.updated_at = now
    data = {"agent": lead.username, "how": how}
    add_event(ticket=ticket, kind="assigned", actor=actor, now=now, data=data)
    return lead


def _warn(ticket: Ticket, target: str, minutes: int, elapsed: int, now: datetime) -> SlaAction:
    data = {"target": target, "target_minutes": minutes, "elapsed_minutes": elapsed}
    add_event(ticket=ticket, kind=SLA_WARNING, actor=SLA_ACTOR, now=now, data=data)
    assignee = ticket.assignee.username if ticket.assignee else None
    return SlaAction(
        SLA_WARNING, ticket.number, target, minutes, elapsed, ticket.priority.value, assignee
    )


def _escalate(
    db_session: Session, ticket: Ticket, target: str, minutes: int, elapsed: int, now: datetime
) -> SlaAction:
    before = ticket.priority
    raise_priority(
        db_session=db_session, ticket=ticket, floor=raised(before), now=now, actor=SLA_ACTOR
    )
    lead = hand_to_team_lead(db_session, ticket, now=now, how="sla_escalation")
    assignee = lead.username if lead else None
    data = {
        "target": target,
        "target_minutes": minutes,
        "elapsed_minutes": elapsed,
        "priority": [before.value, ticket.priority.value],
        "assignee": assignee,
    }
    add_event(ticket=ticket, kind=SLA_BREACHED, actor=SLA_ACTOR, now=now, data=data)
    audit_service.record(
        db_session=db_session,
        actor=SLA_ACTOR,
        action="ticket.sla_breached",
        entity_type="ticket",
        entity_id=ticket.number,
        changes=data,
    )
    return SlaAction(
        SLA_BREACHED, ticket.number, target, minutes, elapsed, ticket.priority.value, assignee
    )


def check(db_session: Session, ticket: Ticket, policy: Policy, now: datetime) -> list[SlaAction]:
    """Warn or escalate this ticket where due and not done before."""
    if ticket.status in DONE_STATUSES or ticket.status in PAUSED_STATUSES:
        return []
    recorded = {
        (event.kind, event.data.get("target"))
        for event in ticket.events
        if event.kind in (SLA_WARNING, SLA_BREACHED)
    }
    elapsed = elapsed_minutes(ticket, now, policy.business_hours)
    actions = []
    for target, minutes in targets(ticket, policy).items():
        if (SLA_BREACHED, target) in recorded:
            continue
        if target == FIRST_RESPONSE and first_response_at(db_session, ticket) is not None:
            continue
        if elapsed >= minutes:
            actions.append(_escalate(db_session, ticket, target, minutes, int(elapsed), now))
        elif elapsed >= minutes * (1 - WARN_WHEN_LEFT) and (SLA_WARNING, target) not in recorded:
            actions.append(_warn(ticket, target, minutes, int(elapsed), now))
    return actions


def check_all(*, db_session: Session, policy: Policy, now: datetime) -> list[SlaAction]:
    """One pass of the watch over every running ticket; what it did."""
    lock_conversation(db_session, purpose="sla_watch", conversation_id="*")
    running = db_session.scalars(
        select(Ticket)
        .where(Ticket.status.not_in(DONE_STATUSES | PAUSED_STATUSES))
        .options(selectinload(Ticket.events), selectinload(Ticket.assignee))
        .order_by(Ticket.id)
    ).all()
    actions = []
    for ticket in running:
        actions.extend(check(db_session, ticket, policy, now))
        db_session.flush()  # the next team-lead pick sees this ticket's load
    return actions
