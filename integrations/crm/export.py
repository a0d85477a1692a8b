"""Ratings as CSV: the same fields as the `csat.rating` webhook events."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.crm.events import RATING_FIELDS, rating_data
from ticketing.feedback.models import CsatRating
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket


def ratings_changed(
    db_session: Session, *, since: datetime, until: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Ratings given or changed in [since, until), oldest change first."""
    query = (
        select(CsatRating, StaffUser.username, Ticket.number)
        .outerjoin(StaffUser, CsatRating.agent_id == StaffUser.id)
        .outerjoin(Ticket, CsatRating.ticket_id == Ticket.id)
        .where(CsatRating.updated_at >= since)
        .order_by(CsatRating.updated_at, CsatRating.id)
    )
    if until is not None:
        query = query.where(CsatRating.updated_at < until)
    for rating, agent, ticket_number in db_session.execute(query):
        yield rating_data(rating, agent=agent, ticket_number=ticket_number)


def write_csv(rows: Iterator[dict[str, Any]], stream: TextIO) -> int:
    """Header plus one line per row; how many rows."""
    writer = csv.DictWriter(stream, fieldnames=RATING_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
