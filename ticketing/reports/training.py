"""The training inbox on the reports page: how many messages wait for a label, how many were
labelled each week (both from their own small tables), and the bot's fallback rate over the
report's periods (from the `report_message_days` rollup); the report's filters do not apply."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import UTC, date
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.formatting import percent
from ticketing.reports.labels import period_label, short_period_label
from ticketing.reports.line_chart import line_chart
from ticketing.reports.periods import Bucket, Grouping, ReportRange
from ticketing.reports.rollup.message_days import MessageDay
from ticketing.reports.rollup.reading import sums_per_bucket
from ticketing.training import service as training_service
from ticketing.training.models import Decision, TrainingLabel

ONE_LINE = {
    "inbox_size": "Messages the bot did not understand that wait for a label now.",
    "labelled_per_week": "Messages managers labelled each week (training examples).",
    "fallback_rate": "Share of customer messages the bot did not understand.",
}
DETAILS = {
    "inbox_size": "Messages waiting for a label in the console's Training page now (whatever "
    "the period): what the bot did not understand, minus what managers labelled or skipped, "
    "minus what retention or erasure removed.",
    "labelled_per_week": "Messages managers labelled per week (Monday to Sunday, in the shop's "
    "timezone) in the period: with an intent, or as out of scope (the training examples); "
    "skipped ones counted apart. An undone label is not counted.",
    "fallback_rate": "Customer messages the bot did not understand / customer messages, per "
    "period. Not understood: the NLU was unsure (fallback) or called it out of scope "
    "(bot_misunderstood events, one per message); customer messages: every message customers "
    "sent, in any conversation, buttons included. Filters do not apply.",
}
DEFINITIONS = {key: f"{ONE_LINE[key]} {DETAILS[key]}" for key in DETAILS}
HELP = "/reports/help"


def _fallbacks(db_session: Session, buckets: list[Bucket]) -> list[dict[str, Any]]:
    """Per bucket: misunderstood and customer messages from `report_message_days` (the caller
    refreshes the rollups first)."""
    counts = [MessageDay.misunderstood, MessageDay.customer_messages]
    tallies = sums_per_bucket(db_session, MessageDay, counts, buckets, ReportFilter(), staff=None)
    return [
        {
            "from": bucket.first.isoformat(),
            "to": bucket.last.isoformat(),
            "fallbacks": misses,
            "customer_messages": messages,
            "fallback_rate": round(misses / messages, 4) if messages else None,
        }
        for bucket, (misses, messages) in zip(buckets, tallies.per_bucket, strict=True)
    ]


def _labelled(db_session: Session, weeks: list[Bucket]) -> list[dict[str, Any]]:
    """Labels and skips per week, from one read of the range's labels (a small table)."""
    starts = [week.start for week in weeks]
    counts = [Counter[Decision]() for _ in weeks]
    rows = db_session.execute(
        select(TrainingLabel.labelled_at, TrainingLabel.decision).where(
            TrainingLabel.labelled_at >= weeks[0].start, TrainingLabel.labelled_at < weeks[-1].end
        )
    )
    for moment, decision in rows:
        utc = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        counts[bisect_right(starts, utc) - 1][Decision(decision)] += 1
    per_week = []
    for week, count in zip(weeks, counts, strict=True):
        year, number, _ = week.first.isocalendar()
        per_week.append(
            {
                "week": f"{year}-W{number:02d}",
                "from": week.first.isoformat(),
                "to": week.last.isoformat(),
                "labelled": count[Decision.INTENT] + count[Decision.OUT_OF_SCOPE],
                "skipped": count[Decision.SKIP],
            }
        )
    return per_week


def training_metrics(db_session: Session, report_range: ReportRange) -> dict[str, Any]:
    """Inbox size now, labels per week of the range, fallback rate per period of the range
    (from the rollups: refresh them first)."""
    r = report_range
    weeks = ReportRange(r.first, r.last, Grouping.WEEK, r.timezone).buckets()
    return {
        "inbox_size": training_service.count_pending(db_session),
        "labelled_per_week": _labelled(db_session, weeks),
        "fallback_rate": _fallbacks(db_session, r.buckets()),
        "definitions": DEFINITIONS,
    }


def _week_label(row: dict[str, Any]) -> str:
    """'16 Nov – 22 Nov' (the page's words for a week, not its ISO code)."""
    first, last = date.fromisoformat(row["from"]), date.fromisoformat(row["to"])
    return period_label(first, last, Grouping.WEEK)


def training_section(report: dict[str, Any]) -> str:
    """The section of the reports page, or nothing when the report was built without it."""
    training = report.get("training")
    if training is None:
        return ""
    rates = training["fallback_rate"]
    group = Grouping(report["group"])
    days = [(date.fromisoformat(row["from"]), date.fromisoformat(row["to"])) for row in rates]
    chart = line_chart(
        "Fallback rate",
        [short_period_label(first, group) for first, _ in days],
        [row["fallback_rate"] for row in rates],
        percent,
        names=[period_label(first, last, group) for first, last in days],
        y_title="Not understood",
        x_title=group.value.title(),
    )
    weeks = "".join(
        f"<tr><td>{escape(_week_label(row))}</td><td>{row['labelled']}</td>"
        f"<td>{row['skipped']}</td></tr>"
        for row in training["labelled_per_week"]
    )
    size = training["inbox_size"]

    def explained(key: str) -> str:
        return (
            f'<p class="definition">{escape(ONE_LINE[key])} '
            f'<a href="{HELP}#{key}">How it is computed</a></p>'
        )

    return (
        '<section class="card" id="training-card"><h2>Training inbox</h2>'
        f'<p><b id="inbox-size">{size}</b> message{"" if size == 1 else "s"} wait'
        f'{"s" if size == 1 else ""} for a label: <a href="/console/training">Training page</a>'
        f"</p>{explained('inbox_size')}"
        f'<figure data-chart="fallback_rate"><figcaption>Fallback rate</figcaption>{chart}'
        f"</figure>{explained('fallback_rate')}"
        '<h3>Labelled per week</h3><div class="scroll"><table class="list" id="labelled-per-week">'
        '<thead><tr><th scope="col">Week</th><th scope="col">Labelled</th>'
        f'<th scope="col">Skipped</th></tr></thead><tbody>{weeks}</tbody></table></div>'
        f"{explained('labelled_per_week')}</section>"
    )
