"""Rates over time as inline SVG line charts (no script, no CDN): a 0-100% value axis with
five labelled ticks and a title, period labels thinned to at most five under an axis title, a
dot with its value at each point (on long ranges only the highest, the lowest and the last, so
labels never pile up), and a gap where a period has no data. No value at all: "no data"."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ticketing.reports.charts import EMPTY, Formatter

# narrower than the bar charts' 640: drawn at the same width, the text comes out larger
WIDTH, HEIGHT = 540, 250
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 92, 22, 30, 66
MAX_POINT_LABELS = 8  # more points than this: only the highest, lowest and last are labelled
MAX_PERIOD_LABELS = 5  # dates under the axis (a date label is about 60 of the 426 units)
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
EDGE = 40  # a value label this close to the plot's edge is anchored inward
Point = tuple[float, float, int]  # x, y, index


def _y(value: float, plot_h: float) -> float:
    return PAD_TOP + plot_h * (1 - min(max(value, 0.0), 1.0))


def _axes(y_title: str, x_title: str, plot_h: float) -> list[str]:
    parts = []
    for share in TICKS:
        y = _y(share, plot_h)
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - PAD_RIGHT}" '
            f'y2="{y:.1f}"/><text class="tick" x="{PAD_LEFT - 8}" y="{y + 6:.1f}" '
            f'text-anchor="end">{share * 100:.0f}%</text>'
        )
    middle = PAD_TOP + plot_h / 2
    parts.append(
        f'<text class="axis-title" x="18" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 18 {middle:.1f})">{escape(y_title)}</text>'
        f'<text class="axis-title" x="{PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) / 2:.1f}" '
        f'y="{HEIGHT - 6}" text-anchor="middle">{escape(x_title)}</text>'
    )
    return parts


def _segments(points: list[Point | None]) -> list[list[Point]]:
    """Runs of consecutive points with data (a period without data breaks the line)."""
    runs: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _anchor(x: float) -> str:
    """Near an edge a value is written inward, so it is never cut off."""
    if x > WIDTH - PAD_RIGHT - EDGE:
        return "end"
    return "start" if x < PAD_LEFT + EDGE else "middle"


def _below(values: Sequence[float | None], index: int, y: float, plot_h: float) -> bool:
    """A valley's value goes under its point, a peak's above (so neighbours' labels part);
    near the top of the plot under, near the bottom above."""
    if y < PAD_TOP + 24:
        return True
    if y > PAD_TOP + plot_h - 24:
        return False
    value = values[index]
    around = [
        v
        for v in (values[index - 1] if index else None, *values[index + 1 : index + 2])
        if v is not None
    ]
    return value is not None and bool(around) and value < sum(around) / len(around)


def _labelled(values: Sequence[float | None]) -> set[int]:
    """The points whose value is written beside them."""
    present = [i for i, v in enumerate(values) if v is not None]
    if len(values) <= MAX_POINT_LABELS:
        return set(present)
    highest = max(present, key=lambda i: (values[i], i))
    lowest = min(present, key=lambda i: (values[i], -i))
    return {highest, lowest, present[-1]}


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    fmt: Formatter,
    *,
    names: Sequence[str] | None = None,
    y_title: str = "Rate",
    x_title: str = "Period",
) -> str:
    """`values` are fractions (0..1); `labels` short period labels for the axis, `names` the
    full ones for the points' tooltips; `fmt` writes a value."""
    names = names or labels
    if all(value is None for value in values):
        return f'<p class="empty-chart">{EMPTY}</p>'
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(len(values), 1)
    every = -(-len(labels) // MAX_PERIOD_LABELS)  # ceiling: at most 5 labels on the axis
    points: list[Point | None] = [
        None if value is None else (PAD_LEFT + step * (i + 0.5), _y(value, plot_h), i)
        for i, value in enumerate(values)
    ]
    parts = [
        f'<svg class="chart line-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>",
        *_axes(y_title, x_title, plot_h),
    ]
    for run in _segments(points):
        if len(run) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in run)
            parts.append(f'<polyline class="line" points="{path}"/>')
    labelled = _labelled(values)
    for point, value in zip(points, values, strict=True):
        if point is None or value is None:
            continue
        x, y, index = point
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{escape(names[index])}: {escape(fmt(value))}</title></circle>"
        )
        if index in labelled:
            ty = y + 26 if _below(values, index, y, plot_h) else y - 12
            parts.append(
                f'<text class="point-value" x="{x:.1f}" y="{ty:.1f}" '
                f'text-anchor="{_anchor(x)}">{escape(fmt(value))}</text>'
            )
    for index, name in enumerate(labels):
        if index % every == 0:
            x = PAD_LEFT + step * (index + 0.5)
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 24}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
