"""Refund requests and refund status."""

from __future__ import annotations

from typing import Any

from actions.clients.ticketing_api import idempotency_key
from actions.tasks import words
from actions.turn import Turn

NOT_SHIPPED = {"pending", "paid", "packed"}


def _refunded_rmas(refunds: list[dict[str, Any]]) -> set[str]:
    return {r["rma_number"] for r in refunds if r.get("rma_number")}


async def refund_request(turn: Turn) -> None:
    number = str(turn.order)
    order = await turn.api.order(number)
    refunds = await turn.api.refunds(number)
    returns = await turn.api.returns(number)
    waiting = [
        r
        for r in returns
        if r["status"] == "received" and r["rma_number"] not in _refunded_rmas(refunds)
    ]
    open_returns = [r for r in returns if r["status"] in ("requested", "approved")]
    if waiting:
        rma = waiting[0]
        turn.ask(
            f"We received return {rma['rma_number']}. Shall I request the refund of "
            f"{rma['refund_amount']} {rma['currency']} now?",
            pending="refund",
        )
    elif order["status"] == "cancelled" and not refunds:
        turn.ask(
            f"Order {number} is cancelled. Shall I request the refund of its payment now?",
            pending="refund",
        )
    elif refunds:
        turn.say(" ".join(r["message"] for r in refunds))
        turn.solved()
        turn.anything_else()
    elif open_returns:
        rma = open_returns[0]
        turn.say(f"Your {words.return_state(rma)}")
        turn.solved()
        turn.anything_else()
    elif order["status"] in NOT_SHIPPED:
        turn.say(f"Order {number} hasn't shipped yet: cancelling it refunds you in full.")
        turn.ask("Shall I cancel it?", pending="cancel_instead")
    else:
        turn.say("Refunds are made for items you send back.")
        turn.ask(f"Shall I start a return for order {number}?", pending="return_instead")


async def do_refund(turn: Turn) -> None:
    number = str(turn.order)
    refunds = await turn.api.refunds(number)
    returns = await turn.api.returns(number)
    waiting = [
        r
        for r in returns
        if r["status"] == "received" and r["rma_number"] not in _refunded_rmas(refunds)
    ]
    request: dict[str, Any] = {"reason": "customer request via chat"}
    if waiting:
        request["rma_number"] = waiting[0]["rma_number"]
    refund = await turn.api.request_refund(
        number, request, key=idempotency_key("refund", turn.conversation_id, number, request)
    )
    turn.say(refund["message"])
    turn.solved()
    turn.anything_else()


async def refund_status(turn: Turn) -> None:
    number = str(turn.order)
    refunds = await turn.api.refunds(number)
    if refunds:
        turn.say(" ".join(r["message"] for r in refunds))
    else:
        returns = await turn.api.returns(number)
        if returns:
            rma = returns[-1]
            turn.say(f"There's no refund for order {number} yet. Your {words.return_state(rma)}")
        else:
            turn.say(
                f"There's no refund for order {number}: refunds follow a cancellation or a return."
            )
    turn.solved()
    turn.anything_else()
