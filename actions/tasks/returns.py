"""Returns and exchanges: eligibility (with the reason when refused), details, RMA."""

from __future__ import annotations

import re
from typing import Any

from actions import parsing
from actions.clients.ticketing_api import idempotency_key
from actions.turn import Turn

ALL = {"all", "everything", "all of it", "the whole order", "whole order", "all items", "both"}


def returnable(eligibility: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in eligibility["items"] if i["returnable"] and i["returnable_quantity"] > 0]


def match_items(text: str | None, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items a customer means: "all", a SKU, or words of the name ("the blue sneakers")."""
    said = (text or "").lower().strip()
    if not said:
        return []
    if said in ALL or said.startswith("all "):
        return items
    exact = [i for i in items if i["name"].lower() == said or i["sku"].lower() == said]
    if exact:
        return exact
    words = {w for w in re.findall(r"[\w-]+", said) if len(w) > 2}
    scored = [(len(words & set(re.findall(r"[\w-]+", i["name"].lower()))), i) for i in items]
    best = max((score for score, _ in scored), default=0)
    return [i for score, i in scored if score == best] if best else []


def normalise_details(turn: Turn) -> None:
    """Details taken from entities outside details_form were never validated ("a bit too snug"):
    bring them to the API's values; a condition or resolution that can't be read is asked again."""
    readers = (
        ("return_reason", parsing.return_reason, "other"),
        ("item_condition", parsing.item_condition, None),
        ("resolution", parsing.resolution, None),
    )
    for name, read, default in readers:
        value = turn.slot(name)
        if value is not None:
            canonical = read(str(value)) or default
            if canonical != value:
                turn.set(name, canonical)


async def return_item(turn: Turn) -> None:
    eligibility = await turn.api.return_eligibility(str(turn.order))
    if not eligibility["eligible"]:
        turn.say(str(eligibility["reason"]))
        turn.solved()
        turn.anything_else()
        return
    normalise_details(turn)
    items = returnable(eligibility)
    if turn.slot("task") == "exchange_item" and turn.slot("resolution") != "exchange":
        turn.set("resolution", "exchange")
    if len(items) == 1 and not turn.slot("item"):
        turn.set("item", items[0]["name"])
    chosen = match_items(turn.slot("item"), items) if turn.slot("item") else []
    missing = [
        name
        for name in ("item", "return_reason", "item_condition", "resolution")
        if not turn.slot(name)
    ]
    if not chosen or missing:
        if turn.slot("item") and not chosen:
            turn.set("item", None)
        if not turn.slot("item") and len(items) > 1:
            names = ", ".join(i["name"] for i in items)
            turn.say(f"These items of order {turn.order} can be returned: {names}.")
        turn.next("details")
        return
    what = ", ".join(f"{i['returnable_quantity']} × {i['name']}" for i in chosen)
    outcome = {"refund": "a refund", "exchange": "an exchange", "store_credit": "store credit"}
    turn.ask(
        f"Shall I open a return of {what} from order {turn.order} "
        f"(reason: {str(turn.slot('return_reason')).replace('_', ' ')}, "
        f"condition: {str(turn.slot('item_condition')).replace('_', ' ')}) for "
        f"{outcome.get(str(turn.slot('resolution')), 'a refund')}?",
        pending="return",
    )


async def do_return(turn: Turn) -> None:
    number = str(turn.order)
    eligibility = await turn.api.return_eligibility(number)
    chosen = match_items(turn.slot("item"), returnable(eligibility))
    if not eligibility["eligible"] or not chosen:
        turn.say(str(eligibility.get("reason") or "Those items can't be returned any more."))
        turn.anything_else()
        return
    request = {
        "items": [{"item_id": i["item_id"], "quantity": i["returnable_quantity"]} for i in chosen],
        "reason": turn.slot("return_reason"),
        "condition": turn.slot("item_condition"),
        "resolution": turn.slot("resolution") or "refund",
    }
    created = await turn.api.create_return(
        number, request, key=idempotency_key("return", turn.conversation_id, number, request)
    )
    turn.say(
        f"Done: your return number (RMA) is {created['rma_number']}, status "
        f"{created['status']}. {created['next_steps']}"
    )
    turn.solved()
    turn.anything_else()
