"""Buckets in the shop's timezone, the previous period and the SQLite percentile."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ticketing.reports.periods import Grouping, ReportRange, split
from ticketing.reports.sqlmath import percentile

BERLIN = ZoneInfo("Europe/Berlin")


def test_weeks_start_on_monday_and_edges_are_partial() -> None:
    buckets = split(date(2026, 11, 18), date(2026, 12, 2), Grouping.WEEK, BERLIN)
    assert [(b.first.isoformat(), b.last.isoformat()) for b in buckets] == [
        ("2026-11-18", "2026-11-22"),
        ("2026-11-23", "2026-11-29"),
        ("2026-11-30", "2026-12-02"),
    ]
    assert buckets[0].start == datetime(2026, 11, 17, 23, tzinfo=UTC)  # Berlin midnight (CET)


def test_months_across_a_year_and_daylight_saving() -> None:
    months = split(date(2026, 10, 1), date(2027, 1, 31), Grouping.MONTH, BERLIN)
    assert [b.first.month for b in months] == [10, 11, 12, 1]
    assert months[0].start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # CEST
    assert months[1].start == datetime(2026, 10, 31, 23, tzinfo=UTC)  # CET


def test_previous_period_has_the_same_length() -> None:
    current = ReportRange(date(2026, 11, 16), date(2026, 11, 22), Grouping.DAY, "Europe/Berlin")
    previous = current.previous()
    assert (previous.first, previous.last) == (date(2026, 11, 9), date(2026, 11, 15))


def test_percentile_interpolates_like_postgres() -> None:
    assert percentile([300.0, 3600.0, 91800.0], 0.9) == 74160.0
    assert percentile([600.0, 3600.0], 0.5) == 2100.0
    assert percentile([42.0], 0.9) == 42.0
