"""What every number means (served with the JSON) and which metrics wait for missing data."""

from __future__ import annotations

DEFINITIONS = {
    "conversations": "Conversations started in the period (each starts with the bot).",
    "containment_rate": "Conversations the bot resolved (bot_resolved) and never handed off, "
    "by the end of the range / conversations started.",
    "handoff_rate": "Conversations started in the period that were handed to a person "
    "(bot_handoff by the end of the range) / conversations started.",
    "csat": "Ratings of 4 or 5 / all ratings given in the period (1-5 scale); null without "
    "ratings.",
    "response_rate": "Ratings given / surveys sent (csat_requested events) in the period.",
    "frt": "First response time: first human reply - handoff, for each first reply in the "
    "period (seconds; median, p90, mean).",
    "resolution": "Resolution time: created - last resolution, for conversations whose last "
    "resolution falls in the period and that are still resolved or closed (a reopened one "
    "counts again when it is resolved again).",
    "reopened_rate": "Of the conversations resolved in the period, those the customer reopened "
    "after that resolution (by the end of the range).",
    "backlog": "Conversations with a person (owner human) at the end of the period.",
    "refund_rate": "Orders delivered in the period with a refund that did not fail (made by the "
    "end of the range) / orders delivered. Channel, category and agent filters do not apply.",
    "return_rate": "Orders delivered in the period with a return request (made by the end of "
    "the range) / orders delivered. Channel, category and agent filters do not apply.",
    "top_reasons": "Conversations started in the period by reason: the bot's intent kept with "
    "the handoff, else the handoff ticket's category, else 'unrecorded'.",
    "agents": "Per agent: handled = conversations they resolved in the period; FRT from their "
    "first replies; resolution time of their resolutions; CSAT of ratings attributed to them.",
    "agent_filter": "agent = the conversation's assignee; for events, the staff member who "
    "acted; for ratings, the rated agent.",
}

UNAVAILABLE = {
    "nps": "No NPS survey is stored yet: the 0-10 question and its table do not exist.",
    "sla_breach_rate": "Tickets carry a priority but no SLA clock yet: there are no per-ticket "
    "targets or breach records to count.",
    "team": "Agents are not grouped into teams yet, so there is no team filter.",
}
