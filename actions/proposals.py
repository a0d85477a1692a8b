"""Every change the bot proposes has an id in the conversation; once it is done, the bot never
proposes it again, whatever arrives (a late "yes", a replayed button, a message the dialogue
answers by repeating its last step). The backend's idempotency keys already stop a second
change; this stops the second question.

The id is a digest of what the question is about: the kind of change, the verified order and
the details the task collected (address, items, reason...). It is taken when the question is
asked and kept in `pending_proposal`; the yes that makes the change moves it to
`done_proposals`."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actions.turn import Turn

PENDING_SLOT = "pending_proposal"
DONE_SLOT = "done_proposals"
# What a proposal is about besides its kind and order: the details tasks collect.
DETAILS = (
    "new_address",
    "item",
    "return_quantity",
    "return_reason",
    "item_condition",
    "resolution",
    "exchange_for",
    "complaint_category",
    "complaint_description",
)
# Asked again after the customer changed it ("no, just one"): still the same return.
SAME_KIND = {"return_revised": "return"}
MOST_REMEMBERED = 50  # a conversation makes a handful of changes; the slot stays small


def proposal_id(turn: Turn, pending: str) -> str:
    """The same id for the same change of the same order with the same details."""
    kind = SAME_KIND.get(pending, pending)
    details = {name: turn.slot(name) for name in DETAILS if turn.slot(name) not in (None, "")}
    raw = json.dumps([kind, turn.order, details], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def done(turn: Turn) -> list[str]:
    value = turn.slot(DONE_SLOT)
    return [str(item) for item in value] if isinstance(value, list) else []


def is_done(turn: Turn, proposal: Any) -> bool:
    return bool(proposal) and str(proposal) in done(turn)


def remember_done(turn: Turn, proposal: Any) -> None:
    if proposal and not is_done(turn, proposal):
        turn.set(DONE_SLOT, [*done(turn), str(proposal)][-MOST_REMEMBERED:])


def already_done(pending: str, order: str | None, ticket: Any = None) -> str:
    """What the bot says instead of asking for a change it already made."""
    of_order = f" of order {order}" if order else ""
    if pending == "cancel":
        return f"Order {order} is already cancelled: I did that earlier in our chat."
    if pending == "address":
        return f"I've already changed the delivery address{of_order} to that address."
    if pending in ("return", "return_revised"):
        return f"I've already opened that return{of_order}: its return number is above."
    if pending == "refund":
        return f"I've already asked for that refund{of_order}."
    number = f" ({ticket})" if ticket else ""
    return f"I've already opened that ticket{number}{of_order}: our team has it."
