"""Settling what a return takes back: which lines and how many, asked until it is exact, with a
clear answer for counts of 0, more than bought, items not on the order, and refused items."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from actions import parsing
from actions.tasks import order_lines, return_refusals
from actions.tasks.order_lines import Item, Selection, Wanted
from actions.turn import Turn

PROPOSALS = ("return", "return_revised")  # yes/no: open this return?
CHANGING = "return_change"  # open question: what should the return take instead?
QUANTITY_ASKED = re.compile(r"^(\d+) × (.+)$")


def returnable(items: list[Item]) -> list[Item]:
    return [i for i in items if i["returnable"] and i["returnable_quantity"] > 0]


def listing(items: list[Item]) -> str:
    return ", ".join(f"{i['returnable_quantity']} × {i['name']}" for i in items)


def quantity_question(turn: Turn) -> str:
    verb = "exchange" if turn.slot("task") == "exchange_item" else "return"
    return f"How many of the {turn.slot('return_quantity_of')} do you want to {verb}?"


def details_needed(task: str, slot: Callable[[str], Any]) -> list[str]:
    """What details_form asks for a return, in order: the item (and how many) first, since
    the task checks them against the order before anything else is asked."""
    needed = ["item"]
    if slot("return_quantity_of"):
        needed.append("return_quantity")
    if not order_lines.is_settled(slot("item")):
        return needed
    needed += ["return_reason", "item_condition", "resolution"]
    if task == "exchange_item" or parsing.resolution(slot("resolution") or "") == "exchange":
        needed.append("exchange_for")
    return needed


def changed(current: list[Wanted], change: Selection, items: list[Item]) -> Selection | None:
    """The selection after "no, just one" / "only the mug" / "all of it"; None: no change said."""
    if change.excluded and not (change.lines or change.ambiguous):  # "not the mug"
        return Selection(lines=[w for w in current if w.item not in change.excluded])
    if change.lines or change.ambiguous:
        before = {w.item["item_id"]: w.quantity for w in current}
        lines = [
            Wanted(w.item, w.quantity if w.quantity is not None else before.get(w.item["item_id"]))
            for w in change.lines
        ]
        return Selection(lines=lines, ambiguous=change.ambiguous)
    if change.everything:
        return Selection(everything=True)
    if change.count is not None:
        open_lines = [w for w in current if w.quantity is None] or current
        if not current and len(returnable(items)) == 1:
            return Selection(lines=[Wanted(returnable(items)[0], change.count)])
        if len(open_lines) != 1:
            return Selection(ambiguous=[w.item for w in current] or returnable(items))
        lines = [
            Wanted(w.item, change.count if w is open_lines[0] else w.quantity) for w in current
        ]
        return Selection(lines=lines)
    return None


def _answered_quantity(turn: Turn, lines: list[Wanted]) -> None:
    """The form's answer to "How many of the 2 × Scented candle ...?"."""
    asked = QUANTITY_ASKED.match(str(turn.slot("return_quantity_of") or ""))
    if asked is None:
        return
    answer = turn.slot("return_quantity")
    for wanted in lines:
        if wanted.item["name"] == asked.group(2) and wanted.quantity is None and answer:
            wanted.quantity = int(answer)
    turn.set("return_quantity_of", None)
    turn.set("return_quantity", None)


def ask_item(turn: Turn, text: str, in_form: bool) -> None:
    turn.say(text)
    turn.set("item", None)
    _wait_for_answer(turn, in_form)


def _wait_for_answer(turn: Turn, in_form: bool) -> None:
    """In details_form, or (after a "no", where no rule leads to the form) as an open question
    the next message answers."""
    if in_form:
        if turn.slot("pending_confirmation"):
            turn.set("pending_confirmation", None)
        turn.next("details")
    else:
        turn.set("pending_confirmation", CHANGING)
        turn.next("none")


def _ask_quantity(turn: Turn, lines: list[Wanted], line: Wanted, in_form: bool) -> None:
    turn.set("item", order_lines.written(lines))
    turn.set("return_quantity_of", f"{line.item['returnable_quantity']} × {line.item['name']}")
    turn.set("return_quantity", None)
    if not in_form:
        turn.say(quantity_question(turn))
    _wait_for_answer(turn, in_form)


def settle(
    turn: Turn, selection: Selection, items: list[Item], in_form: bool
) -> list[Wanted] | None:
    """The exact lines (all counts known and allowed), written to the `item` slot; None when the
    customer was asked something or told why not."""
    can = returnable(items)
    if selection.ambiguous:
        names = " or ".join(dict.fromkeys(i["name"] for i in selection.ambiguous))
        ask_item(turn, f"Which one do you mean: {names}?", in_form)
        return None
    if selection.unknown and not (selection.lines or selection.everything):
        words = parsing.clip(" ".join(selection.unknown), 60)
        ask_item(
            turn, f'I can\'t find "{words}" in order {turn.order}. {_offer(turn, can)}', in_form
        )
        return None
    lines = [Wanted(i, i["returnable_quantity"]) for i in can] if selection.everything else []
    lines = lines or selection.lines
    if not lines:
        return _nothing_named(turn, can, in_form)
    refused = [w.item for w in lines if w.item not in can]
    if refused and len(refused) == len(lines):
        resolution = str(turn.slot("resolution") or "refund")
        return_refusals.refuse_items(turn, refused, can, resolution)
        return None
    if refused:
        turn.say(" ".join(str(i["reason"] or f"{i['name']} can't be returned.") for i in refused))
        lines = [w for w in lines if w.item in can]
    for wanted in lines:
        _check_count(turn, wanted)
    open_line = next((w for w in lines if w.quantity is None), None)
    if open_line is not None:
        _ask_quantity(turn, lines, open_line, in_form)
        return None
    turn.set("item", order_lines.written(lines))
    return lines


def _offer(turn: Turn, can: list[Item]) -> str:
    return f"These items of order {turn.order} can be returned: {listing(can)}."


def _nothing_named(turn: Turn, can: list[Item], in_form: bool) -> list[Wanted] | None:
    earlier = return_refusals.earlier_refusal(turn)
    if earlier and earlier["items"]:  # "but I want to return it": the refused item
        turn.set("item", None)
        return_refusals.insist(turn, earlier, can)
        return None
    if len(can) == 1:
        return settle(turn, Selection(lines=[Wanted(can[0])]), can, in_form)
    if in_form:
        ask_item(turn, _offer(turn, can), in_form)
    else:
        ask_item(turn, f"{_offer(turn, can)} Which item, and how many?", in_form)
    return None


def _check_count(turn: Turn, wanted: Wanted) -> None:
    """A count of 0 or more than can be returned is said and asked again; 1 of 1 needs no
    question."""
    item = wanted.item
    maximum = item["returnable_quantity"]
    if wanted.quantity == 0:
        turn.say(f"A return needs at least 1 × {item['name']}.")
        wanted.quantity = None
    elif wanted.quantity is not None and wanted.quantity > maximum:
        already = item["quantity"] - maximum
        more = f" ({already} already in a return)" if already > 0 else ""
        turn.say(
            f"You ordered {item['quantity']} × {item['name']}{more}, so you can return at "
            f"most {maximum}."
        )
        wanted.quantity = None
    if wanted.quantity is None and maximum == 1:
        wanted.quantity = 1


def current_lines(turn: Turn, items: list[Item]) -> list[Wanted]:
    """The lines the `item` slot holds as the task wrote them, with the form's count answer."""
    lines = order_lines.written_lines(turn.slot("item"), items) or []
    _answered_quantity(turn, lines)
    return lines
