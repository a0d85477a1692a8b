"""The help page linked from the report: how to read it, and every figure's definition (the
same text as the JSON API's `definitions`)."""

from __future__ import annotations

from html import escape

from ticketing.reports.definitions import DEFINITIONS
from ticketing.reports.figures import UP_IS_GOOD, full_definition
from ticketing.reports.formatting import HEADLINES
from ticketing.reports.training import DEFINITIONS as TRAINING_DEFINITIONS

READING = """
<h2>How to read the report</h2>
<ul>
  <li><b>Period.</b> Choose <i>From</i> and <i>To</i> (both days included, in the shop's
  timezone) and whether to group by day, week (Monday to Sunday) or month. A week or month cut
  by the dates you chose is marked <i>partial</i>: it holds fewer days than the others.</li>
  <li><b>Previous period.</b> Every figure is compared with the period of the same length just
  before yours. "previous: no data" means that period had nothing to count (for example no
  ratings), which is not the same as 0.</li>
  <li><b>Arrows.</b> ▲ up, ▼ down, ■ unchanged, with the change (rates in percentage points).
  <span class="trend better">Green</span> is better, <span class="trend worse">red</span> is
  worse, <span class="trend neutral">grey</span> is neither (more conversations is not good or
  bad in itself). Whether a rise is good depends on the figure: the table below says it.</li>
  <li><b>Filters.</b> Channel, category, agent and team narrow every figure about conversations
  and tickets. Refund and return rates are about orders: no filter applies to them, and their
  cards say so while a filter is set.</li>
  <li><b>Containment and handoff rate</b> need not add up to 100%: a conversation still with the
  bot, or abandoned by the customer, is neither solved by the bot nor handed off.</li>
  <li><b>Medians and p90.</b> The median is the middle value: half took less. The p90: 9 in 10
  took less.</li>
  <li><b>Top contact reasons</b> come from each conversation: the first request the bot
  recognised, else the category of the ticket a person handled. An agent can correct a
  conversation's reason in the console (beside the ticket).</li>
  <li><b>Customers at risk</b> had a rating of 1 or 2, reopened a conversation, or complained
  twice or more (complaint, damaged or wrong item, late delivery, product quality) in the
  period; the strongest cases first, emails masked, the name opens their history in the
  console. The agent and team filters do not apply to reopened conversations. Each customer
  newly at risk is also sent to the CRM once a month (<code>customer.at_risk</code>).</li>
  <li><b>Rates over time</b> are line charts on a 0-100% scale; a gap means no data in that
  period (not 0).</li>
  <li><b>CSV.</b> The CSV link downloads the same figures with readable headers, percentages
  beside the counts they come from and times in minutes. Integrations use
  <code>?format=raw</code> (fractions, seconds, snake_case headers) or the JSON API
  <code>/api/reports/summary</code>, which carries these definitions too.</li>
</ul>"""


def _good_when(key: str) -> str:
    good = UP_IS_GOOD.get(key)
    return "neither" if good is None else "higher" if good else "lower"


def _figures() -> str:
    rows = "".join(
        f'<tr id="{key}"><th scope="row">{escape(title)}</th><td>{_good_when(key)}</td>'
        f"<td>{escape(full_definition(key))}</td></tr>"
        for key, title, _ in HEADLINES
    )
    return (
        '<h2>The figures</h2><div class="scroll"><table class="list" id="definitions">'
        '<thead><tr><th scope="col">Figure</th><th scope="col">Better when</th>'
        f'<th scope="col">Definition</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _tables() -> str:
    items = "".join(
        f'<dt id="{key}">{escape(title)}</dt><dd>{escape(DEFINITIONS[key])}</dd>'
        for key, title in (
            ("top_reasons", "Top contact reasons"),
            ("agents", "Agents"),
            ("agent_filter", "Agent filter"),
            ("team_filter", "Team filter"),
        )
    )
    training = "".join(
        f'<dt id="{key}">{escape(title)}</dt><dd>{escape(TRAINING_DEFINITIONS[key])}</dd>'
        for key, title in (
            ("inbox_size", "Training inbox"),
            ("labelled_per_week", "Labelled per week"),
            ("fallback_rate", "Fallback rate"),
        )
    )
    return f"<h2>Tables and filters</h2><dl>{items}</dl><h2>Training</h2><dl>{training}</dl>"


def help_page() -> str:
    body = (
        '<header class="topbar"><a class="brand" href="/console/">supportbot console</a>'
        '<nav><a href="/reports/">Back to the report</a></nav></header>'
        f'<main class="reports help card"><h1>Reading the reports</h1>{READING}{_figures()}'
        f"{_tables()}</main>"
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><title>Reading the reports · supportbot</title>'
        '<link rel="stylesheet" href="/reports/static/reports.css">'
        f"</head><body>{body}</body></html>"
    )
