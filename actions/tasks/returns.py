"""Returns and exchanges: eligibility (with the reason when refused), which lines and how many,
the details, the exchange wish, and the RMA."""

from __future__ import annotations

from typing import Any

from actions import parsing
from actions.clients.ticketing_api import idempotency_key
from actions.start import TASKS
from actions.tasks import exchanges, order_lines, return_choice, return_refusals, words
from actions.tasks.order_lines import Item, Selection, Wanted
from actions.turn import Turn

OUTCOMES = {"refund": "a refund", "exchange": "an exchange", "store_credit": "store credit"}
# Details of one request that action_start_task doesn't clear (it clears actions.turn's
# DETAIL_SLOTS): forgotten here when a new request starts.
FOLLOW_UPS = ("return_quantity", "return_quantity_of", "exchange_for")


def normalise_details(turn: Turn) -> None:
    """Details taken from entities outside details_form were never validated ("a bit too snug"):
    bring them to the API's values, from the entity or else the whole message ("the description
    was misleading", where the entity is only "misleading"); what can't be read is asked again,
    never stored as `other` unasked."""
    readers = (
        ("return_reason", parsing.return_reason),
        ("item_condition", parsing.item_condition),
        ("resolution", parsing.resolution),
    )
    for name, read in readers:
        value = turn.slot(name)
        if value is not None:
            canonical = read(str(value)) or read(turn.text)
            if canonical != value:
                turn.set(name, canonical)


def _request(turn: Turn) -> tuple[int | None, str]:
    """Where the current request starts in the conversation, and what the customer said then."""
    for index in range(len(turn.tracker.events) - 1, -1, -1):
        event = turn.tracker.events[index]
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if event.get("event") == "user" and intent in TASKS:
            return index, parsing.clip(event.get("text"), 500)
    return None, ""


def _forget_earlier_request(turn: Turn) -> None:
    index, _ = _request(turn)
    if turn.slot("return_request") != index:
        for name in FOLLOW_UPS:
            if turn.slot(name) is not None:
                turn.set(name, None)
        turn.set("return_request", index)


async def eligibility_for(turn: Turn) -> dict[str, Any]:
    """Eligibility for the resolution asked for: exchanges have their own, longer window."""
    eligibility: dict[str, Any] = await turn.api.return_eligibility(
        str(turn.order), turn.slot("resolution") or None
    )
    return eligibility


def _meant(turn: Turn, items: list[Item]) -> Selection:
    """What the customer asked to return: the `item` slot, read in the whole request when the
    slot is a word of it ("one of the two candles" around the entity "candles"); else the
    latest message or the request."""
    _, request = _request(turn)
    said = turn.slot("item")
    if said:
        if not order_lines.is_settled(said) and str(said).lower() in request.lower():
            wider = order_lines.read(request, items)
            if wider.lines:
                return wider
        return order_lines.read(said, items)
    for text in (parsing.EMAIL.sub(" ", turn.text), request):
        found = order_lines.read(text, items)
        found.lines += [Wanted(item) for item in found.excluded]  # "I'm not happy with the mug"
        if found.lines or found.everything:
            return found
    return Selection()


async def return_item(turn: Turn) -> None:
    if turn.slot("task") == "exchange_item" and turn.slot("resolution") != "exchange":
        turn.set("resolution", "exchange")
    normalise_details(turn)
    _forget_earlier_request(turn)
    eligibility = await eligibility_for(turn)
    resolution = str(turn.slot("resolution") or "refund")
    if not eligibility["eligible"]:
        await return_refusals.refuse_order(turn, eligibility, resolution)
        return
    items = eligibility["items"]
    pending = turn.slot("pending_confirmation")
    asked_how_many = bool(turn.slot("return_quantity_of"))
    current = return_choice.current_lines(turn, items)
    selection = Selection(lines=current) if current else _meant(turn, items)
    revised = False
    if pending == return_choice.CHANGING and not asked_how_many and _wish_missing(turn):
        turn.set("exchange_for", exchanges.wish(turn.text))  # the answer to "What instead?"
        revised = True
    elif pending in (*return_choice.PROPOSALS, return_choice.CHANGING):
        change = return_choice.changed(current, order_lines.read(turn.text, items), items)
        wish_changed = change is None and exchanges.changed_wish(turn)
        revised = change is not None or wish_changed or pending != "return"
        selection = change or selection
    lines = return_choice.settle(turn, selection, items, in_form=True)
    if lines is not None:
        ask_or_propose(turn, lines, revised=revised)


