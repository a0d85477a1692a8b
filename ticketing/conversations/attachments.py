"""Photos and files a customer sends: kept on the message and recorded on a ticket."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation
from ticketing.tickets import service as tickets_service
from ticketing.tickets.models import DONE_STATUSES, Ticket, TicketCategory, TicketSource
from ticketing.tickets.priority import Severity


def ticket_for(db_session: Session, conversation: Conversation) -> Ticket | None:
    """The conversation's linked ticket, else its newest ticket that is still open."""
    if conversation.ticket is not None and conversation.ticket.status not in DONE_STATUSES:
        return conversation.ticket
    return db_session.scalar(
        select(Ticket)
        .where(Ticket.conversation_id == conversation.id, Ticket.status.not_in(DONE_STATUSES))
        .order_by(Ticket.id.desc())
        .limit(1)
    )


def attachments_for_ticket(
    db_session: Session,
    conversation: Conversation,
    attachments: list[dict[str, Any]],
    now: datetime,
) -> Ticket:
    """Record the files on the conversation's open ticket, opening one when there is none."""
    ticket = ticket_for(db_session, conversation)
    if ticket is None:
        ticket = tickets_service.open_ticket(
            db_session=db_session,
            source=TicketSource.BOT,
            category=TicketCategory.AFTER_SALES,
            severity=Severity.MEDIUM,
            subject="Files sent by the customer",
            description=f"The customer sent {len(attachments)} file(s) in the chat.",
            order=None,
            customer=conversation.customer,
            conversation_id=conversation.id,
            channel=conversation.channel,
            context={},
            now=now,
            actor="hub",
        )
    tickets_service.add_event(
        ticket=ticket,
        kind="attachment",
        actor="customer",
        now=now,
        data={"attachments": attachments},
    )
    ticket.updated_at = now
    return ticket
