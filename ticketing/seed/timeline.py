"""What happens to each demo order and when, relative to a reference 'now'.

Every timestamp is `days ago` plus a time of day, so the same seed gives the same shape on any
day. Nothing is later than the reference time.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ticketing.orders.models import OrderStatus, PaymentMethod, ShipmentStatus


class Kind(enum.StrEnum):
    """The situation an order is in; several map to the same order status."""

    PENDING = "pending"
    PAID = "paid"
    PACKED = "packed"
    ON_TIME = "on_time"  # shipped, in transit, promised date not passed
    LATE = "late"  # shipped, still in transit 2-8 days after the promised date
    STALLED = "stalled"  # shipped, no tracking scan for more than 10 days: presumed lost
    LOST = "lost"  # shipped, the carrier declared the parcel lost
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED_UNPAID = "cancelled_unpaid"
    CANCELLED_PAID = "cancelled_paid"


ORDER_STATUS: dict[Kind, OrderStatus] = {
    Kind.PENDING: OrderStatus.PENDING,
    Kind.PAID: OrderStatus.PAID,
    Kind.PACKED: OrderStatus.PACKED,
    Kind.ON_TIME: OrderStatus.SHIPPED,
    Kind.LATE: OrderStatus.SHIPPED,
    Kind.STALLED: OrderStatus.SHIPPED,
    Kind.LOST: OrderStatus.SHIPPED,
    Kind.OUT_FOR_DELIVERY: OrderStatus.OUT_FOR_DELIVERY,
    Kind.DELIVERED: OrderStatus.DELIVERED,
    Kind.CANCELLED_UNPAID: OrderStatus.CANCELLED,
    Kind.CANCELLED_PAID: OrderStatus.CANCELLED,
}

KIND_WEIGHTS: dict[Kind, float] = {
    Kind.PENDING: 5,
    Kind.PAID: 5,
    Kind.PACKED: 4,
    Kind.ON_TIME: 7,
    Kind.LATE: 2,
    Kind.STALLED: 0.6,
    Kind.LOST: 0.6,
    Kind.OUT_FOR_DELIVERY: 3,
    Kind.DELIVERED: 62,
    Kind.CANCELLED_UNPAID: 4,
    Kind.CANCELLED_PAID: 4,
}

METHOD_WEIGHTS: dict[PaymentMethod, int] = {
    PaymentMethod.CARD: 44,
    PaymentMethod.PAYPAL: 30,
    PaymentMethod.BANK_TRANSFER: 12,
    PaymentMethod.CASH_ON_DELIVERY: 8,
    PaymentMethod.GIFT_CARD: 6,
}


@dataclass
class Plan:
    """One order to create. `days` is kind-specific (delivered, late by, cancelled N days ago)."""

    kind: Kind
    days: int = 0
    items: str = "any"  # any | regular | final_sale | big
    showcase: str | None = None
    with_return: bool = False  # a received return whose refund waits for approval
    no_return: bool = False
    refund: str | None = None  # cancelled and paid: "failed" or "failed_retry"


# Situations every demo database has, so the showcase works even for small seeds.
FORCED: tuple[Plan, ...] = (
    Plan(Kind.ON_TIME, showcase="in_transit"),
    Plan(Kind.LATE, days=5, showcase="late"),
    Plan(Kind.LOST, days=16, showcase="lost"),
    Plan(Kind.DELIVERED, days=25, items="regular", showcase="inside_window", no_return=True),
    Plan(Kind.DELIVERED, days=64, items="regular", showcase="outside_window", no_return=True),
    Plan(Kind.DELIVERED, days=9, items="final_sale", showcase="final_sale", no_return=True),
    Plan(Kind.PENDING, showcase="pending"),
    Plan(Kind.CANCELLED_PAID, days=1, items="big", showcase="pending_refund"),
    Plan(Kind.DELIVERED, days=12, items="big", with_return=True),
    Plan(Kind.CANCELLED_PAID, days=20, refund="failed"),
    Plan(Kind.CANCELLED_PAID, days=33, refund="failed_retry"),
    Plan(Kind.STALLED, days=14),
    Plan(Kind.DELIVERED, days=29),
    Plan(Kind.DELIVERED, days=30),
    Plan(Kind.DELIVERED, days=31),
    Plan(Kind.DELIVERED, days=21),
    Plan(Kind.OUT_FOR_DELIVERY),
    Plan(Kind.PAID),
    Plan(Kind.PACKED),
    Plan(Kind.CANCELLED_UNPAID, days=6),
)


@dataclass
class Timeline:
    """The timestamps of one order and of its shipment's tracking scans."""

    placed: datetime
    paid: datetime | None = None
    cancelled: datetime | None = None
    label: datetime | None = None
    shipped: datetime | None = None
    scans: list[datetime] = field(default_factory=list)  # in-transit hub scans
    delayed: datetime | None = None  # a 'delayed' scan of a late parcel
    lost: datetime | None = None
    out_for_delivery: datetime | None = None
    delivered: datetime | None = None
    promised: date | None = None
    shipment_status: ShipmentStatus | None = None


