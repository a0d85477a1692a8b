"""The reports page as HTML. Every value is escaped here; charts are inline SVG from charts.py,
headline figures from cards.py and the filter form from form_html.py."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from ticketing.reports.at_risk_html import at_risk_section
from ticketing.reports.cards import HELP_URL, cards
from ticketing.reports.charts import bar_chart
from ticketing.reports.errors import ReportInputError
from ticketing.reports.form_html import Options, filter_form
from ticketing.reports.formatting import (
    CHARTS,
    HEADLINES,
    RATE_CHARTS,
    count,
    duration,
    percent,
)
from ticketing.reports.labels import period_label, reason_label, short_period_label, span_label
from ticketing.reports.line_chart import line_chart
from ticketing.reports.periods import Grouping
from ticketing.reports.training import training_section

STATIC_DIR = Path(__file__).parent / "static"
X_TITLES = {Grouping.DAY: "Day", Grouping.WEEK: "Week", Grouping.MONTH: "Month"}


def _charts(report: dict[str, Any]) -> str:
    titles = {key: (title, fmt) for key, title, fmt in HEADLINES}
    group = Grouping(report["group"])
    ticks = [short_period_label(_day(row["from"]), group) for row in report["series"]]
    names = [period_label(_day(row["from"]), _day(row["to"]), group) for row in report["series"]]
    charts = []
    for key in CHARTS:
        title, fmt = titles[key]
        values = [row[key] for row in report["series"]]
        if key in RATE_CHARTS:
            x_title = X_TITLES[group]
            chart = line_chart(
                title, ticks, values, fmt, names=names, y_title=RATE_CHARTS[key], x_title=x_title
            )
        else:
            chart = bar_chart(title, ticks, values, fmt, names=names)
        charts.append(
            f'<figure class="card" data-chart="{key}"><figcaption>{escape(title)}</figcaption>'
            f"{chart}</figure>"
        )
    return f'<section class="charts">{"".join(charts)}</section>'


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<div class="scroll"><table class="list" id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _series(report: dict[str, Any]) -> str:
    group = Grouping(report["group"])
    rows = [
        [
            period_label(_day(row["from"]), _day(row["to"]), group),
            *(str(f(row[k])) for k, _, f in HEADLINES),
        ]
        for row in report["series"]
    ]
    return _table(["Period", *(t for _, t, _ in HEADLINES)], rows, "series")


def _reasons(report: dict[str, Any]) -> str:
    rows = [
        [
            reason_label(r["reason"]),
            str(r["count"]),
            percent(r["share"]),
            str(r["previous_count"]),
            f"{r['change']:+d}",
        ]
        for r in report["top_reasons"]
    ]
    headers = ["Reason", "Conversations", "Share", "Previous period", "Change"]
    return _table(headers, rows, "reasons")


def _agents(report: dict[str, Any]) -> str:
    rows = [
        [
            a["display_name"],
            a["team"] or "–",
            str(a["handled"]),
            duration(a["frt_median_seconds"]),
            duration(a["resolution_median_seconds"]),
            count(a["ratings"]),
            percent(a["csat"]),
        ]
        for a in report["agents"]
    ]
    headers = ["Agent", "Team", "Handled", "FRT (median)", "Resolution (median)", "Ratings", "CSAT"]
    return _table(headers, rows, "agents")


def _unavailable(items: str) -> str:
    if not items:
        return ""
    return (
        '<section class="card"><h2>Not available yet</h2>'
        f'<ul id="unavailable">{items}</ul></section>'
    )


def _period_line(report: dict[str, Any]) -> str:
    now = span_label(_day(report["from"]), _day(report["to"]))
    before = span_label(_day(report["previous"]["from"]), _day(report["previous"]["to"]))
    return (
        f'<p class="muted" id="period">{escape(now)} {_day(report["from"]).year} '
        f"({escape(report['timezone'])}), compared with the previous period, "
        f"{escape(before)}. Arrows: green is better, red is worse, grey is neither. "
        f'<a href="{HELP_URL}">How to read this report</a></p>'
    )


def report_body(report: dict[str, Any]) -> str:
    unavailable = "".join(
        f"<li><b>{escape(k)}</b>: not available yet. {escape(v)}</li>"
        for k, v in report["unavailable"].items()
    )
    group = Grouping(report["group"])
    return f"""
{_period_line(report)}
{cards(report)}
{_charts(report)}
<section class="card"><h2>By {escape(group.value)}</h2>{_series(report)}</section>
<section class="card"><h2>Top contact reasons</h2>{_reasons(report)}</section>
{at_risk_section(report)}
<section class="card"><h2>Agents</h2>{_agents(report)}</section>
{training_section(report)}
{_unavailable(unavailable)}"""


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{escape(title)} · supportbot</title>'
        '<link rel="stylesheet" href="/reports/static/reports.css">'
        '<script src="/reports/static/reports.js" defer></script>'
        f"</head><body>{body}</body></html>"
    )


def _topbar(csv_url: str | None) -> str:
    csv = f' <a href="{escape(csv_url)}" id="csv-link">CSV</a>' if csv_url else ""
    return (
        '<header class="topbar"><a class="brand" href="/console/">supportbot console</a>'
        f'<nav><a href="/reports/">Reports</a>{csv} <a href="{HELP_URL}">Help</a></nav></header>'
    )


def reports_page(
    values: dict[str, str],
    report: dict[str, Any] | None,
    *,
    csv_url: str | None,
    agents: Options,
    channels: list[str],
    teams: list[str],
    error: ReportInputError | None = None,
) -> str:
    """The form with the report, or with `error` next to its field (and no report)."""
    form = filter_form(values, agents=agents, channels=channels, teams=teams, error=error)
    content = report_body(report) if report is not None else ""
    body = f"""
{_topbar(csv_url)}
<main class="reports">
  <h1>Reports</h1>
  {form}
  {content}
</main>"""
    return _document("Reports", body)


def at_risk_page(section: str, report_url: str) -> str:
    """The customers-at-risk section on a page of its own (the reports page's link to it,
    for a browser without JavaScript)."""
    body = f"""
{_topbar(None)}
<main class="reports">
  <h1>Reports</h1>
  <p><a href="{escape(report_url)}">Back to the whole report</a></p>
  {section}
</main>"""
    return _document("Customers at risk", body)


def digest_html(report: dict[str, Any]) -> str:
    """A standalone page (styles inlined) for e-mail or a file."""
    css = (STATIC_DIR / "reports.css").read_text(encoding="utf-8")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>supportbot digest {escape(report['from'])}</title><style>{css}</style>"
        f'</head><body><main class="reports"><h1>Daily digest {escape(report["from"])}</h1>'
        f"{report_body(report)}</main></body></html>"
    )
