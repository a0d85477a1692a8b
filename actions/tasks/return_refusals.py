"""A refused return stays refused: the reason once; when the customer insists ("but I really
want to return it", "yes please"), a short explanation and the offer of a person, never a
question that would open the refused return."""

from __future__ import annotations

from typing import Any

from actions.tasks.order_lines import Item
from actions.turn import Turn

REFUSED = "return_refused"  # {"order", "items" ([] = the whole order), "reason", "resolution"}


def earlier_refusal(turn: Turn) -> dict[str, Any] | None:
    """What the bot refused for this order in this conversation."""
    value = turn.slot(REFUSED)
    if isinstance(value, dict) and value.get("order") == turn.order:
        return value
    return None


def _remember(turn: Turn, reason: str, items: list[str], resolution: str) -> None:
    record = {"order": turn.order, "items": items, "reason": reason, "resolution": resolution}
    turn.set(REFUSED, {**record, "times": 0})


def _listing(items: list[Item]) -> str:
    return ", ".join(f"{i['returnable_quantity']} × {i['name']}" for i in items)


async def refuse_order(turn: Turn, eligibility: dict[str, Any], resolution: str) -> None:
    """Nothing of the order can be returned (window closed, not delivered, all returned)."""
    earlier = earlier_refusal(turn)
    if earlier and not earlier["items"] and earlier["resolution"] == resolution:
        insist(turn, earlier, [])
        return
    reason = str(eligibility["reason"])
    turn.say(reason)
    _remember(turn, reason, [], resolution)
    if eligibility["code"] == "outside_return_window" and resolution != "exchange":
        exchange = await turn.api.return_eligibility(str(turn.order), "exchange")
        if exchange["eligible"]:
            turn.ask(
                f"An exchange is still possible (exchanges are accepted within "
                f"{exchange['window_days']} days). Shall I start an exchange instead?",
                pending="exchange_instead",
            )
            return
    turn.solved()
    turn.anything_else()


def refuse_items(turn: Turn, refused: list[Item], returnable: list[Item], resolution: str) -> None:
    """The customer named only items that can't be returned (final sale, already returned)."""
    names = [item["name"] for item in refused]
    earlier = earlier_refusal(turn)
    turn.set("item", None)
    if earlier and set(names) <= set(earlier["items"]):
        insist(turn, earlier, returnable)
        return
    reason = " ".join(
        dict.fromkeys(str(i["reason"] or f"{i['name']} can't be returned.") for i in refused)
    )
    others = f" These items of order {turn.order} can be returned: {_listing(returnable)}."
    turn.say(reason + (others if returnable else ""))
    _remember(turn, reason, names, resolution)
    turn.solved()
    turn.anything_else()


def insist(turn: Turn, earlier: dict[str, Any], returnable: list[Item]) -> None:
    """The customer asks again for what was refused: explain, offer a person."""
    times = int(earlier.get("times") or 0)
    if times == 0:
        text = (
            f"I understand, and I'm sorry. {earlier['reason']} I can't make an exception "
            "myself, but a colleague can look at it with you."
        )
    else:
        text = "I'm sorry, I can't open that return myself."
    if returnable:
        text += f" (These items can still be returned: {_listing(returnable)}.)"
    turn.set(REFUSED, {**earlier, "times": times + 1})
    turn.ask(f"{text} Shall I pass you to a person?", pending="handoff")


def refused_just_now(turn: Turn) -> dict[str, Any] | None:
    """The refusal the bot's last reply gave, if it gave one (a "yes" to it is insisting)."""
    earlier = earlier_refusal(turn)
    if earlier is None:
        return None
    users = 0
    for event in reversed(turn.tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            if str(earlier["reason"]) in str(event.get("text") or ""):
                return earlier
    return None
