"""The change against the previous period, as an arrow whose colour says good or bad for that
metric, with the same in words for screen readers."""

from __future__ import annotations

from html import escape
from typing import Any

from ticketing.reports.figures import UP_IS_GOOD
from ticketing.reports.formatting import duration, percent

ARROWS = {"up": "▲", "down": "▼", "same": "■"}


def change_text(now: float, before: float, fmt: Any) -> str:
    """'+5.0 pts', '-3 min', '+12'."""
    diff = now - before
    sign = "+" if diff > 0 else "-" if diff < 0 else "±"
    if fmt is percent:
        return f"{sign}{abs(diff) * 100:.1f} pts"
    if fmt is duration:
        return f"{sign}{duration(abs(diff))}"
    return f"{sign}{abs(diff):g}"


def direction(now: float, before: float) -> str:
    return "up" if now > before else "down" if now < before else "same"


def verdict(key: str, way: str) -> str:
    """'better', 'worse' or 'neutral' for a move of metric `key`."""
    good = UP_IS_GOOD.get(key)
    if way == "same" or good is None:
        return "neutral"
    return "better" if (way == "up") == good else "worse"


def trend(key: str, now: float | None, before: float | None, fmt: Any) -> str:
    """The arrow and change, or nothing when either period has no figure."""
    if now is None or before is None:
        return ""
    way = direction(now, before)
    judged = verdict(key, way)
    moved = {"up": "up", "down": "down", "same": "unchanged"}[way]
    words = f"{moved} against the previous period" + ("" if judged == "neutral" else f", {judged}")
    return (
        f'<span class="trend {judged}" data-trend="{way}" title="{escape(words)}">'
        f'<span aria-hidden="true">{ARROWS[way]} {escape(change_text(now, before, fmt))}</span>'
        f'<span class="sr-only">{escape(change_text(now, before, fmt))}, {escape(words)}</span>'
        "</span>"
    )
