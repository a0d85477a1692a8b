"""The SVG line charts for rates: a 0-100% axis with five ticks and titles on both axes, a
value at each point (only the highest, lowest and last on a long range), a gap where a period
has no data, thinned period labels, and "no data" instead of an empty chart."""

from __future__ import annotations

import re

from ticketing.reports.charts import EMPTY
from ticketing.reports.formatting import percent
from ticketing.reports.line_chart import (
    HEIGHT,
    MAX_PERIOD_LABELS,
    MAX_POINT_LABELS,
    PAD_BOTTOM,
    PAD_TOP,
    line_chart,
)


def _texts(svg: str, css: str) -> list[str]:
    return re.findall(rf'<text class="{css}"[^>]*>([^<]*)</text>', svg)


def test_no_value_at_all_says_no_data() -> None:
    html = line_chart("CSAT", ["1 Dec", "2 Dec"], [None, None], percent)
    assert "<svg" not in html and EMPTY in html


def test_axes_have_ticks_and_titles_and_points_their_values() -> None:
    svg = line_chart(
        "CSAT",
        ["1 Dec", "2 Dec", "3 Dec"],
        [0.5, 0.75, 1.0],
        percent,
        y_title="% of ratings",
        x_title="Day",
    )
    assert _texts(svg, "tick")[:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert _texts(svg, "axis-title") == ["% of ratings", "Day"]
    assert _texts(svg, "point-value") == ["50.0%", "75.0%", "100.0%"]
    assert _texts(svg, "tick")[5:] == ["1 Dec", "2 Dec", "3 Dec"]
    (line,) = re.findall(r'<polyline class="line" points="([^"]*)"', svg)
    ys = [float(point.split(",")[1]) for point in line.split()]
    assert ys[0] > ys[1] > ys[2]  # higher rates are higher up


def test_a_period_without_data_breaks_the_line() -> None:
    svg = line_chart("Containment", ["a", "b", "c", "d", "e"], [0.2, 0.3, None, 0.4, 0.5], percent)
    assert len(re.findall(r'<polyline class="line"', svg)) == 2
    assert len(re.findall(r'<circle class="point"', svg)) == 4
    assert "c: " not in svg  # no tooltip for the missing period


def test_a_lone_point_between_gaps_is_still_drawn_with_its_value() -> None:
    svg = line_chart("SLA", ["a", "b", "c"], [None, 0.1, None], percent)
    assert "<polyline" not in svg
    assert _texts(svg, "point-value") == ["10.0%"]


def test_up_to_eight_points_all_carry_their_value() -> None:
    values = [0.1 * n for n in range(1, MAX_POINT_LABELS + 1)]
    svg = line_chart("CSAT", [str(n) for n in range(len(values))], values, percent)
    assert len(_texts(svg, "point-value")) == MAX_POINT_LABELS == 8


def test_a_long_range_labels_only_the_extremes_and_the_last_and_thins_dates() -> None:
    labels = [f"{day} Dec" for day in range(1, 32)]
    values = [0.5 + (day % 7) / 100 for day in range(31)]
    values[10] = 0.9
    values[20] = 0.1
    svg = line_chart("Handoff rate", labels, values, percent)
    assert sorted(_texts(svg, "point-value")) == sorted(["90.0%", "10.0%", percent(values[-1])])
    dates = [t for t in _texts(svg, "tick") if "Dec" in t]
    assert dates == ["1 Dec", "8 Dec", "15 Dec", "22 Dec", "29 Dec"]
    assert len(dates) == MAX_PERIOD_LABELS == 5
    assert len(re.findall(r"<title>\d+ Dec: ", svg)) == 31  # every point has its tooltip


def test_values_beyond_the_axis_stay_inside_the_plot() -> None:
    svg = line_chart("Odd", ["a", "b"], [1.3, -0.2], percent)
    cys = [float(y) for y in re.findall(r'<circle class="point" cx="[^"]*" cy="([^"]*)"', svg)]
    assert all(PAD_TOP <= y <= HEIGHT - PAD_BOTTOM for y in cys)


def test_a_valleys_value_is_under_its_point_and_a_peaks_above() -> None:
    svg = line_chart("CSAT", ["a", "b", "c", "d"], [0.5, 0.3, 0.6, 0.4], percent)
    points = [float(y) for y in re.findall(r'<circle class="point" cx="[^"]*" cy="([^"]*)"', svg)]
    labels = [float(y) for y in re.findall(r'<text class="point-value" x="[^"]*" y="([^"]*)"', svg)]
    above = [label < point for label, point in zip(labels, points, strict=True)]
    assert above == [True, False, True, False]
