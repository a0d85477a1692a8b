"""How to read each headline figure: its definition, whether a rise is good news, and the
filters it ignores."""

from __future__ import annotations

from typing import Any

from ticketing.reports.definitions import DEFINITIONS, ONE_LINE

# Headline keys whose definition has another name (the others share the key).
DEFINITION_OF = {
    "frt_median_seconds": "frt",
    "resolution_median_seconds": "resolution",
    "resolution_p90_seconds": "resolution",
}

# True: up is good; False: up is bad. Conversations are neither (more is not better or worse).
UP_IS_GOOD = {
    "containment_rate": True,
    "handoff_rate": False,
    "csat": True,
    "response_rate": True,
    "frt_median_seconds": False,
    "resolution_median_seconds": False,
    "resolution_p90_seconds": False,
    "reopened_rate": False,
    "backlog": False,
    "refund_rate": False,
    "return_rate": False,
    "nps": True,
    "sla_breach_rate": False,
}

# Figures about orders, which no conversation filter applies to.
ORDER_FIGURES = frozenset({"refund_rate", "return_rate"})
IGNORED_FILTERS_NOTE = "Filters do not apply: all orders."


def definition_key(key: str) -> str:
    return DEFINITION_OF.get(key, key)


def one_line(key: str) -> str:
    """The sentence shown under the figure (the start of its JSON definition)."""
    return ONE_LINE[definition_key(key)]


def full_definition(key: str) -> str:
    return DEFINITIONS[definition_key(key)]


def ignores(key: str, report: dict[str, Any]) -> bool:
    """A filter is set (in the report's `filters`) that this figure does not apply."""
    return key in ORDER_FIGURES and any(value is not None for value in report["filters"].values())
