"""Customers and their orders (items, returns, refunds) over the same two years, written before
the conversations so handoff tickets can point at a real order of the same customer."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from benchmarks.reports import bulk
from benchmarks.reports.world import (
    DAY,
    FIRST_NAMES,
    HOUR,
    LAST_NAMES,
    TIER_WEIGHTS,
    TIERS,
    Calendar,
    Picker,
)
from ticketing.seed.history.orders import OrderIndex, OrderRef

CUSTOMER_COLUMNS = ("id", "name", "email", "phone", "phone_digits", "tier", "created_at")
ORDER_COLUMNS = (
    "id", "number", "customer_id", "status", "placed_at", "paid_at", "shipped_at",
    "delivered_at", "cancelled_at", "shipping_address", "payment_method", "currency",
    "subtotal", "shipping_total", "tax_total", "total",
)  # fmt: skip
ITEM_COLUMNS = ("id", "order_id", "sku", "name", "quantity", "unit_price", "final_sale")
RETURN_COLUMNS = (
    "id", "rma_number", "order_id", "status", "resolution", "reason", "condition",
    "customer_note", "created_at", "updated_at", "received_at",
)  # fmt: skip
RETURN_ITEM_COLUMNS = ("id", "return_id", "order_item_id", "quantity")
REFUND_COLUMNS = (
    "id", "order_id", "return_id", "amount", "currency", "method", "status", "reason",
    "idempotency_key", "requires_approval", "approved_by", "failure_reason", "created_at",
    "processed_at",
)  # fmt: skip

PAYMENT = Picker(
    ("card", "paypal", "bank_transfer", "cash_on_delivery", "gift_card"),
    (0.55, 0.25, 0.08, 0.08, 0.04),
)
RETURN_REASON = Picker(
    ("damaged", "wrong_item", "not_as_described", "does_not_fit", "changed_mind", "late_delivery"),
    (0.18, 0.10, 0.14, 0.30, 0.22, 0.06),
)
PRODUCTS = (("TEE-01", "Organic T-shirt", 1999), ("HOOD-02", "Hoodie", 5999),
            ("CAP-03", "Cap", 1499), ("JEANS-04", "Jeans", 7999), ("SOCK-05", "Socks", 999),
            ("JACKET-06", "Rain jacket", 12999))  # fmt: skip
AUTO_APPROVE_CENTS = 10000
RETURN_SHARE, REFUND_SHARE, CANCEL_SHARE = 0.07, 0.03, 0.03


at = bulk.timestamp


def customers(rng: random.Random, count: int, start: float) -> Iterator[tuple[object, ...]]:
    tier = Picker(TIERS, TIER_WEIGHTS)
    for customer_id in range(1, count + 1):
        phone = f"+49 151 {customer_id:08d}"
        yield (
            customer_id,
            f"{FIRST_NAMES[customer_id % 20]} {LAST_NAMES[(customer_id // 20) % 20]}",
            f"customer{customer_id}@example.com",
            phone,
            "49151" + f"{customer_id:08d}",
            tier(rng),
            at(start - rng.random() * 365 * DAY),
        )


@dataclass
class ShopRows:
    """One batch of rows for the shop's tables."""

    orders: list[tuple[object, ...]] = field(default_factory=list)
    items: list[tuple[object, ...]] = field(default_factory=list)
    returns: list[tuple[object, ...]] = field(default_factory=list)
    return_items: list[tuple[object, ...]] = field(default_factory=list)
    refunds: list[tuple[object, ...]] = field(default_factory=list)

    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]:
        return [
            ("orders", ORDER_COLUMNS, self.orders),
            ("order_items", ITEM_COLUMNS, self.items),
            ("returns", RETURN_COLUMNS, self.returns),
            ("return_items", RETURN_ITEM_COLUMNS, self.return_items),
            ("refunds", REFUND_COLUMNS, self.refunds),
        ]


