"""How API values are said to a customer."""

from __future__ import annotations

from typing import Any

STATUS = {
    "pending": "waiting for payment",
    "paid": "paid and being prepared",
    "packed": "packed and about to ship",
    "shipped": "on its way",
    "out_for_delivery": "out for delivery today",
    "delivered": "delivered",
    "cancelled": "cancelled",
}

# A return's status as a sentence ends: "Your return RMA-1 is waiting for approval."
RETURN_STATUS = {
    "requested": "waiting for approval",
    "approved": "approved",
    "received": "back with us",
    "refunded": "refunded",
    "rejected": "not accepted",
}


def return_state(rma: dict[str, Any]) -> str:
    """ "return RMA-1 is approved. Pack the items ...": the number and the status once."""
    status = RETURN_STATUS.get(str(rma["status"]), str(rma["status"]))
    return f"return {rma['rma_number']} is {status}. {rma['next_steps']}"


# The offer after a late or lost parcel's status, in one place: the order status and the
# late-delivery request both end with it. The backend's sentence states the facts; what we do
# about them is said only here.
DELIVERY_TICKET_QUESTION = {
    "late": "I'm sorry it's late. Shall I open a delivery ticket so our logistics team chases "
    "the carrier?",
    "presumed_lost": "I'm sorry. Shall I open a delivery ticket? Our logistics team investigates "
    "with the carrier and sends a replacement or a refund.",
}


def money(amount: Any, currency: str) -> str:
    return f"{amount} {currency}"


def items(order: dict[str, Any], limit: int = 3) -> str:
    names = [f"{i['quantity']} × {i['name']}" for i in order.get("items", [])]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def tracking_line(order: dict[str, Any], said: str = "") -> str:
    """The parcel's carrier, tracking number and tracking page ("" before it ships), each
    said once: the carrier is left out when `said` (the delivery sentence) already names it,
    and the dates are in that sentence, not repeated here."""
    shipments = order.get("tracking", {}).get("shipments") or order.get("shipments") or []
    if not shipments:
        return ""
    last = shipments[-1]
    link = f": {last['tracking_url']}" if last.get("tracking_url") else "."
    if last["carrier"] in said:
        return f"Tracking number {last['tracking_number']}{link}"
    return f"Tracking: {last['carrier']}, number {last['tracking_number']}{link}"


def order_status_reply(order: dict[str, Any]) -> str:
    """One sentence per fact: which order (and what is in it), where it is, how to track it.
    The backend's delivery sentence ("Order N is on its way with GLS and should arrive by ...")
    carries the state; its "Order N" gets the items instead of a second sentence about them."""
    number, tracking = str(order["number"]), order["tracking"]
    named = f"Order {number} ({items(order)})" if order.get("items") else f"Order {number}"
    if tracking["delivery_state"] == "not_shipped":
        sentence = (
            f"{named} is {STATUS.get(order['status'], order['status'])}; it hasn't shipped yet."
        )
    else:
        message = str(tracking["message"])
        prefix = f"Order {number}"
        sentence = named + message[len(prefix) :] if message.startswith(prefix) else message
    return f"{sentence} {tracking_line(order, sentence)}".strip()
