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


def at_risk_section(report: dict[str, Any]) -> str:
    """The section, or nothing when the report was built without it."""
    table = report.get("at_risk")
    if table is None:
        return ""
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
