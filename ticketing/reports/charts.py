"""Small bar charts as inline SVG, drawn on the server: no script, no CDN. Missing values
(no data) leave a gap instead of a zero bar; a chart without any value says so. The value axis
has three labelled ticks, bars carry their values while there is room, and the period labels
are thinned so they never overlap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 240, 84, 44, 28
MAX_PERIOD_LABELS = 7
MAX_VALUE_LABELS = 10
EMPTY = "No data for this period"
Formatter = Callable[[float], str]


def _axis_max(values: Sequence[float | None]) -> float:
    top = max((v for v in values if v is not None), default=0.0)
    return top if top > 0 else 1.0


def _svg_open(title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    )


def _value_axis(top: float, fmt: Formatter, plot_h: float) -> list[str]:
    parts = []
    for share in (0.0, 0.5, 1.0):
        y = PAD_TOP + plot_h * (1 - share)
        text = "0" if share == 0 else fmt(top * share)
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{PAD_LEFT - 8}" y="{y + 6:.1f}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    return parts


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    fmt: Formatter,
    *,
    names: Sequence[str] | None = None,
) -> str:
    """`labels`: short period labels for the axis; `names`: full ones for the bars' tooltips."""
    names = names or labels
    if all(value is None for value in values):
        return f'<p class="empty-chart">{EMPTY}</p>'
    top = _axis_max(values)
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(values), 1)
    bar_w = max(step * 0.7, 1.0)
    every = -(-len(labels) // MAX_PERIOD_LABELS)  # ceiling: at most 7 labels on the axis
    parts = [_svg_open(title), *_value_axis(top, fmt, plot_h)]
    for index, (name, value) in enumerate(zip(labels, values, strict=True)):
        x = PAD_LEFT + index * step + (step - bar_w) / 2
        if value is not None:
            height = plot_h * value / top
            y = PAD_TOP + plot_h - height
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}"><title>{escape(names[index])}: {escape(fmt(value))}'
                "</title></rect>"
            )
            if len(values) <= MAX_VALUE_LABELS:
                parts.append(
                    f'<text class="bar-value" x="{x + bar_w / 2:.1f}" y="{y - 6:.1f}" '
                    f'text-anchor="middle">{escape(fmt(value))}</text>'
                )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 24}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
