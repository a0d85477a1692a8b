"""The headline figures: value, trend against the previous period, the previous value, a
one-line definition linked to the help page, and a note when a filter does not apply."""

from __future__ import annotations

from html import escape
from typing import Any

from ticketing.reports.figures import IGNORED_FILTERS_NOTE, ignores, one_line
from ticketing.reports.formatting import HEADLINES, NO_DATA
from ticketing.reports.trend import trend

HELP_URL = "/reports/help"


def previous_text(before: float | None, fmt: Any) -> str:
    """'previous: 61.7%', or 'previous: no data' (never a bare dash or a made-up 0)."""
    return "previous: no data" if before is None else f"previous: {fmt(before)}"


def card(key: str, title: str, fmt: Any, report: dict[str, Any]) -> str:
    now = report["totals"].get(key)
    before = report["previous"]["totals"].get(key)
    value = NO_DATA if now is None else fmt(now)
    scope = (
        f'<small class="scope">{escape(IGNORED_FILTERS_NOTE)}</small>'
        if ignores(key, report)
        else ""
    )
    return (
        f'<div class="metric" data-metric="{key}">'
        f'<span class="name">{escape(title)}</span>'
        f'<span class="value">{escape(value)}</span>'
        f'<span class="comparison">{trend(key, now, before, fmt)}'
        f'<small class="previous">{escape(previous_text(before, fmt))}</small></span>'
        f'<span class="definition">{escape(one_line(key))} '
        f'<a href="{HELP_URL}#{key}" aria-label="More about {escape(title)}">More</a></span>'
        f"{scope}</div>"
    )


def cards(report: dict[str, Any]) -> str:
    items = "".join(card(key, title, fmt, report) for key, title, fmt in HEADLINES)
    return f'<section class="metrics" aria-label="Headline figures">{items}</section>'
