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


def money(amount: Any, currency: str) -> str:
    return f"{amount} {currency}"


def items(order: dict[str, Any], limit: int = 3) -> str:
    names = [f"{i['quantity']} × {i['name']}" for i in order.get("items", [])]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def tracking_line(order: dict[str, Any]) -> str:
    shipments = order.get("tracking", {}).get("shipments") or order.get("shipments") or []
    if not shipments:
        return ""
    last = shipments[-1]
    line = f"Carrier {last['carrier']}, tracking number {last['tracking_number']}"
    if last.get("promised_delivery_date"):
        line += f", promised for {last['promised_delivery_date']}"
    return line + "."
