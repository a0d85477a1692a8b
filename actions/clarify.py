"""Asking instead of guessing: when the NLU is unsure (or two requests score close), the bot
offers the likely requests as buttons; a button sends the request itself (with what the
message already said, e.g. its order number), so the chosen task simply starts.

    "Sorry, I'm not sure I understood. Do you want to:"
    [Track an order] [Return an item] [Something else]

A typed "yes" takes the first choice; "no" or "Something else" asks for other words.
"""

from __future__ import annotations

import json
from typing import Any

from actions.turn import Turn

# The requests a customer can be offered, with the words on their button.
CHOICES = {
    "order_status": "Track an order",
    "cancel_order": "Cancel an order",
    "change_shipping_address": "Change the delivery address",
    "return_item": "Return an item",
    "exchange_item": "Exchange an item",
    "refund_request": "Get a refund",
    "refund_status": "Check on a refund",
    "damaged_or_wrong_item": "Report a damaged or wrong item",
    "late_delivery": "Report a late or missing parcel",
    "payment_issue": "Sort out a payment problem",
    "complaint": "Make a complaint",
    "ask_policy": "Ask about our policies",
    "delivery_options": "Ask about delivery options",
    "human_agent": "Talk to a person",
    "feedback": "Give feedback",
}
MAX_CHOICES = 3
# A request under this confidence is not worth offering.
MIN_CONFIDENCE = 0.1
PENDING_PREFIX = "clarify:"
# "Shall I pass you to a colleague?" after the second miss: yes hands over, no asks again.
FALLBACK_HANDOFF = "fallback_handoff"
# Entities worth carrying into the chosen request (the rest are asked again if needed).
CARRIED = ("order_number", "email", "phone", "item", "return_reason", "item_condition")
SOMETHING_ELSE = {"title": "Something else", "payload": "/deny"}


def candidates(latest_message: dict[str, Any]) -> list[str]:
    """The likely requests of the message, best first (at most three)."""
    ranking = latest_message.get("intent_ranking") or []
    picked: list[str] = []
    for entry in ranking:
        name = entry.get("name")
        if name in CHOICES and float(entry.get("confidence") or 0) >= MIN_CONFIDENCE:
            if name not in picked:
                picked.append(str(name))
        if len(picked) == MAX_CHOICES:
            break
    return picked


def payload(intent: str, entities: list[dict[str, Any]]) -> str:
    """`/intent{"entity": "value"}`: Rasa reads it as that intent with those entities."""
    carried: dict[str, str] = {}
    for found in entities:
        name, value = found.get("entity"), found.get("value")
        if name in CARRIED and isinstance(value, str) and name not in carried:
            carried[str(name)] = value[:200]
    if not carried:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(carried, separators=(",", ":"), ensure_ascii=False)


def offer(turn: Turn, choices: list[str], *, with_person: bool = False) -> None:
    """Ask which request the customer meant (`with_person`: "Talk to a person" is one)."""
    if with_person and "human_agent" not in choices:
        choices = [*choices, "human_agent"]
    entities = list(turn.tracker.latest_message.get("entities") or [])
    buttons = [{"title": CHOICES[name], "payload": payload(name, entities)} for name in choices]
    turn.say(
        "Sorry, I'm not sure I understood. Do you want to:", buttons=[*buttons, SOMETHING_ELSE]
    )
    turn.set("pending_confirmation", PENDING_PREFIX + ",".join(choices))
    turn.next("none")


def is_pending(pending: Any) -> bool:
    return isinstance(pending, str) and pending.startswith(PENDING_PREFIX)


def first_choice(pending: str) -> str | None:
    names = [n for n in pending[len(PENDING_PREFIX) :].split(",") if n in CHOICES]
    return names[0] if names else None


def rephrase(turn: Turn) -> None:
    """None of the offered requests: ask for other words (the miss still counts)."""
    turn.say("Okay. Could you tell me in a few words what you need?")
    turn.dispatcher.utter_message(response="utter_help")
    turn.next("none")
