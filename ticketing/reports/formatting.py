"""Numbers as people read them on the pages and in the digest."""

from __future__ import annotations

from typing import Any

NO_DATA = "–"


def percent(value: float | None) -> str:
    return NO_DATA if value is None else f"{value * 100:.1f}%"


def duration(seconds: float | None) -> str:
    """'45 s', '12 min', '3.5 h', '2.1 d'."""
    if seconds is None:
        return NO_DATA
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def count(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:g}"


# (key, title, formatter) for the headline cards, charts and the series table
HEADLINES: tuple[tuple[str, str, Any], ...] = (
    ("conversations", "Conversations", count),
    ("containment_rate", "Containment", percent),
    ("handoff_rate", "Handoff rate", percent),
    ("csat", "CSAT", percent),
    ("response_rate", "CSAT response rate", percent),
    ("frt_median_seconds", "First response (median)", duration),
    ("resolution_median_seconds", "Resolution (median)", duration),
    ("resolution_p90_seconds", "Resolution (p90)", duration),
    ("reopened_rate", "Reopened", percent),
    ("backlog", "Backlog at end", count),
    ("refund_rate", "Refund rate", percent),
    ("return_rate", "Return rate", percent),
    ("nps", "NPS", count),
    ("sla_breach_rate", "SLA breach rate", percent),
)

CHARTS = (
    "conversations",
    "containment_rate",
    "handoff_rate",
    "csat",
    "frt_median_seconds",
    "resolution_median_seconds",
    "backlog",
    "sla_breach_rate",
)

# The charted rates, drawn as lines on a 0-100% axis titled with what they are a share of.
RATE_CHARTS = {
    "containment_rate": "% of conversations",
    "handoff_rate": "% of conversations",
    "csat": "% of ratings",
    "sla_breach_rate": "% of tickets",
}
