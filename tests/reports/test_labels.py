"""What a person reads instead of codes: categories, channels, reasons and report periods."""

from __future__ import annotations

from datetime import date

from ticketing.reports.labels import (
    category_label,
    channel_label,
    period_label,
    reason_label,
    short_period_label,
)
from ticketing.reports.periods import Grouping


def test_categories_channels_and_reasons_in_words() -> None:
    assert category_label("after_sales") == "After-sales"
    assert category_label("product_quality") == "Product quality"
    assert channel_label("rest") == "Other (API)"
    assert channel_label("web") == "Web chat"
    assert channel_label("new_channel") == "New channel"  # one added later still reads well
    assert reason_label("where_is_my_order") == "Where is my order"
    assert reason_label("after_sales") == "After-sales"
    assert reason_label("unrecorded") == "Not recorded"


def test_weeks_read_as_dates_and_a_partial_week_says_so() -> None:
    week = Grouping.WEEK
    assert period_label(date(2026, 11, 30), date(2026, 12, 6), week) == "30 Nov – 6 Dec"
    assert period_label(date(2026, 12, 7), date(2026, 12, 7), week) == "7 Dec (partial week, 1 day)"
    assert (
        period_label(date(2026, 10, 29), date(2026, 11, 1), week)
        == "29 Oct – 1 Nov (partial week, 4 days)"
    )
    assert period_label(date(2025, 12, 29), date(2026, 1, 4), week) == ("29 Dec 2025 – 4 Jan 2026")


def test_days_and_months() -> None:
    assert period_label(date(2026, 11, 16), date(2026, 11, 16), Grouping.DAY) == "Mon 16 Nov"
    month = Grouping.MONTH
    assert period_label(date(2026, 11, 1), date(2026, 11, 30), month) == "November 2026"
    assert period_label(date(2026, 12, 1), date(2026, 12, 6), month) == (
        "December 2026 (1 Dec – 6 Dec, partial month)"
    )
    assert short_period_label(date(2026, 12, 1), month) == "Dec 2026"
    assert short_period_label(date(2026, 11, 30), Grouping.WEEK) == "30 Nov"
