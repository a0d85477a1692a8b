"""`seed_demo`: a realistic, deterministic demo shop (customers, orders, returns, refunds, staff).

The same `rng_seed` always gives the same data relative to `now`: order numbers, e-mails,
totals, and every timestamp as 'so many days before now'.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.db import utcnow
from ticketing.orders.models import Order, PaymentMethod
from ticketing.seed.aftersales import make_aftersales
from ticketing.seed.orders import build_order
from ticketing.seed.people import STAFF, CustomerSeed, demo_password, make_customers, make_staff
from ticketing.seed.showcase import ShowcaseOrder, build_showcase
from ticketing.seed.timeline import Clock, Plan, Timeline, make_timeline, payment_method
from ticketing.seed.timeline import random_plans as make_plans
from ticketing.staff.models import StaffUser

FIRST_ORDER_NUMBER = 10001
BATCH_SIZE = 250

Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What `seed_demo` created, and the orders worth trying first."""

    now: datetime
    customers: int = 0
    orders: int = 0
    order_items: int = 0
    shipments: int = 0
    tracking_events: int = 0
    returns: int = 0
    refunds: int = 0
    staff_users: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    showcase: list[ShowcaseOrder] = field(default_factory=list)
    seconds: float = 0.0


def reference_now() -> datetime:
    """The current UTC time rounded down to the day: the default `now` of the demo data."""
    return utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


def seed_demo(
    *,
    db_session: Session,
    rng_seed: int = 42,
    customers: int = 200,
    orders: int = 1000,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Add the demo data to `db_session` and flush it; the caller commits (all or nothing).

    `progress(phase, done, total)` is called after each phase (and each batch of orders).
    Staff logins that already exist are left alone.
    """
    if customers < 1 or orders < 0:
        raise ValueError("need at least one customer and no negative order count")
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    started = time.perf_counter()
    report = progress or _quiet
    clock = Clock(now or reference_now())
    rng = random.Random(rng_seed)
    summary = DemoSummary(now=clock.now)

    people = make_customers(rng, customers, clock.now)
    db_session.add_all([person.model for person in people])
    db_session.flush()
    summary.customers = len(people)
    report("customers", len(people), customers)

    drafts: list[tuple[datetime, int, Plan, Timeline]] = []
    buyers: list[CustomerSeed] = []
    payment_methods: list[PaymentMethod] = []
    cumulative = list(accumulate(person.activity for person in people))
    for index, plan in enumerate(make_plans(rng, orders)):
        buyers.append(rng.choices(people, cum_weights=cumulative)[0])
        payment_methods.append(payment_method(rng, plan))
        line = make_timeline(rng, clock, plan, payment_methods[-1])
        drafts.append((line.placed, index, plan, line))
    drafts.sort(key=lambda draft: (draft[0], draft[1]))  # numbers ascend in placement order

    built: list[tuple[Order, Plan]] = []
    tracking_numbers: set[str] = set()
    for position, (_, index, plan, line) in enumerate(drafts, start=1):
        number = str(FIRST_ORDER_NUMBER + position - 1)
        method, buyer = payment_methods[index], buyers[index]
        order = build_order(rng, number, plan, line, method, buyer, tracking_numbers)
        db_session.add(order)
        built.append((order, plan))
        if position % BATCH_SIZE == 0 or position == orders:
            db_session.flush()
            report("orders", position, orders)
    summary.orders = len(built)
    summary.order_items = sum(len(order.items) for order, _ in built)
    summary.shipments = sum(len(order.shipments) for order, _ in built)
    summary.tracking_events = sum(
        len(shipment.events) for order, _ in built for shipment in order.shipments
    )
    summary.status_counts = dict(Counter(order.status.value for order, _ in built))
    report("shipments", summary.shipments, summary.shipments)

    returns, refunds = make_aftersales(rng, clock, built)
    db_session.add_all(returns)
    db_session.add_all(refunds)
    db_session.flush()
    summary.returns, summary.refunds = len(returns), len(refunds)
    report("returns", len(returns), len(returns))
    report("refunds", len(refunds), len(refunds))

    existing = set(db_session.scalars(select(StaffUser.username)))
    staff = make_staff(demo_password(), existing)
    db_session.add_all(staff)
    db_session.flush()
    summary.staff_users = len(staff)
    report("staff users", len(staff), len(STAFF))

    summary.showcase = build_showcase(built, refunds, clock)
    summary.seconds = time.perf_counter() - started
    return summary