def _wish_missing(turn: Turn) -> bool:
    return turn.slot("resolution") == "exchange" and not turn.slot("exchange_for")


def ask_or_propose(turn: Turn, lines: list[Wanted], *, revised: bool, in_form: bool = True) -> None:
    """The details still missing, else the exact question (a "no" to a revised one stops).
    Outside the form (after a "no") only the exchange wish can be missing: asked openly."""
    exchange = turn.slot("resolution") == "exchange"
    if exchange and not turn.slot("exchange_for"):
        wish = exchanges.wish(_request(turn)[1], strict=True)  # "for a size M" in the request
        if wish:
            turn.set("exchange_for", wish)
    task = str(turn.slot("task"))
    missing = [n for n in return_choice.details_needed(task, turn.slot) if not turn.slot(n)]
    if missing and not in_form and missing == ["exchange_for"]:
        turn.dispatcher.utter_message(response="utter_ask_exchange_for")
        turn.set("pending_confirmation", return_choice.CHANGING)
        turn.next("none")
        return
    if missing:
        if turn.slot("pending_confirmation"):
            turn.set("pending_confirmation", None)
        turn.next("details")
        return
    what = order_lines.describe(lines)
    outcome = OUTCOMES.get(str(turn.slot("resolution")), "a refund")
    if exchange:
        outcome = f"an exchange ({turn.slot('exchange_for')} instead)"
    turn.ask(
        f"Shall I open a return of {what} from order {turn.order} "
        f"(reason: {str(turn.slot('return_reason')).replace('_', ' ')}, "
        f"condition: {str(turn.slot('item_condition')).replace('_', ' ')}) for {outcome}?",
        pending="return_revised" if revised else "return",
    )


async def do_return(turn: Turn) -> None:
    number = str(turn.order)
    eligibility = await eligibility_for(turn)
    if not eligibility["eligible"]:
        turn.say(str(eligibility["reason"]))
        turn.anything_else()
        return
    items = eligibility["items"]
    current = order_lines.read(turn.slot("item"), items).lines
    change = return_choice.changed(current, order_lines.read(turn.text, items), items)
    if change is not None:  # "yes, but just one": ask again, exactly
        lines = return_choice.settle(turn, change, items, in_form=True)
        if lines is not None:
            ask_or_propose(turn, lines, revised=True)
        return
    lines = return_choice.settle(turn, Selection(lines=current), items, in_form=True)
    if lines is None:
        return
    request: dict[str, Any] = {
        "items": [{"item_id": w.item["item_id"], "quantity": w.quantity} for w in lines],
        "reason": turn.slot("return_reason"),
        "condition": turn.slot("item_condition"),
        "resolution": turn.slot("resolution") or "refund",
    }
    wish = turn.slot("exchange_for")
    if request["resolution"] == "exchange" and wish:
        request["note"] = exchanges.note(str(wish))
    created = await turn.api.create_return(
        number, request, key=idempotency_key("return", turn.conversation_id, number, request)
    )
    wanted = f" You asked for: {wish}." if "note" in request else ""
    status = words.RETURN_STATUS.get(str(created["status"]), str(created["status"]))
    turn.say(
        f"Done: your return number (RMA) is {created['rma_number']} and it is {status}."
        f"{wanted} {created['next_steps']}"
    )
    turn.set("exchange_for", None)
    turn.solved()
    turn.anything_else()
