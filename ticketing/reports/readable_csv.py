"""The summary as a CSV a person opens in a spreadsheet: headers and periods in words, each
rate as a percentage beside the counts it comes from, times in minutes. (`csv_export` keeps
the raw, machine-readable columns for integrations.)"""

from __future__ import annotations

import csv
import enum
import io
from datetime import date
from typing import Any

from ticketing.reports.figures import ORDER_FIGURES, ignores
from ticketing.reports.labels import period_label
from ticketing.reports.periods import Grouping


class CsvFormat(enum.StrEnum):
    READABLE = "readable"
    RAW = "raw"


def _percent(value: float) -> str:
    return f"{value * 100:.1f}"


def _minutes(value: float) -> str:
    return f"{value / 60:.1f}"


def _number(value: float) -> str:
    return f"{value:g}"


# (header, key in the report, how the value is written)
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("Conversations", "conversations", _number),
    ("Handed to a person", "handed_off", _number),
    ("Handoff rate (%)", "handoff_rate", _percent),
    ("Solved by the bot", "contained", _number),
    ("Containment (%)", "containment_rate", _percent),
    ("Ratings", "ratings", _number),
    ("Ratings of 4 or 5", "ratings_positive", _number),
    ("CSAT (%)", "csat", _percent),
    ("Surveys sent", "surveys_sent", _number),
    ("Survey response rate (%)", "response_rate", _percent),
    ("First replies", "first_responses", _number),
    ("First response median (min)", "frt_median_seconds", _minutes),
    ("First response p90 (min)", "frt_p90_seconds", _minutes),
    ("First response mean (min)", "frt_mean_seconds", _minutes),
    ("Resolutions", "resolved", _number),
    ("Resolution median (min)", "resolution_median_seconds", _minutes),
    ("Resolution p90 (min)", "resolution_p90_seconds", _minutes),
    ("Resolved conversations", "resolved_conversations", _number),
    ("Reopened", "reopened", _number),
    ("Reopened rate (%)", "reopened_rate", _percent),
    ("Backlog at end", "backlog", _number),
    ("Tickets with an SLA target", "sla_tickets", _number),
    ("Tickets that missed a target", "sla_breaches", _number),
    ("SLA breach rate (%)", "sla_breach_rate", _percent),
    ("Orders delivered", "orders_delivered", _number),
    ("Orders refunded", "orders_refunded", _number),
    ("Refund rate (%)", "refund_rate", _percent),
    ("Orders with a return", "orders_returned", _number),
    ("Return rate (%)", "return_rate", _percent),
    ("NPS", "nps", _number),
    ("NPS answers", "nps_answers", _number),
    ("Promoters (9-10)", "nps_promoters", _number),
    ("Detractors (0-6)", "nps_detractors", _number),
)
ORDER_COLUMNS = frozenset(
    {*ORDER_FIGURES, "orders_delivered", "orders_refunded", "orders_returned"}
)


def headers(report: dict[str, Any]) -> list[str]:
    """Order columns say so when a filter is set that they ignore."""
    filtered = ignores(next(iter(ORDER_FIGURES)), report)
    return [
        "Period",
        "From",
        "To",
        *(
            f"{title} (all orders: filters do not apply)"
            if filtered and key in ORDER_COLUMNS
            else title
            for title, key, _ in COLUMNS
        ),
    ]


def _cells(row: dict[str, Any]) -> list[str]:
    """Empty cells are unknown (no data), never zero."""
    return ["" if row.get(key) is None else write(row[key]) for _, key, write in COLUMNS]


def readable_csv(report: dict[str, Any]) -> str:
    group = Grouping(report["group"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers(report))
    for row in report["series"]:
        first, last = date.fromisoformat(row["from"]), date.fromisoformat(row["to"])
        writer.writerow([period_label(first, last, group), row["from"], row["to"], *_cells(row)])
    previous = report["previous"]
    writer.writerow(["Total", report["from"], report["to"], *_cells(report["totals"])])
    writer.writerow(
        ["Previous period", previous["from"], previous["to"], *_cells(previous["totals"])]
    )
    return out.getvalue()