class Shop:
    """Plays out orders: paid, shipped, delivered (or cancelled), some returned or refunded."""

    def __init__(self, rng: random.Random, calendar: Calendar, customer_count: int) -> None:
        self.rng = rng
        self.end = calendar.end
        self.customer_count = customer_count
        self.index = OrderIndex()
        self.next_item = self.next_return = self.next_refund = 1

    def order(self, rows: ShopRows, order_id: int, placed: float) -> None:
        rng = self.rng
        customer_id = 1 + int(rng.random() * self.customer_count)
        items, subtotal = [], 0
        for _ in range(1 + int(rng.random() * 3)):
            sku, name, price = PRODUCTS[int(rng.random() * len(PRODUCTS))]
            quantity = 1 + int(rng.random() * 2)
            items.append((self.next_item, order_id, sku, name, quantity, price, False))
            subtotal += price * quantity
            self.next_item += 1
        rows.items.extend(items)
        method = PAYMENT(rng)
        shipping = 0 if subtotal >= 5000 else 490
        paid = placed + rng.uniform(30, 600) if method != "cash_on_delivery" else None
        shipped = placed + rng.uniform(0.5, 2.5) * DAY
        delivered = shipped + rng.uniform(1, 5) * DAY
        cancelled = None
        if rng.random() < CANCEL_SHARE:
            cancelled, shipped, delivered = placed + rng.uniform(1, 20) * HOUR, None, None
        status = _status(self.end, cancelled, shipped, delivered)
        if status == "delivered" and method == "cash_on_delivery":
            paid = delivered
        if status == "paid" and (paid is None or paid > self.end):
            status = "pending"
        rows.orders.append(
            (
                order_id,
                str(100000 + order_id),
                customer_id,
                status,
                at(placed),
                _within(paid, self.end),
                _within(shipped, self.end),
                _within(delivered, self.end),
                _within(cancelled, self.end),
                json.dumps({"street": f"Hauptstr. {order_id % 200}", "city": "Berlin"}),
                method,
                "EUR",
                subtotal,
                shipping,
                round((subtotal + shipping) * 19 / 119),
                subtotal + shipping,
            )
        )
        self.index.add(
            OrderRef(
                order_id=order_id,
                customer_id=customer_id,
                number=str(100000 + order_id),
                placed=placed,
                email=f"customer{customer_id}@example.com",
                shipped=_seen(shipped, self.end),
                delivered=_seen(delivered, self.end),
                cancelled=_seen(cancelled, self.end),
            )
        )
        if status == "delivered" and delivered is not None:
            self._after_delivery(rows, order_id, delivered, items, subtotal + shipping)

    def _after_delivery(
        self,
        rows: ShopRows,
        order_id: int,
        delivered: float,
        items: list[tuple[object, ...]],
        total: int,
    ) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < RETURN_SHARE:
            self._return(rows, order_id, delivered, items)
        elif draw < RETURN_SHARE + REFUND_SHARE:
            created = delivered + rng.uniform(0.1, 10) * DAY
            amount = max(100, int(total * rng.uniform(0.1, 0.5)))
            self._refund(rows, order_id, None, created, amount, "goodwill: late or damaged")

    def _return(
        self, rows: ShopRows, order_id: int, delivered: float, items: list[tuple[object, ...]]
    ) -> None:
        rng = self.rng
        created = delivered + rng.uniform(1, 25) * DAY
        if created > self.end:
            return
        item = items[0]
        age = (self.end - created) / DAY
        status = (
            "requested"
            if age < 2
            else rng.choice(
                ("refunded",) * 12 + ("received",) * 3 + ("approved",) * 2 + ("rejected",)
            )
        )
        received = created + rng.uniform(3, 8) * DAY if status in ("received", "refunded") else None
        if received is not None and received > self.end:
            status, received = "approved", None
        resolution = "refund" if rng.random() < 0.75 else rng.choice(("exchange", "store_credit"))
        return_id = self.next_return
        self.next_return += 1
        rows.returns.append(
            (
                return_id,
                f"R-{return_id:07d}",
                order_id,
                status,
                resolution,
                RETURN_REASON(rng),
                rng.choice(("unopened", "like_new", "used", "damaged")),
                None,
                at(created),
                at(received or created),
                _within(received, self.end),
            )
        )
        rows.return_items.append((return_id, return_id, item[0], 1))
        if status == "refunded" and received is not None:
            amount = int(str(item[5]))
            self._refund(rows, order_id, return_id, received + HOUR, amount, "return received")

    def _refund(
        self,
        rows: ShopRows,
        order_id: int,
        return_id: int | None,
        created: float,
        amount: int,
        reason: str,
    ) -> None:
        if created > self.end:
            return
        rng = self.rng
        draw = rng.random()
        status = "processed" if draw < 0.92 else ("failed" if draw < 0.96 else "pending")
        if self.end - created < DAY:
            status = "pending"
        big = amount > AUTO_APPROVE_CENTS
        refund_id = self.next_refund
        self.next_refund += 1
        rows.refunds.append(
            (
                refund_id,
                order_id,
                return_id,
                amount,
                "EUR",
                "original_payment" if rng.random() < 0.85 else "store_credit",
                status,
                reason,
                f"bench-refund-{refund_id}",
                big,
                "lead1" if big else None,
                "card expired" if status == "failed" else None,
                at(created),
                at(created + HOUR) if status == "processed" else None,
            )
        )


def _status(
    end: float, cancelled: float | None, shipped: float | None, delivered: float | None
) -> str:
    if cancelled is not None:
        return "cancelled" if cancelled <= end else "paid"
    if delivered is not None and delivered <= end:
        return "delivered"
    if shipped is not None and shipped <= end:
        return "shipped"
    return "paid"


def _seen(epoch: float | None, end: float) -> float | None:
    return None if epoch is None or epoch > end else epoch


def _within(epoch: float | None, end: float) -> str | None:
    return None if epoch is None or epoch > end else at(epoch)
