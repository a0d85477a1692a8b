"""The reports page as HTML. Every value is escaped here; charts are inline SVG from charts.py."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from ticketing.reports.charts import bar_chart
from ticketing.reports.formatting import CHARTS, HEADLINES, count, duration, percent
from ticketing.reports.periods import Grouping
from ticketing.tickets.models import TicketCategory

STATIC_DIR = Path(__file__).parent / "static"


def _value(report: dict[str, Any], key: str, fmt: Any) -> str:
    return str(fmt(report["totals"][key]))


def _cards(report: dict[str, Any]) -> str:
    cards = []
    for key, title, fmt in HEADLINES:
        value = _value(report, key, fmt)
        before = report["previous"]["totals"].get(key)
        note = f"previous: {escape(str(fmt(before)))}"
        cards.append(
            f'<div class="metric" data-metric="{key}"><span class="name">{escape(title)}</span>'
            f'<span class="value">{escape(value)}</span><small>{note}</small></div>'
        )
    return f'<section class="metrics">{"".join(cards)}</section>'


def _charts(report: dict[str, Any]) -> str:
    titles = {key: (title, fmt) for key, title, fmt in HEADLINES}
    labels = [row["label"] for row in report["series"]]
    charts = []
    for key in CHARTS:
        title, fmt = titles[key]
        values = [row[key] for row in report["series"]]
        charts.append(
            f'<figure class="card"><figcaption>{escape(title)}</figcaption>'
            f"{bar_chart(title, labels, values, fmt)}</figure>"
        )
    return f'<section class="charts">{"".join(charts)}</section>'


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<table class="list" id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _series(report: dict[str, Any]) -> str:
    keys = list(HEADLINES)
    rows = [[row["label"], *(str(f(row[k])) for k, _, f in keys)] for row in report["series"]]
    return _table(["Period", *(t for _, t, _ in keys)], rows, "series")


def _reasons(report: dict[str, Any]) -> str:
    rows = [
        [
            r["reason"],
            str(r["count"]),
            percent(r["share"]),
            str(r["previous_count"]),
            f"{r['change']:+d}",
        ]
        for r in report["top_reasons"]
    ]
    return _table(["Reason", "Conversations", "Share", "Previous", "Change"], rows, "reasons")


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


def _select(name: str, options: list[tuple[str, str]], chosen: str | None) -> str:
    tags = "".join(
        f'<option value="{escape(v)}"{" selected" if v == (chosen or "") else ""}>'
        f"{escape(text)}</option>"
        for v, text in options
    )
    return f'<select name="{name}" id="{name}">{tags}</select>'


def _form(
    report: dict[str, Any], agents: list[tuple[str, str]], channels: list[str], teams: list[str]
) -> str:
    f = report["filters"]
    groups = [(g.value, g.value.title()) for g in Grouping]
    categories = [("", "All categories")] + [(c.value, c.value) for c in TicketCategory]
    channel_options = [("", "All channels")] + [(c, c) for c in channels]
    team_options = [("", "All teams")] + [(t, t) for t in teams]
    return f"""
<form class="filters card" method="get" action="/reports/" id="report-form">
  <label>From <input type="date" name="from" value="{escape(report["from"])}"></label>
  <label>To <input type="date" name="to" value="{escape(report["to"])}"></label>
  <label>Group by {_select("group", groups, report["group"])}</label>
  <label>Channel {_select("channel", channel_options, f["channel"])}</label>
  <label>Category {_select("category", categories, f["category"])}</label>
  <label>Agent {_select("agent", [("", "All agents"), *agents], str(f["agent_id"] or ""))}</label>
  <label>Team {_select("team", team_options, f["team"])}</label>
  <button type="submit" class="primary">Show</button>
</form>"""


def _unavailable(items: str) -> str:
    if not items:
        return ""
    return (
        '<section class="card"><h2>Not available yet</h2>'
        f'<ul id="unavailable">{items}</ul></section>'
    )


def report_body(report: dict[str, Any]) -> str:
    unavailable = "".join(
        f"<li><b>{escape(k)}</b>: not available yet. {escape(v)}</li>"
        for k, v in report["unavailable"].items()
    )
    return f"""
<p class="muted">{escape(report["from"])} – {escape(report["to"])} ({escape(report["timezone"])}),
 compared with {escape(report["previous"]["from"])} – {escape(report["previous"]["to"])}.</p>
{_cards(report)}
{_charts(report)}
<section class="card"><h2>By {escape(report["group"])}</h2>{_series(report)}</section>
<section class="card"><h2>Top contact reasons</h2>{_reasons(report)}</section>
<section class="card"><h2>Agents</h2>{_agents(report)}</section>
{_unavailable(unavailable)}"""


def reports_page(
    report: dict[str, Any],
    *,
    csv_url: str,
    agents: list[tuple[str, str]],
    channels: list[str],
    teams: list[str],
) -> str:
    body = f"""
<header class="topbar"><a class="brand" href="/console/">supportbot console</a>
  <nav><a href="/reports/">Reports</a> <a href="{escape(csv_url)}" id="csv-link">CSV</a></nav>
</header>
<main class="reports">
  <h1>Reports</h1>
  {_form(report, agents, channels, teams)}
  {report_body(report)}
</main>"""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><title>Reports · supportbot</title>'
        '<link rel="stylesheet" href="/reports/static/reports.css">'
        '<script src="/reports/static/reports.js" defer></script>'
        f"</head><body>{body}</body></html>"
    )


def digest_html(report: dict[str, Any]) -> str:
    """A standalone page (styles inlined) for e-mail or a file."""
    css = (STATIC_DIR / "reports.css").read_text(encoding="utf-8")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>supportbot digest {escape(report['from'])}</title><style>{css}</style>"
        f'</head><body><main class="reports"><h1>Daily digest {escape(report["from"])}</h1>'
        f"{report_body(report)}</main></body></html>"
    )
