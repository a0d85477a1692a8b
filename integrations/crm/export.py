"""Ratings and NPS answers as CSV: the same fields as the `csat.rating` and `nps.submitted`
webhook events."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.crm.events import RATING_FIELDS, nps_data, rating_data
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
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


def nps_answers_given(
    db_session: Session, *, since: datetime, until: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """NPS answers given in [since, until), oldest first (answers never change)."""
    query = (
        select(NpsAnswer, StaffUser.username)
        .outerjoin(StaffUser, NpsAnswer.agent_id == StaffUser.id)
        .where(NpsAnswer.created_at >= since)
        .order_by(NpsAnswer.created_at, NpsAnswer.id)
    )
    if until is not None:
        query = query.where(NpsAnswer.created_at < until)
    for answer, agent in db_session.execute(query):
        yield nps_data(answer, agent=agent)


def write_csv(
    rows: Iterator[dict[str, Any]], stream: TextIO, fields: Sequence[str] = RATING_FIELDS
) -> int:
    """Header plus one line per row; how many rows."""
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
