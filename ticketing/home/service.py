"""What the start page shows: in development, the demo logins and an order for each situation
the seed prints, found in the database as it is now (so they still hold after days of use)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Exists, Select, exists, func, select
from sqlalchemy.orm import Session

from ticketing.orders.models import (
    Order,
    OrderItem,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.returns.models import Return
from ticketing.seed.aftersales import RETURN_WINDOW_DAYS
from ticketing.seed.people import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, STAFF
from ticketing.seed.showcase import SHOWCASE_KEYS, ShowcaseOrder, describe
from ticketing.seed.timeline import Clock
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole, StaffUser

DEMO_ENVIRONMENTS = ("development", "test")
LATE_DAYS = (2, 8)  # a parcel this many days past its promised date counts as late
PRESUMED_LOST_DAYS = 10  # ... unless its last scan is older than this: then it looks stalled

ROLE_CAN = {
    StaffRole.AGENT: "the console: queue, conversations, replies",
    StaffRole.MANAGER: "the console and the reports",
    StaffRole.ADMIN: "everything, including policy and staff",
}


@dataclass(frozen=True)
class DemoLogin:
    """A demo staff login that exists in the database."""

    username: str
    display_name: str
    role: str
    can: str


@dataclass(frozen=True)
class DemoLogins:
    """The demo logins and how to name their password (its value only when it is the default)."""

    logins: list[DemoLogin]
    password: str | None
    password_hint: str


def shows_demo(settings: Settings) -> bool:
    """Demo logins and orders are shown in development and tests, never in production."""
    return settings.environment in DEMO_ENVIRONMENTS


def demo_logins(*, db_session: Session) -> DemoLogins:
    """The seeded demo staff logins that are still active, and their password."""
    names = [username for username, _, _ in STAFF]
    users = {
        user.username: user
        for user in db_session.scalars(
            select(StaffUser).where(StaffUser.username.in_(names), StaffUser.active)
        )
    }
    logins = [
        DemoLogin(user.username, user.display_name, user.role.value, ROLE_CAN[user.role])
        for name in names
        if (user := users.get(name)) is not None
    ]
    if os.environ.get(DEMO_PASSWORD_ENV):
        return DemoLogins(logins, None, f"the value of {DEMO_PASSWORD_ENV} when it was seeded")
    return DemoLogins(logins, DEFAULT_DEMO_PASSWORD, f"unless {DEMO_PASSWORD_ENV} was set")


def _shipped(status: ShipmentStatus) -> Select[tuple[Order]]:
    return (
        select(Order)
        .join(Shipment, Shipment.order_id == Order.id)
        .where(Order.status == OrderStatus.SHIPPED, Shipment.status == status)
    )


def _delivered(now: datetime) -> Select[tuple[Order]]:
    return select(Order).where(
        Order.status == OrderStatus.DELIVERED,
        Order.delivered_at.is_not(None),
        Order.delivered_at <= now,
        ~exists().where(Return.order_id == Order.id),
        ~exists().where(Refund.order_id == Order.id),
    )


def _final_sale(*, final: bool) -> Exists:
    return exists().where(OrderItem.order_id == Order.id, OrderItem.final_sale.is_(final))


def _queries(now: datetime) -> dict[str, Select[tuple[Order]]]:
    """One query per showcase situation; each finds orders in that situation today."""
    today = now.date()
    last_scan = (
        select(func.max(TrackingEvent.occurred_at))
        .where(TrackingEvent.shipment_id == Shipment.id)
        .scalar_subquery()
    )
    window_start = now - timedelta(days=RETURN_WINDOW_DAYS - 1)
    return {
        "in_transit": _shipped(ShipmentStatus.IN_TRANSIT).where(
            Shipment.promised_delivery_date >= today
        ),
        "late": _shipped(ShipmentStatus.IN_TRANSIT).where(
            Shipment.promised_delivery_date <= today - timedelta(days=LATE_DAYS[0]),
            Shipment.promised_delivery_date >= today - timedelta(days=LATE_DAYS[1]),
            last_scan > now - timedelta(days=PRESUMED_LOST_DAYS),
        ),
        "lost": _shipped(ShipmentStatus.LOST).where(
            Shipment.promised_delivery_date.is_not(None), last_scan.is_not(None)
        ),
        "inside_window": _delivered(now).where(
            Order.delivered_at >= window_start, ~_final_sale(final=True)
        ),
        "outside_window": _delivered(now).where(
            Order.delivered_at < now - timedelta(days=RETURN_WINDOW_DAYS + 1),
            ~_final_sale(final=True),
        ),
        "final_sale": _delivered(now).where(
            Order.delivered_at >= window_start, _final_sale(final=True), _final_sale(final=False)
        ),
        "pending": select(Order).where(Order.status == OrderStatus.PENDING),
        "pending_refund": select(Order)
        .join(Refund, Refund.order_id == Order.id)
        .where(
            Order.status == OrderStatus.CANCELLED,
            Refund.status == RefundStatus.PENDING,
            Refund.requires_approval,
        ),
    }


def demo_orders(*, db_session: Session, now: datetime) -> list[ShowcaseOrder]:
    """For each situation the seed prints, the newest order in that situation now (if any),
    described the way `supportbot seed` describes it."""
    clock = Clock(now)
    found: list[ShowcaseOrder] = []
    queries = _queries(now)
    for key in SHOWCASE_KEYS:
        order = db_session.scalars(queries[key].order_by(Order.placed_at.desc()).limit(1)).first()
        if order is None:
            continue
        refunds = list(db_session.scalars(select(Refund).where(Refund.order_id == order.id)))
        found.append(
            ShowcaseOrder(
                key=key,
                number=order.number,
                email=order.customer.email,
                description=describe(key, order, refunds, clock),
            )
        )
    return found
