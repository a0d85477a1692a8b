"""A low satisfaction rating (1 or 2) opens one follow-up task for a team lead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.customers.models import Customer
from ticketing.feedback.models import CsatRating
from ticketing.tickets.models import Ticket, TicketCategory, TicketSource
from ticketing.tickets.priority import Severity
from ticketing.tickets.service import open_ticket
from ticketing.tickets.sla_watch import hand_to_team_lead

LOW_RATING_MAX = 2


def get_by_conversation(*, db_session: Session, conversation_id: str) -> Ticket | None:
    """The follow-up already opened for this conversation's rating, if any."""
    query = select(Ticket).where(
        Ticket.source == TicketSource.AGENT,
        Ticket.context["follow_up_of"].as_string() == conversation_id,
    )
    return db_session.scalars(query.order_by(Ticket.id).limit(1)).first()


def _description(rating: CsatRating, rated: Ticket | None) -> str:
    about = f" about ticket {rated.number}" if rated else ""
    comment = f' and wrote: "{rating.comment}"' if rating.comment else ""
    return (
        f"The customer rated conversation {rating.conversation_id}{about} "
        f"{rating.score} out of 5{comment}. Please get in touch and follow up."
    )


def open_for_low_rating(
    *, db_session: Session, rating: CsatRating, rated: Ticket | None, now: datetime, actor: str
) -> Ticket | None:
    """The follow-up task a rating of 1 or 2 opens, once per conversation (a changed low
    rating opens no second one); None when nothing was opened."""
    if rating.score > LOW_RATING_MAX:
        return None
    conversation_id = rating.conversation_id
    if get_by_conversation(db_session=db_session, conversation_id=conversation_id) is not None:
        return None
    customer = db_session.get(Customer, rating.customer_id) if rating.customer_id else None
    ticket = open_ticket(
        db_session=db_session,
        source=TicketSource.AGENT,
        category=rated.category if rated else TicketCategory.OTHER,
        severity=Severity.HIGH,
        subject=f"Follow up a low rating ({rating.score}/5)",
        description=_description(rating, rated),
        order=rated.order if rated else None,
        customer=customer,
        conversation_id=None,  # not the conversation's ticket: a handoff must not reuse it
        channel=rating.channel,
        context={
            "follow_up_of": conversation_id,
            "score": rating.score,
            "ticket": rated.number if rated else None,
        },
        now=now,
        actor=actor,
        details={"follow_up_of": conversation_id},
    )
    hand_to_team_lead(db_session, ticket, now=now, how="low_rating", actor=actor)
    return ticket
