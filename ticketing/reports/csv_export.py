"""The summary as CSV: one row per bucket, then the total and the previous period."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    "conversations",
    "handed_off",
    "handoff_rate",
    "contained",
    "containment_rate",
    "ratings",
    "ratings_positive",
    "csat",
    "surveys_sent",
    "response_rate",
    "first_responses",
    "frt_median_seconds",
    "frt_p90_seconds",
    "frt_mean_seconds",
    "resolved",
    "resolution_median_seconds",
    "resolution_p90_seconds",
    "resolved_conversations",
    "reopened",
    "reopened_rate",
    "backlog",
    "sla_tickets",
    "sla_breaches",
    "sla_breach_rate",
    "orders_delivered",
    "orders_refunded",
    "refund_rate",
    "orders_returned",
    "return_rate",
    "nps",
    "nps_answers",
    "nps_promoters",
    "nps_detractors",
)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def summary_csv(report: dict[str, Any]) -> str:
    """Empty cells are unknown (no data, or a metric not available yet), never zero."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("row", "from", "to", *COLUMNS))
    for row in report["series"]:
        writer.writerow((row["label"], row["from"], row["to"], *(_cell(row[c]) for c in COLUMNS)))
    totals, previous = report["totals"], report["previous"]
    writer.writerow(("total", report["from"], report["to"], *(_cell(totals[c]) for c in COLUMNS)))
    writer.writerow(
        (
            "previous",
            previous["from"],
            previous["to"],
            *(_cell(previous["totals"][c]) for c in COLUMNS),
        )
    )
    return out.getvalue()
