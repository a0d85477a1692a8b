"""Conversations started, how many the bot contained and how many it handed to a person."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.models import ConversationDay
from ticketing.reports.rollup.reading import sums_per_bucket
from ticketing.reports.series import Row, Series
from ticketing.reports.sqlmath import ratio


def _row(counts: list[int]) -> Row:
    total, handoffs, contained = counts
    return {
        "conversations": total,
        "handed_off": handoffs,
        "handoff_rate": ratio(handoffs, total),
        "contained": contained,
        "containment_rate": ratio(contained, total),
    }


def volume(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    """Every conversation starts with the bot, so all started conversations are bot
    conversations. Contained: the bot resolved it and it was never handed off (by range end).
    Read from the daily rollups, which keep the day of the first handoff and bot resolution."""
    last = buckets[-1].last
    n = ConversationDay.conversations
    handed = ConversationDay.handoff_day <= last  # NULL (never) is not true
    contained = case((handed, 0), (ConversationDay.bot_resolved_day <= last, n), else_=0)
    counts = sums_per_bucket(
        db_session, ConversationDay, [n, case((handed, n), else_=0), contained], buckets, filters
    )
    return counts.series(_row)
