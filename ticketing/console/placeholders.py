"""Placeholders in canned and suggested replies, filled from the conversation on insert.

`{customer_name}`, `{order_number}`, `{agent_name}` (and their first-name variants) become the
conversation's values; a placeholder we don't know, or one whose value the conversation lacks,
stays in the text as it was written, so the agent sees it and fills it in: never blank."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticketing.console import collected
from ticketing.conversations import bot_record
from ticketing.conversations.models import Conversation

PLACEHOLDER = re.compile(r"\{([a-z_]{1,40})\}")
KNOWN = (
    "customer_name",
    "customer_first_name",
    "order_number",
    "ticket_number",
    "agent_name",
    "agent_first_name",
)


@dataclass(frozen=True)
class Filled:
    text: str
    missing: list[str]  # placeholders left in the text for the agent, in order of appearance


def _first(name: str | None) -> str | None:
    return name.split()[0] if name and name.split() else None


def values_for(conversation: Conversation | None, *, agent_name: str | None) -> dict[str, str]:
    """What the conversation knows: the verified customer, the order, the ticket; and the agent
    who inserts the reply. Unknown values are left out (their placeholders stay)."""
    values: dict[str, str | None] = {
        "agent_name": agent_name,
        "agent_first_name": _first(agent_name),
    }
    if conversation is not None:
        customer = conversation.customer.name if conversation.customer is not None else None
        if customer is None:
            found = (bot_record.collected(conversation).get("customer") or {}).get("name")
            customer = str(found) if found else None
        ticket = conversation.ticket
        values |= {
            "customer_name": customer,
            "customer_first_name": _first(customer),
            "order_number": collected.order_number(conversation),
            "ticket_number": ticket.number if ticket is not None else None,
        }
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


def fill(text: str, values: dict[str, str]) -> Filled:
    """`text` with every placeholder that has a value replaced; the others stay visible."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            missing.append(match.group(0))
            return match.group(0)
        return value

    return Filled(text=PLACEHOLDER.sub(replace, text), missing=missing)
