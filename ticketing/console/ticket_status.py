"""An agent sets the status of a conversation's ticket from the console: open, waiting on the
customer (the SLA clock pauses) or waiting on a colleague, recorded in the ticket's history."""

from __future__ import annotations

from datetime import datetime

from ticketing.console.auth import ConsoleUser
from ticketing.console.schemas import TicketRead
from ticketing.console.service import ticket_read
from ticketing.conversations import lifecycle, store
from ticketing.db import Database
from ticketing.errors import NotAllowedError
from ticketing.tickets.status import agent_status, set_by_agent


def set_ticket_status(
    database: Database, *, conversation_id: str, user: ConsoleUser, value: str, now: datetime
) -> TicketRead:
    """Agents on their own or an unassigned conversation, managers on any; the ticket after
    the change (setting the status it has already changes nothing)."""
    status = agent_status(value)
    with database.session(write=True) as db_session:
        conversation = store.get_or_raise(db_session, conversation_id)
        lifecycle.check_can_act(conversation, user.staff_id, override=user.is_manager)
        if conversation.ticket_id is None:
            raise NotAllowedError(
                "This conversation has no ticket yet: it gets one when it is handed to a person.",
                code="no_ticket",
            )
        ticket = set_by_agent(
            db_session, ticket_id=conversation.ticket_id, status=status, now=now, actor=user.actor
        )
        db_session.flush()
        return ticket_read(ticket)
