"""Changing a ticket's status with a `status_changed` step in its history (the SLA clock's
pauses are read back from these steps)."""

from __future__ import annotations

from datetime import datetime

from ticketing.tickets.models import Ticket, TicketStatus
from ticketing.tickets.service import add_event

STATUS_CHANGED = "status_changed"


def set_status(*, ticket: Ticket, status: TicketStatus, now: datetime, actor: str) -> bool:
    """Move the ticket to `status`, recorded; whether anything changed."""
    if ticket.status == status:
        return False
    previous = ticket.status
    ticket.status = status
    ticket.updated_at = now
    add_event(
        ticket=ticket,
        kind=STATUS_CHANGED,
        actor=actor,
        now=now,
        data={"from": previous.value, "to": status.value},
    )
    return True
