"""Why a customer got in touch, stored on the conversation for the reports: the first task the
bot recognised; when the bot recognised none, the category of the ticket a person handled;
an agent's correction in the console overrides both.

The reasons are the bot's task intents (domain.yml) and the ticket categories; greetings,
yes/no, thanks, chitchat and "a person please" are not reasons.
"""

from __future__ import annotations

import enum

from ticketing.conversations.models import Conversation
from ticketing.errors import InvalidInputError
from ticketing.tickets.models import TicketCategory

# What the customer can ask the bot to do or answer (domain.yml's intents minus small talk).
TASK_REASONS = (
    "order_status",
    "late_delivery",
    "cancel_order",
    "change_shipping_address",
    "return_item",
    "exchange_item",
    "refund_request",
    "refund_status",
    "damaged_or_wrong_item",
    "payment_issue",
    "complaint",
    "ask_policy",
    "delivery_options",
    "feedback",
)
CATEGORY_REASONS = tuple(category.value for category in TicketCategory)
REASONS = frozenset((*TASK_REASONS, *CATEGORY_REASONS))
# Older names some recorded contexts (and the demo history before December) use.
ALIASES = {"return_request": "return_item", "change_address": "change_shipping_address"}


class Source(enum.StrEnum):
    BOT = "bot"  # the first task the bot recognised
    TICKET = "ticket"  # the handoff ticket's category (the bot recognised no task)
    AGENT = "agent"  # an agent's correction


def as_reason(name: str | None) -> str | None:
    """`name` (an intent or a category) as a contact reason, or None if it is not one."""
    if not name:
        return None
    name = ALIASES.get(name, name)
    return name if name in REASONS else None


def needs_bot_reason(conversation: Conversation) -> bool:
    """Whether the bot's recognised task would still change the reason (none yet, or only the
    ticket's category)."""
    return conversation.contact_reason_source in (None, Source.TICKET.value)


def _set(conversation: Conversation, reason: str, source: Source) -> None:
    conversation.contact_reason = reason
    conversation.contact_reason_source = source.value


def from_bot(conversation: Conversation, task: str | None) -> bool:
    """The bot recognised `task`: the reason unless an earlier task or an agent set one.
    True when it changed the reason."""
    reason = as_reason(task)
    if reason is None or reason in CATEGORY_REASONS or not needs_bot_reason(conversation):
        return False
    _set(conversation, reason, Source.BOT)
    return True


def from_ticket(conversation: Conversation, category: TicketCategory | str | None) -> bool:
    """A person took the conversation over with a ticket of `category`: the reason while
    nothing better is known (the bot's task or an agent's word)."""
    if category is None or conversation.contact_reason_source not in (None, Source.TICKET.value):
        return False
    _set(conversation, TicketCategory(category).value, Source.TICKET)
    return True


def correct(conversation: Conversation, reason: str) -> None:
    """An agent's correction; an unknown reason is refused (nothing changes)."""
    if reason not in REASONS:
        raise InvalidInputError(
            f"{reason[:40]!r} is not a contact reason: pick one from the list.",
            code="unknown_contact_reason",
        )
    _set(conversation, reason, Source.AGENT)
