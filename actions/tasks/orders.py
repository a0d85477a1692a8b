"""Order status and cancellation (the address change is in address_change.py)."""

from __future__ import annotations

from actions.clients.ticketing_api import idempotency_key
from actions.tasks import words
from actions.turn import Turn

SHIPPED = {"shipped", "out_for_delivery", "delivered"}


async def order_status(turn: Turn) -> None:
    order = await turn.api.order(str(turn.order))
    tracking = order["tracking"]
    turn.say(words.order_status_reply(order))
    turn.solved()
    question = words.DELIVERY_TICKET_QUESTION.get(tracking["delivery_state"])
    if question:
        turn.ask(question, pending="late_ticket")
    else:
        turn.anything_else()


async def cancel_order(turn: Turn) -> None:
    order = await turn.api.order(str(turn.order))
    if order["status"] == "cancelled":
        turn.say(f"Order {order['number']} is already cancelled.")
        turn.solved()
        turn.anything_else()
    elif order["can_cancel"]:
        turn.ask(
            f"Order {order['number']} ({words.items(order)}, "
            f"{words.money(order['total'], order['currency'])}) can still be cancelled. "
            "Shall I cancel it? Any payment is refunded in full.",
            pending="cancel",
        )
    elif order["status"] == "delivered":
        turn.say(f"Order {order['number']} was already delivered, so it can't be cancelled.")
        turn.ask("You can return it instead. Shall I start a return?", pending="return_instead")
    elif order["status"] in SHIPPED:
        turn.say(
            f"Order {order['number']} has already shipped, so it can't be cancelled any more. "
            "Once it arrives you can return it: just tell me and I'll start the return."
        )
        turn.solved()
        turn.anything_else()
    else:
        turn.say(f"Order {order['number']} can't be cancelled at this stage.")
        turn.anything_else()


async def do_cancel(turn: Turn) -> None:
    number = str(turn.order)
    result = await turn.api.cancel(
        number,
        key=idempotency_key("cancel", turn.conversation_id, number),
        reason="customer request via chat",
    )
    turn.say(result["message"])
    turn.solved()
    turn.anything_else()
