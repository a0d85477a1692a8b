"""Conversations started, how many the bot contained and how many it handed to a person."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.models import ConversationDay
from ticketing.reports.rollup.reading import in_days, on_filter_columns
from ticketing.reports.sqlmath import ratio


def volume(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    """Every conversation starts with the bot, so all started conversations are bot
    conversations. Contained: the bot resolved it and it was never handed off (by range end).
    Read from the daily rollups, which keep the day of the first handoff and bot resolution."""
    last = buckets[-1].last
    rows = select(
        ConversationDay.day,
        ConversationDay.handoff_day,
        ConversationDay.bot_resolved_day,
        func.sum(ConversationDay.conversations),
    ).where(in_days(ConversationDay.day, buckets[0].first, last))
    rows = on_filter_columns(rows, ConversationDay, filters).group_by(
        ConversationDay.day, ConversationDay.handoff_day, ConversationDay.bot_resolved_day
    )
    firsts = [bucket.first for bucket in buckets]
    counts = [[0, 0, 0] for _ in buckets]
    for day, handoff, resolved, n in db_session.execute(rows):
        handed = handoff is not None and handoff <= last
        contained = resolved is not None and resolved <= last and not handed
        tally = counts[bisect_right(firsts, day) - 1]
        tally[0] += int(n)
        tally[1] += int(n) if handed else 0
        tally[2] += int(n) if contained else 0
    result = []
    for total, handoffs, contained in counts:
        result.append(
            {
                "conversations": total,
                "handed_off": handoffs,
                "handoff_rate": ratio(handoffs, total),
                "contained": contained,
                "containment_rate": ratio(contained, total),
            }
        )
    return result
