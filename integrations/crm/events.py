"""The events this backend sends to the CRM and their data: a rating and an NPS answer (also
the CSV exports' rows) and a resolved ticket. No free text beyond the customer's rating comment."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from integrations.crm import outbox
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket

CSAT_RATING = "csat.rating"
TICKET_RESOLVED = "ticket.resolved"
NPS_SUBMITTED = "nps.submitted"

RATING_FIELDS = (
    "conversation_id",
    "score",
    "comment",
    "channel",
    "category",
    "agent",
    "ticket_number",
    "customer_id",
    "created_at",
    "updated_at",
)


NPS_FIELDS = (
    "conversation_id",
    "score",
    "group",
    "channel",
    "customer_id",
    "agent",
    "asked_at",
    "created_at",
)


def rating_data(
    rating: CsatRating, *, agent: str | None, ticket_number: str | None
) -> dict[str, Any]:
    """A rating as the CRM sees it (keys are `RATING_FIELDS`)."""
    return {
        "conversation_id": rating.conversation_id,
        "score": rating.score,
        "comment": rating.comment,
        "channel": rating.channel,
        "category": rating.category.value if rating.category else None,
        "agent": agent,
        "ticket_number": ticket_number,
        "customer_id": rating.customer_id,
        "created_at": rating.created_at.isoformat(),
        "updated_at": rating.updated_at.isoformat(),
    }


def nps_data(answer: NpsAnswer, *, agent: str | None) -> dict[str, Any]:
    """An NPS answer as the CRM sees it (keys are `NPS_FIELDS`); `group` is promoter (9-10),
    passive (7-8) or detractor (0-6)."""
    return {
        "conversation_id": answer.conversation_id,
        "score": answer.score,
        "group": answer.group,
        "channel": answer.channel,
        "customer_id": answer.customer_id,
        "agent": agent,
        "asked_at": answer.asked_at.isoformat(),
        "created_at": answer.created_at.isoformat(),
    }


def _username(db_session: Session, staff_id: int | None) -> str | None:
    staff = db_session.get(StaffUser, staff_id) if staff_id is not None else None
    return staff.username if staff else None


def enqueue_rating(
    db_session: Session, rating: CsatRating, *, agent_id: int | None, now: datetime
) -> None:
    """Queue `csat.rating`: each change is its own event; the same change replayed is not."""
    ticket = db_session.get(Ticket, rating.ticket_id) if rating.ticket_id is not None else None
    data = rating_data(
        rating,
        agent=_username(db_session, rating.agent_id or agent_id),
        ticket_number=ticket.number if ticket else None,
    )
    key = (rating.conversation_id, json.dumps(data, sort_keys=True))  # includes updated_at
    outbox.enqueue(db_session, kind=CSAT_RATING, data=data, now=now, key=key)


def enqueue_ticket_resolved(
    db_session: Session, ticket: Ticket, *, now: datetime, how: str
) -> None:
    """Queue `ticket.resolved` (`how`: resolved by an agent or the bot, or handed back)."""
    data = {
        "ticket_number": ticket.number,
        "category": ticket.category.value,
        "priority": ticket.priority.value,
        "source": ticket.source.value,
        "channel": ticket.channel,
        "conversation_id": ticket.conversation_id,
        "customer_id": ticket.customer_id,
        "agent": _username(db_session, ticket.assignee_id),
        "how": how,
        "created_at": ticket.created_at.isoformat(),
        "resolved_at": now.isoformat(),
        "resolution_seconds": int((now - ticket.created_at).total_seconds()),
    }
    key = (ticket.number, now.isoformat())
    outbox.enqueue(db_session, kind=TICKET_RESOLVED, data=data, now=now, key=key)


def enqueue_nps_answer(db_session: Session, answer: NpsAnswer, *, now: datetime) -> None:
    """Queue `nps.submitted`, keyed by the asking it answers: a replay is the same event."""
    data = nps_data(answer, agent=_username(db_session, answer.agent_id))
    key = (answer.conversation_id, answer.asked_at.isoformat())
    outbox.enqueue(db_session, kind=NPS_SUBMITTED, data=data, now=now, key=key)
