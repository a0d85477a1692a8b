"""Answers to "Shall I open a return of 2 × Scented candle ...?" other than a plain yes: the
change a "no" says ("no, just one", "only the mug"), else the question what to change; a second
"no" stops. The same question is never asked again unchanged."""

from __future__ import annotations

from actions import parsing
from actions.tasks import exchanges, order_lines, return_choice, returns
from actions.tasks.order_lines import Selection
from actions.turn import Turn

ASK_CHANGE = (
    "Okay, I haven't opened it. What should I change: which item, or how many? "
    '(For example "just one" or "only the mug"; say "no" to leave it.)'
)
LEFT = "Okay, I'll leave it there: no return was opened."


async def _apply_change(turn: Turn, *, in_form: bool, always: bool = False) -> bool:
    """Ask again with the change the latest message says; False (nothing said) when it says
    none, unless `always` (then the current lines are asked about again)."""
    hint = order_lines.read(turn.text, [])  # no API call for a plain "no"
    resolution = parsing.resolution(turn.text)  # "no, I want store credit"
    switched = resolution is not None and resolution != turn.slot("resolution")
    if switched:
        turn.set("resolution", resolution)
    switched = exchanges.changed_wish(turn) or switched  # "no, a size L"
    if not (always or switched or hint.count is not None or hint.everything or hint.unknown):
        return False
    eligibility = await returns.eligibility_for(turn)
    if not eligibility["eligible"]:
        turn.say(str(eligibility["reason"]))
        turn.anything_else()
        return True
    items = eligibility["items"]
    current = order_lines.written_lines(turn.slot("item"), items) or []
    change = return_choice.changed(current, order_lines.read(turn.text, items), items)
    if change is None and not (always or switched):
        return False
    lines = return_choice.settle(turn, change or Selection(lines=current), items, in_form)
    if lines is not None:
        returns.ask_or_propose(turn, lines, revised=True, in_form=in_form)
    return True


async def decline(turn: Turn, pending: str) -> None:
    """A "no" to a return question (`pending`: return, return_revised or return_change)."""
    if await _apply_change(turn, in_form=False):
        return
    if pending == "return":
        turn.say(ASK_CHANGE)
        turn.set("pending_confirmation", return_choice.CHANGING)
        turn.next("none")
        return
    turn.say(LEFT)
    turn.clear_details()
    for name in returns.FOLLOW_UPS:
        if turn.slot(name) is not None:
            turn.set(name, None)
    turn.anything_else()
    turn.next("none")


async def propose_again(turn: Turn) -> None:
    """A "yes" to "What should I change?": the change it says, else the same lines asked about
    once more (a "no" to that stops)."""
    await _apply_change(turn, in_form=True, always=True)
