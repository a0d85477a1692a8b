"""The reports page's "Customers at risk" table: who (name and masked email), why, when they
were last in touch, and a link to their history in the console."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from ticketing.reports.at_risk import COMPLAINT_REASONS, LOW_SCORE, REPEATED
from ticketing.reports.labels import day_label, reason_label

DEFINITION = (
    f"Customers with a rating of {LOW_SCORE} or less out of 5, a conversation they reopened, or "
    f"{REPEATED} or more complaints ("
    + ", ".join(reason_label(code).lower() for code in COMPLAINT_REASONS)
    + ") in the period. Only customers a verification identified are listed; a name opens "
    "their history in the console."
)
SHOWN = 25  # rows on the page


def _when(text: str | None, zone: ZoneInfo) -> str:
    if not text:
        return "–"
    return day_label(datetime.fromisoformat(text).astimezone(zone).date())


def _row(customer: dict[str, Any], zone: ZoneInfo) -> str:
    name = customer["name"] or f"Customer {customer['customer_id']}"
    who = escape(name)
    url = customer["history_url"]
    if url:
        label = escape(f"{name}'s history in the console")
        who = f'<a href="{escape(url)}" aria-label="{label}">{who}</a>'
    email = escape(customer["email"] or "")
    why = "; ".join(customer["why"])
    return (
        f'<tr data-customer="{customer["customer_id"]}"><td>{who}'
        f'<br><small class="muted">{email}</small></td>'
        f"<td>{escape(why[:1].upper() + why[1:])}</td>"
        f"<td>{escape(_when(customer['last_seen'], zone))}</td></tr>"
    )


def at_risk_placeholder(url: str) -> str:
    """The section before its table arrives: the reports page asks for it separately
    (`url`, the section alone with `fragment=1`), so the rest of the page does not wait for
    it. Without JavaScript the link opens it on its own page."""
    return (
        f'<section class="card" id="at-risk-card" data-src="{escape(url)}" aria-busy="true">'
        f'<h2>Customers at risk</h2><p class="definition">{escape(DEFINITION)}</p>'
        f'<p class="muted" data-loading>Finding the customers at risk… '
        f'<a href="{escape(url)}">Open the list on its own page</a></p></section>'
    )


def at_risk_section(report: dict[str, Any]) -> str:
    """The section; a placeholder that loads it when the report has `at_risk_url` instead of
    the table; nothing when it has neither."""
    table = report.get("at_risk")
    if table is None:
        url = report.get("at_risk_url")
        return at_risk_placeholder(url) if url else ""
    zone = ZoneInfo(report["timezone"])
    count, customers = table["count"], table["customers"][:SHOWN]
    notes = "".join(f'<p class="scope">{escape(note)}</p>' for note in table["notes"])
    if not customers:
        body = '<p class="empty-chart">No customer at risk in this period.</p>'
    else:
        shown = f", the {len(customers)} most at risk shown" if count > len(customers) else ""
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Customer", "Why", "Last sign"))
        rows = "".join(_row(customer, zone) for customer in customers)
        body = (
            f'<p class="muted">{count} customer{"" if count == 1 else "s"} at risk{shown}.</p>'
            f'<div class="scroll"><table class="list" id="at-risk"><thead><tr>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
    return (
        f'<section class="card" id="at-risk-card"><h2>Customers at risk</h2>'
        f'<p class="definition">{escape(DEFINITION)}</p>{notes}{body}</section>'
    )
