"""Changing the delivery address: the backend reads the address as the customer typed it
(POST /api/orders/{n}/shipping-address/parse), the bot reads the fields back and changes the
order after a yes. An address already in the request ("change the address of 10944 to
Hauptstraße 88, 69117 Heidelberg") is used instead of asking for it again."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from actions import parsing
from actions.clients.ticketing_api import ApiRefusal, idempotency_key
from actions.tasks import words
from actions.turn import Turn

SHIPPED = {"shipped", "out_for_delivery", "delivered"}
MAX_TYPED = 20_000  # the API's bound; the parser itself answers anything over 500 characters
REQUEST_INTENT = "change_shipping_address"
# Where the address starts in a request: after the last "to", "is", ":" ("... of 10944 to
# Hauptstraße 88, ...", "my new address is ...", "new address: ...").
CUE = re.compile(r"(?i)(?:\bto\b|\binto\b|\bis\b|:|->|→)")
STOP_HINT = 'Say "stop" to leave it.'
# "..., my email is" once the email is gone: not part of the address.
CONTACT_WORDS = re.compile(
    r"(?i)[,;]?\s*(?:and\s+)?(?:my|the)?\s*(?:e-?mail|phone|mobile)(?:\s+(?:address|number))?"
    r"(?:\s+is)?\s*:?\s*$"
)


def parsed_slot(value: Any) -> dict[str, Any] | None:
    """The backend's reading of the address, as the slot keeps it after a successful parse
    (`{"address": {...}, "text": "..."}`); None for typed text not read yet."""
    if not isinstance(value, str) or not value.startswith("{"):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    ok = isinstance(parsed, dict) and isinstance(parsed.get("address"), dict)
    return parsed if ok and isinstance(parsed.get("text"), str) else None


def address_in_request(events: Iterable[dict[str, Any]], order: str | None) -> str | None:
    """The address the customer gave with the request itself: the text after the last cue
    word of the latest message asking for an address change, when it holds a number."""
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != REQUEST_INTENT:
            continue
        text = _without_contacts(str(event.get("text") or "")[:MAX_TYPED], order)
        for cue in reversed(list(CUE.finditer(text))):
            typed = text[cue.end() :].strip(" :,.-\n")
            if re.search(r"\d", typed) and re.search(r"[^\W\d_]{2}", typed):
                return typed
        return None
    return None


def _without_contacts(text: str, order: str | None) -> str:
    """The request without the email, phone and order number given with it ("..., my email
    is ann@example.com")."""
    text = parsing.EMAIL.sub(" ", text)
    text = CONTACT_WORDS.sub(" ", text)
    if order:
        text = re.sub(rf"#?\b{re.escape(order)}\b", " ", text)
    return text.strip(" :,.-\n")


async def read_address(turn: Turn, number: str, typed: str) -> dict[str, Any] | None:
    """The backend's reading of `typed`, kept in the slot; None (after saying which field is
    missing, and asking again) when it can't be read."""
    try:
        parsed = await turn.api.parse_address(number, typed[:MAX_TYPED])
    except ApiRefusal as refusal:
        if refusal.status != 422:
            raise
        turn.say(f"{refusal.message} {STOP_HINT}")
        turn.set("new_address", None)
        turn.next("details")
        return None
    turn.set("new_address", json.dumps(parsed, ensure_ascii=False))
    return dict(parsed)


async def change_shipping_address(turn: Turn) -> None:
    order = await turn.api.order(str(turn.order))
    if not order["can_change_address"]:
        why = (
            "has already shipped"
            if order["status"] in SHIPPED
            else f"is {words.STATUS[order['status']]}"
        )
        turn.say(
            f"Order {order['number']} {why}, so its delivery address can't be changed any more. "
            "If the parcel can't be delivered it comes back to us and you get a refund."
        )
        turn.anything_else()
        return
    slot = turn.slot("new_address")
    parsed = parsed_slot(slot)
    if parsed is None:
        typed = slot or address_in_request(turn.tracker.events, turn.order)
        if not typed:
            turn.next("details")
            return
        parsed = await read_address(turn, str(order["number"]), str(typed))
        if parsed is None:
            return
    turn.ask(
        f"I'll change the delivery address of order {order['number']} to: {parsed['text']}. "
        "Shall I?",
        pending="address",
    )


async def do_change_address(turn: Turn) -> None:
    number = str(turn.order)
    parsed = parsed_slot(turn.slot("new_address"))
    if parsed is None:
        turn.set("new_address", None)
        turn.next("details")
        return
    address = {k: v for k, v in parsed["address"].items() if v is not None}
    result = await turn.api.change_address(
        number, address, key=idempotency_key("address", turn.conversation_id, number, address)
    )
    turn.say(result["message"])
    turn.solved()
    turn.anything_else()


def form_answer(value: Any) -> str:
    """What the details form keeps when the backend can't read the answer yet: the text
    (the task step reads it, or meets the same failure and says so)."""
    return parsing.clip(str(value), 800)
