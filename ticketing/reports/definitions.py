"""What every number means (served with the JSON, shown on the page and its help page) and
which metrics wait for missing data. Each definition starts with one plain sentence (the page
shows it under the figure), followed by how exactly it is computed."""

from __future__ import annotations

ONE_LINE = {
    "conversations": "How many conversations customers started in the period.",
    "containment_rate": "Share of conversations the bot solved on its own, without a person.",
    "handoff_rate": "Share of conversations the bot handed to a person.",
    "csat": "Share of satisfied customers: ratings of 4 or 5 out of all ratings (1-5).",
    "response_rate": "Share of satisfaction surveys that customers answered.",
    "frt": "How long customers waited for a person's first reply after the handoff.",
    "resolution": "How long conversations took from start to resolution.",
    "reopened_rate": "Share of resolved conversations that the customer reopened.",
    "backlog": "Conversations waiting with a person at the end of the period.",
    "sla_breach_rate": "Share of tickets that missed their response or resolution target.",
    "refund_rate": "Share of delivered orders that were refunded.",
    "return_rate": "Share of delivered orders with a return request.",
    "nps": "Promoters (9-10) minus detractors (0-6), in points from -100 to 100.",
    "top_reasons": "What customers contacted you about.",
    "agents": "How each agent did in the period.",
    "agent_filter": "Agent means the person who had the conversation.",
    "team_filter": "Team means the agent filter's person is in that team.",
}

DETAILS = {
    "conversations": "Conversations started in the period (each starts with the bot).",
    "containment_rate": "Conversations the bot resolved (bot_resolved) and never handed off, "
    "by the end of the range / conversations started. Containment and handoff rate need not "
    "add up to 100%: a conversation still with the bot or abandoned is neither.",
    "handoff_rate": "Conversations started in the period that were handed to a person "
    "(bot_handoff by the end of the range) / conversations started.",
    "csat": "Ratings of 4 or 5 / all ratings given in the period (1-5 scale); null without "
    "ratings.",
    "response_rate": "Ratings given / surveys sent (csat_requested events) in the period.",
    "frt": "First response time: first human reply - handoff, for each first reply in the "
    "period (seconds; median, p90, mean).",
    "resolution": "Resolution time: last resolution - created, for conversations whose last "
    "resolution falls in the period and that are still resolved or closed (a reopened one "
    "counts again when it is resolved again). Seconds; median and p90 (9 in 10 took less).",
    "reopened_rate": "Of the conversations resolved in the period, those the customer reopened "
    "after that resolution (by the end of the range).",
    "backlog": "Conversations with a person (owner human) at the end of the period.",
    "sla_breach_rate": "Tickets created in the period that missed their first-response or "
    "resolution target (the SLA watch recorded sla_breached in the ticket's history, at any "
    "time up to now) / tickets created in the period with an SLA target (a priority the policy "
    "sets targets for). Targets count business hours and pause while the ticket waits on the "
    "customer (pending_customer). A ticket counts once however many targets it missed; the "
    "rate of a recent period can still rise while its tickets are running. Filters: the "
    "ticket's category; the channel, agent (assignee) and team of its conversation, or for a "
    "ticket opened outside a conversation, its own channel and assignee.",
    "refund_rate": "Orders delivered in the period with a refund that did not fail (made by the "
    "end of the range) / orders delivered. Channel, category, agent and team filters do not "
    "apply.",
    "return_rate": "Orders delivered in the period with a return request (made by the end of "
    "the range) / orders delivered. Channel, category, agent and team filters do not apply.",
    "top_reasons": "Conversations started in the period by their stored contact reason: the "
    "first request the bot recognised (greetings, yes/no, thanks and small talk are not "
    "reasons), else the category of the ticket a person handled, or what an agent corrected it "
    "to in the console; 'unrecorded' when none of these is known yet.",
    "agents": "Per agent: their team; handled = conversations they resolved in the period; FRT "
    "from their first replies; resolution time of their resolutions; CSAT of ratings "
    "attributed to them.",
    "agent_filter": "agent = the conversation's assignee; for events, the staff member who "
    "acted; for ratings, the rated agent.",
    "nps": "Net Promoter Score of the 0-10 answers given in the period: % promoters (9-10) - % "
    "detractors (0-6), from -100 to 100; null without answers. The question follows the CSAT "
    "of a resolved conversation when the policy enables it, at most once per customer per "
    "`nps.cooldown_days`. Channel is the answer's, agent and team the agent it rates.",
    "team_filter": "team = the agent filter's person is in the team: the conversation's "
    "assignee, the staff member who acted, or the rated agent (the team they are in now).",
}

DEFINITIONS = {key: f"{ONE_LINE[key]} {DETAILS[key]}" for key in DETAILS}

# Metrics a report cannot compute yet, with the reason (shown on the page); none at present.
UNAVAILABLE: dict[str, str] = {}
