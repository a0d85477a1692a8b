"""Report ranges in the shop's timezone, their day/week/month buckets and the previous period.
(The rollups are keyed by local day; `rollup/reading.py` turns a day into its bucket in SQL.)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_BUCKETS = 400


class Grouping(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Bucket:
    """Local days `first`..`last` (inclusive), i.e. [start, end) in UTC."""

    first: date
    last: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ReportRange:
    first: date
    last: date
    group: Grouping
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def whole(self) -> Bucket:
        return make_bucket(self.first, self.last, self.zone)

    def buckets(self) -> list[Bucket]:
        return split(self.first, self.last, self.group, self.zone)

    def previous(self) -> ReportRange:
        """The period of the same length that ends the day before this one starts."""
        length = self.last - self.first
        last = self.first - timedelta(days=1)
        return ReportRange(last - length, last, self.group, self.timezone)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def make_bucket(first: date, last: date, zone: ZoneInfo) -> Bucket:
    end = local_midnight(last + timedelta(days=1), zone)
    return Bucket(first, last, local_midnight(first, zone), end)


def _next_start(day: date, group: Grouping) -> date:
    if group == Grouping.DAY:
        return day + timedelta(days=1)
    if group == Grouping.WEEK:  # weeks start on Monday
        return day + timedelta(days=7 - day.weekday())
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def split(first: date, last: date, group: Grouping, zone: ZoneInfo) -> list[Bucket]:
    """Calendar buckets covering first..last; the first and last may be partial."""
    buckets: list[Bucket] = []
    day = first
    while day <= last:
        following = _next_start(day, group)
        buckets.append(make_bucket(day, min(following - timedelta(days=1), last), zone))
        day = following
        if len(buckets) > MAX_BUCKETS:
            raise ValueError(f"more than {MAX_BUCKETS} buckets: choose a coarser grouping")
    return buckets
