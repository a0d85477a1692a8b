"""The shop's orders by time, so a conversation about an order names one the customer had
placed by then (and says what had happened to it by then)."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field

from ticketing.seed.history.world import DAY

TRIES = 6


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order as a conversation sees it: its id, customer, number and when things happened
    (epoch seconds; None when it never happened or had not happened by the end of the data)."""

    order_id: int
    customer_id: int
    number: str
    placed: float
    email: str = ""  # the customer's, which the bot asks for to verify them
    shipped: float | None = None
    delivered: float | None = None
    cancelled: float | None = None


@dataclass
class OrderIndex:
    """Orders in the order they were placed (add them with ascending `placed`)."""

    placed: list[float] = field(default_factory=list)
    orders: list[OrderRef] = field(default_factory=list)

    def add(self, order: OrderRef) -> None:
        self.placed.append(order.placed)
        self.orders.append(order)

    def recent(
        self, rng: random.Random, before: float, days: float, intent: str = ""
    ) -> OrderRef | None:
        """A random order placed in the `days` before `before` that fits what the customer
        asks about (`fits`), when a few tries find one."""
        low = bisect.bisect_left(self.placed, before - days * DAY)
        high = bisect.bisect_right(self.placed, before)
        for _ in range(TRIES if high > low else 0):
            order = self.orders[low + int(rng.random() * (high - low))]
            if fits(intent, order, before):
                return order
        return None


def _by(moment: float | None, at: float) -> bool:
    return moment is not None and moment <= at


def fits(intent: str, order: OrderRef, at: float) -> bool:
    """Whether a customer would ask about `intent` for `order` at `at`: a late parcel has
    shipped, a return or a damaged item was delivered, a refund follows a delivery or a
    cancellation; nobody chases a cancelled order."""
    cancelled = _by(order.cancelled, at)
    if intent == "refund_status":
        return cancelled or _by(order.delivered, at)
    if cancelled:
        return False
    if intent == "late_delivery":
        return _by(order.shipped, at)
    if intent in ("damaged_or_wrong_item", "return_request"):
        return _by(order.delivered, at)
    return True
