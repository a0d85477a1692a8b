"""The SVG bar charts: an empty state, values on the bars, ticks on the value axis and period
labels thinned so they do not overlap."""

from __future__ import annotations

import re

from ticketing.reports.charts import EMPTY, MAX_PERIOD_LABELS, bar_chart
from ticketing.reports.formatting import percent


def test_a_chart_without_any_value_says_so() -> None:
    html = bar_chart("CSAT", ["1 Dec", "2 Dec"], [None, None], percent)
    assert "<svg" not in html
    assert EMPTY == "No data for this period" and EMPTY in html


def test_values_on_the_bars_and_ticks_on_the_value_axis() -> None:
    svg = bar_chart("CSAT", ["1 Dec", "2 Dec", "3 Dec"], [0.5, None, 1.0], percent)
    values = re.findall(r'<text class="bar-value"[^>]*>([^<]*)</text>', svg)
    assert values == ["50.0%", "100.0%"]  # the day without ratings has no bar and no value
    ticks = re.findall(r'<text class="tick"[^>]*text-anchor="end">([^<]*)</text>', svg)
    assert ticks == ["0", "50.0%", "100.0%"]


def test_period_labels_are_thinned_on_a_long_range() -> None:
    labels = [f"{day} Dec" for day in range(1, 32)]
    svg = bar_chart("Conversations", labels, [float(d) for d in range(31)], str)
    shown = re.findall(r'<text class="tick"[^>]*text-anchor="middle">([^<]*)</text>', svg)
    assert 4 <= len(shown) <= MAX_PERIOD_LABELS
    assert shown[0] == "1 Dec"
    assert "bar-value" not in svg  # 31 values would overlap: the tooltips carry them