@dataclass(frozen=True)
class Clock:
    """The reference time; `at(days_ago)` is a time of day on the date that many days before."""

    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    def at(self, days_ago: int, rng: random.Random, start: float = 7, end: float = 20) -> datetime:
        """A moment between `start` and `end` o'clock (UTC) `days_ago` (>= 1) days back."""
        midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        minute = rng.randint(int(start * 60), int(end * 60) - 1)
        return midnight - timedelta(days=days_ago) + timedelta(minutes=minute)

    def ago(self, rng: random.Random, low_minutes: int, high_minutes: int) -> datetime:
        return self.now - timedelta(minutes=rng.randint(low_minutes, high_minutes))


def _minutes(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(minutes=rng.randint(low, high))


def payment_delay(rng: random.Random, method: PaymentMethod) -> timedelta:
    """From placing the order to the money arriving."""
    if method == PaymentMethod.BANK_TRANSFER:
        return _minutes(rng, 6 * 60, 40 * 60)
    return _minutes(rng, 1, 20)


def random_plans(rng: random.Random, count: int) -> list[Plan]:
    """The forced situations first, then random ones by weight, `count` in all."""
    plans = [replace(plan) for plan in FORCED[:count]]
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    while len(plans) < count:
        plans.append(Plan(rng.choices(kinds, weights=weights)[0]))
    for plan in plans:
        if plan.days:
            continue
        if plan.kind == Kind.DELIVERED:
            roll = rng.random()
            if roll < 0.35:
                plan.days = rng.randint(1, 19)
            elif roll < 0.55:
                plan.days = rng.randint(20, 29)
            elif roll < 0.62:
                plan.days = rng.randint(30, 34)
            else:
                plan.days = rng.randint(35, 120)
        elif plan.kind == Kind.LATE:
            plan.days = rng.randint(2, 8)
        elif plan.kind in (Kind.LOST, Kind.STALLED):
            plan.days = rng.randint(13, 25)
        elif plan.kind in (Kind.CANCELLED_PAID, Kind.CANCELLED_UNPAID):
            plan.days = rng.randint(1, 100)
    return plans


def payment_method(rng: random.Random, plan: Plan) -> PaymentMethod:
    """Weighted; paid-then-cancelled orders weren't cash on delivery, failed refunds were cards."""
    kind = plan.kind
    if plan.refund is not None:
        return PaymentMethod.CARD
    methods = list(METHOD_WEIGHTS)
    weights = list(METHOD_WEIGHTS.values())
    if kind == Kind.CANCELLED_PAID:
        weights[methods.index(PaymentMethod.CASH_ON_DELIVERY)] = 0
    if kind in (Kind.PENDING, Kind.CANCELLED_UNPAID):
        weights[methods.index(PaymentMethod.BANK_TRANSFER)] *= 4
    return rng.choices(methods, weights=weights)[0]


def _shipped(
    rng: random.Random, clock: Clock, days_ago: int, method: PaymentMethod
) -> tuple[Timeline, datetime]:
    shipped = clock.at(days_ago, rng, 14, 19)
    paid = shipped - _minutes(rng, 8 * 60, 40 * 60)
    line = Timeline(
        placed=paid - payment_delay(rng, method),
        paid=paid,
        label=shipped - _minutes(rng, 30, 300),
        shipped=shipped,
        scans=[shipped + _minutes(rng, 4 * 60, 9 * 60)],
        shipment_status=ShipmentStatus.IN_TRANSIT,
    )
    return line, shipped


def make_timeline(rng: random.Random, clock: Clock, plan: Plan, method: PaymentMethod) -> Timeline:
    """The timestamps of `plan`, consistent: placed < paid < shipped < delivered <= now."""
    kind, days = plan.kind, plan.days
    if kind == Kind.PENDING:
        return Timeline(placed=clock.ago(rng, 30, 40 * 60))
    if kind in (Kind.PAID, Kind.PACKED):
        low, high = (60, 20 * 60) if kind == Kind.PAID else (20 * 60, 60 * 60)
        paid = clock.ago(rng, low, high)
        return Timeline(placed=paid - payment_delay(rng, method), paid=paid)
    if kind in (Kind.CANCELLED_PAID, Kind.CANCELLED_UNPAID):
        cancelled = clock.at(days, rng)
        if kind == Kind.CANCELLED_UNPAID:
            return Timeline(placed=cancelled - _minutes(rng, 60, 72 * 60), cancelled=cancelled)
        paid = cancelled - _minutes(rng, 30, 30 * 60)
        placed = paid - payment_delay(rng, method)
        return Timeline(placed=placed, paid=paid, cancelled=cancelled)
    if kind == Kind.ON_TIME:
        line, _ = _shipped(rng, clock, rng.randint(1, 3), method)
        line.scans = [scan for scan in line.scans if scan <= clock.now]
        line.promised = clock.today + timedelta(days=rng.randint(0, 2))
        return line
    if kind == Kind.LATE:
        line, _ = _shipped(rng, clock, days + rng.randint(2, 3), method)
        line.promised = clock.today - timedelta(days=days)
        line.delayed = clock.at(rng.randint(1, 2), rng)
        return line
    if kind in (Kind.LOST, Kind.STALLED):
        line, shipped = _shipped(rng, clock, days + rng.randint(2, 3), method)
        line.scans.append(shipped + timedelta(days=1) + _minutes(rng, 2 * 60, 8 * 60))
        line.promised = clock.today - timedelta(days=days)
        if kind == Kind.LOST:
            line.lost = clock.at(days - rng.randint(1, 2), rng)
            line.shipment_status = ShipmentStatus.LOST
        return line
    if kind == Kind.OUT_FOR_DELIVERY:
        line, _ = _shipped(rng, clock, rng.randint(2, 4), method)
        line.out_for_delivery = clock.at(1, rng, 5.5, 8.5)
        line.promised = clock.today
        line.shipment_status = ShipmentStatus.OUT_FOR_DELIVERY
        return line
    transit = rng.randint(1, 4)
    line, shipped = _shipped(rng, clock, days + transit, method)
    if transit >= 2:
        line.scans.append(shipped + timedelta(days=1) + _minutes(rng, 2 * 60, 8 * 60))
    line.promised = shipped.date() + timedelta(days=rng.randint(2, 4))
    line.out_for_delivery = clock.at(days, rng, 5.5, 8.5)
    line.delivered = clock.at(days, rng, 9, 19)
    line.shipment_status = ShipmentStatus.DELIVERED
    return line
