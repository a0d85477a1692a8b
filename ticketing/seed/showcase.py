"""The ready-to-try orders printed after seeding, each with a one-line description."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing.orders.models import Order
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.seed.aftersales import APPROVAL_LIMIT, RETURN_WINDOW_DAYS
from ticketing.seed.timeline import Clock, Plan

# The order the showcase is printed in.
SHOWCASE_KEYS = (
    "in_transit",
    "late",
    "lost",
    "inside_window",
    "outside_window",
    "final_sale",
    "pending",
    "pending_refund",
)


@dataclass(frozen=True)
class ShowcaseOrder:
    """An order worth trying in the demo: what it is and who may ask about it."""

    key: str
    number: str
    email: str
    description: str


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def describe(key: str, order: Order, refunds: list[Refund], clock: Clock) -> str:
    """One line saying what is special about `order`."""
    shipment = order.shipments[0] if order.shipments else None
    carrier = f"{shipment.carrier} {shipment.tracking_number}" if shipment else ""
    promised = shipment.promised_delivery_date if shipment else None
    delivered = order.delivered_at.date() if order.delivered_at else None
    if key == "in_transit" and promised is not None:
        return f"in transit with {carrier}, due {promised:%a %d %b}: on time"
    if key == "late" and promised is not None:
        late = (clock.today - promised).days
        return f"late: due {promised:%d %b} ({_days(late)} ago), still in transit with {carrier}"
    if key == "lost" and shipment is not None and promised is not None:
        last = shipment.events[-1].occurred_at.date()
        return (
            f"lost: {carrier} marked it lost; due {_days((clock.today - promised).days)} ago, "
            f"last scan {_days((clock.today - last).days)} ago"
        )
    if key in ("inside_window", "outside_window", "final_sale") and delivered is not None:
        age = (clock.today - delivered).days
        if key == "final_sale":
            final = next(item.name for item in order.items if item.final_sale)
            return f"delivered {_days(age)} ago; '{final}' is final sale (not returnable)"
        if key == "inside_window":
            left = RETURN_WINDOW_DAYS - age
            return f"delivered {_days(age)} ago: returnable for {_days(left)} more"
        return f"delivered {_days(age)} ago: outside the {RETURN_WINDOW_DAYS}-day return window"
    if key == "pending":
        return f"awaiting payment ({order.payment_method.value}): can still be cancelled"
    if key == "pending_refund":
        refund = next(r for r in refunds if r.order is order and r.status == RefundStatus.PENDING)
        return (
            f"cancelled; refund of {refund.amount} {refund.currency} awaits a manager's "
            f"approval (over {APPROVAL_LIMIT})"
        )
    return order.status.value


def build_showcase(
    orders: list[tuple[Order, Plan]], refunds: list[Refund], clock: Clock
) -> list[ShowcaseOrder]:
    """The planned showcase orders that exist (small seeds may lack some), in a fixed order."""
    by_key = {plan.showcase: order for order, plan in orders if plan.showcase}
    return [
        ShowcaseOrder(
            key=key,
            number=by_key[key].number,
            email=by_key[key].customer.email,
            description=describe(key, by_key[key], refunds, clock),
        )
        for key in SHOWCASE_KEYS
        if key in by_key
    ]
