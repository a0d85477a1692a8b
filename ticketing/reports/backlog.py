"""Backlog: conversations with a person (owner `human`) at the end of each bucket.

Every stay with a person starts with one `bot_handoff` and ends with one `resolved` or
`handed_back`, so the backlog at a moment is handoffs minus endings before it. The daily
rollup keeps that net change per local day: the backlog at the start of the range is the sum
of every day before it, then each bucket adds its days.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.backlog_days import BacklogDay
from ticketing.reports.rollup.reading import on_filter_columns, sums_per_bucket
from ticketing.reports.series import Series


def backlog(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    """Filters: the conversation's channel, its ticket's category, its assignee (all now).
    Over the whole range: the backlog at its end (the last bucket's)."""
    before = select(func.coalesce(func.sum(BacklogDay.net_change), 0)).where(
        BacklogDay.day < buckets[0].first
    )
    running = int(db_session.scalar(on_filter_columns(before, BacklogDay, filters)) or 0)
    changes = sums_per_bucket(db_session, BacklogDay, [BacklogDay.net_change], buckets, filters)
    rows = []
    for (change,) in changes.per_bucket:
        running += change
        rows.append({"backlog": running})
    return Series(rows, rows[-1])
