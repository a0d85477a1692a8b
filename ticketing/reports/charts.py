"""Small bar charts as inline SVG, drawn on the server: no script, no CDN. Missing values
(no data) leave a gap instead of a zero bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 200, 48, 36, 12
Formatter = Callable[[float], str]


def _axis_max(values: Sequence[float | None]) -> float:
    top = max((v for v in values if v is not None), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], fmt: Formatter
) -> str:
    top = _axis_max(values)
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(values), 1)
    bar_w = max(step * 0.7, 1.0)
    every = max(1, len(labels) // 12)  # at most ~12 labels on the axis
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" '
        f'y2="{PAD_TOP + plot_h}"/>',
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end">'
        f"{escape(fmt(top))}</text>",
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + plot_h}" text-anchor="end">0</text>',
    ]
    for index, (name, value) in enumerate(zip(labels, values, strict=True)):
        x = PAD_LEFT + index * step + (step - bar_w) / 2
        if value is not None:
            height = plot_h * value / top
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{PAD_TOP + plot_h - height:.1f}" '
                f'width="{bar_w:.1f}" height="{height:.1f}">'
                f"<title>{escape(name)}: {escape(fmt(value))}</title></rect>"
            )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
