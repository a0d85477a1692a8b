"""Turning a plan and its timeline into an Order with items, totals, a shipment and its scans."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from typing import Any

from ticketing.orders.models import (
    Order,
    OrderItem,
    PaymentMethod,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from ticketing.seed.catalogue import (
    BIG_TICKET_PRODUCTS,
    CARRIERS,
    DELIVERY_NOTES,
    FINAL_SALE_PRODUCTS,
    GIFT_CARD_PREFIX,
    HUBS,
    PRODUCTS,
    REGULAR_PRODUCTS,
    WAREHOUSE,
    Product,
)
from ticketing.seed.people import CustomerSeed, random_address, random_name
from ticketing.seed.timeline import ORDER_STATUS, Plan, Timeline
from ticketing.types import to_money

CURRENCY = "EUR"
VAT_RATE = Decimal("0.19")  # added on top of the net prices and the shipping
SHIPPING_FEE = Decimal("4.90")
FREE_SHIPPING_ABOVE = Decimal("50.00")
_ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def pick_items(rng: random.Random, mode: str) -> list[tuple[Product, int]]:
    """1-4 distinct products with quantities; `mode` forces a final-sale or big-ticket item."""
    count = rng.choices((1, 2, 3, 4), weights=(50, 30, 13, 7))[0]
    chosen: list[Product] = []
    if mode == "final_sale":
        goods = [p for p in FINAL_SALE_PRODUCTS if not p.sku.startswith(GIFT_CARD_PREFIX)]
        chosen.append(rng.choice(goods))
        count = max(count, 2)
    elif mode == "big":
        chosen.append(rng.choice(BIG_TICKET_PRODUCTS))
    pool = PRODUCTS if mode == "any" else REGULAR_PRODUCTS
    weights = [0.6 if product.final_sale else 1.0 for product in pool]
    while len(chosen) < count:
        product = rng.choices(pool, weights=weights)[0]
        if product not in chosen:
            chosen.append(product)
    lines: list[tuple[Product, int]] = []
    for product in chosen:
        quantity = rng.choices((1, 2, 3), weights=(82, 14, 4))[0]
        if product.price >= 100 or product.sku.startswith(GIFT_CARD_PREFIX):
            quantity = 1
        lines.append((product, quantity))
    return lines


def totals(lines: list[tuple[Product, int]]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Subtotal, shipping, VAT and total; total = subtotal + shipping + VAT, in exact cents."""
    subtotal = to_money(sum((product.price * quantity for product, quantity in lines), Decimal(0)))
    shipping = Decimal("0.00") if subtotal > FREE_SHIPPING_ABOVE else SHIPPING_FEE
    tax = to_money((subtotal + shipping) * VAT_RATE)
    return subtotal, shipping, tax, subtotal + shipping + tax


def _tracking_number(rng: random.Random, shape: str, taken: set[str]) -> str:
    while True:
        number = "".join(
            str(rng.randint(0, 9))
            if char == "9"
            else rng.choice(_ALPHANUMERIC)
            if char == "A"
            else char
            for char in shape
        )
        if number not in taken:
            taken.add(number)
            return number


def _events(
    rng: random.Random, line: Timeline, carrier: str, address: dict[str, Any]
) -> list[TrackingEvent]:
    country = str(address["country"])
    town = f"{address['city']}, {country}"
    events: list[TrackingEvent] = []

    def add(
        moment: datetime | None, status: ShipmentStatus, location: str | None, text: str
    ) -> None:
        events.append(
            TrackingEvent(occurred_at=moment, status=status, location=location, description=text)
        )

    add(line.label, ShipmentStatus.LABEL_CREATED, WAREHOUSE, f"Label created, awaiting {carrier}")
    add(line.shipped, ShipmentStatus.IN_TRANSIT, WAREHOUSE, f"Parcel handed over to {carrier}")
    for index, moment in enumerate(line.scans):
        hubs = HUBS[country] if index > 0 and country != "DE" else HUBS["DE"]
        add(moment, ShipmentStatus.IN_TRANSIT, rng.choice(hubs), "Processed at parcel centre")
    if line.delayed is not None:
        text = "Delayed: missed its connection, forwarded on the next tour"
        add(line.delayed, ShipmentStatus.IN_TRANSIT, rng.choice(HUBS[country]), text)
    if line.lost is not None:
        text = "Parcel could not be located; the carrier has opened an investigation"
        add(line.lost, ShipmentStatus.LOST, None, text)
    if line.out_for_delivery is not None:
        add(line.out_for_delivery, ShipmentStatus.OUT_FOR_DELIVERY, town, "Out for delivery")
    if line.delivered is not None:
        add(line.delivered, ShipmentStatus.DELIVERED, town, rng.choice(DELIVERY_NOTES))
    return events


def build_order(
    rng: random.Random,
    number: str,
    plan: Plan,
    line: Timeline,
    method: PaymentMethod,
    customer: CustomerSeed,
    tracking_numbers: set[str],
) -> Order:
    """The order `number` of `customer` as `plan` and `line` describe it."""
    address = dict(customer.address)
    if rng.random() < 0.08:  # a gift sent to someone else
        first, last = random_name(rng)
        address = random_address(rng, customer.country, f"{first} {last}")
    lines = pick_items(rng, plan.items)
    subtotal, shipping, tax, total = totals(lines)
    order = Order(
        number=number,
        customer=customer.model,
        status=ORDER_STATUS[plan.kind],
        placed_at=line.placed,
        paid_at=line.paid,
        shipped_at=line.shipped,
        delivered_at=line.delivered,
        cancelled_at=line.cancelled,
        shipping_address=address,
        payment_method=method,
        currency=CURRENCY,
        subtotal=subtotal,
        shipping_total=shipping,
        tax_total=tax,
        total=total,
        items=[
            OrderItem(
                sku=product.sku,
                name=product.name,
                quantity=quantity,
                unit_price=product.price,
                final_sale=product.final_sale,
            )
            for product, quantity in lines
        ],
    )
    if line.shipment_status is not None:
        names = [name for name, _, _ in CARRIERS]
        index = names.index(rng.choices(names, weights=[w for _, w, _ in CARRIERS])[0])
        carrier, _, shape = CARRIERS[index]
        order.shipments = [
            Shipment(
                carrier=carrier,
                tracking_number=_tracking_number(rng, shape, tracking_numbers),
                status=line.shipment_status,
                shipped_at=line.shipped,
                promised_delivery_date=line.promised,
                delivered_at=line.delivered,
                events=_events(rng, line, carrier, address),
            )
        ]
    return order
