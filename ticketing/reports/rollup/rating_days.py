"""`report_rating_days`: the CSAT ratings given per local day, by the rating's own channel,
category and agent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.db import Base
from ticketing.feedback.models import CsatRating
from ticketing.tickets.models import TicketCategory
from ticketing.types import enum_column

POSITIVE_MIN = 4  # a 4 or 5 counts towards CSAT


class RatingDay(Base):
    """CSAT ratings given on a local day with the channel, category and agent stored on the
    rating: how many, and how many of them were positive (4-5)."""

    __tablename__ = "report_rating_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str | None] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    ratings: Mapped[int]
    positive: Mapped[int]


def rating_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[RatingDay]:
    """Rollup rows for the ratings given in [start, end)."""
    rows = select(
        CsatRating.created_at,
        CsatRating.channel,
        CsatRating.category,
        CsatRating.agent_id,
        CsatRating.score,
    ).where(CsatRating.created_at >= start, CsatRating.created_at < end)
    counts: dict[tuple[Any, ...], list[int]] = {}
    for created, channel, category, agent, score in db_session.execute(rows):
        key = (created.astimezone(zone).date(), channel, category, agent)
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += score >= POSITIVE_MIN
    return [
        RatingDay(
            day=day,
            channel=channel,
            category=category,
            agent_id=agent,
            ratings=ratings,
            positive=positive,
        )
        for (day, channel, category, agent), (ratings, positive) in counts.items()
    ]
