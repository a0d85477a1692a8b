"""Build customers, orders, returns, staff and online agents in a test database with sensible
defaults."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ticketing.agents.models import AgentState, Presence
from ticketing.customers.models import Customer, CustomerTier
from ticketing.orders.models import (
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from ticketing.orders.numbers import phone_digits
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.staff.passwords import hash_password

_sequence = itertools.count(1)

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Street",
    "line2": None,
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


def make_customer(db_session: Session, **overrides: Any) -> Customer:
    n = next(_sequence)
    phone = overrides.pop("phone", f"+49 151 {n:04d} 5678")
    customer = Customer(
        name=overrides.pop("name", f"Ada Customer{n}"),
        email=overrides.pop("email", f"ada{n}@example.com"),
        phone=phone,
        phone_digits=phone_digits(phone),
        tier=overrides.pop("tier", CustomerTier.STANDARD),
        **overrides,
    )
    db_session.add(customer)
    db_session.flush()
    return customer


def make_order(
    db_session: Session,
    customer: Customer,
    *,
    now: datetime,
    status: OrderStatus = OrderStatus.DELIVERED,
    delivered_days_ago: int = 5,
    items: list[tuple[str, int, str, bool]] | None = None,
    promised_in_days: int = 2,
    paid: bool = True,
    number: str | None = None,
) -> Order:
    """An order in `status` with consistent timestamps; items are (name, qty, price, final)."""
    lines = items or [("Linen shirt", 1, "49.90", False), ("Wool socks", 2, "9.95", False)]
    placed = now - timedelta(days=delivered_days_ago + 6)
    order_items = [
        OrderItem(
            sku=f"SKU-{name.upper().replace(' ', '-')}",
            name=name,
            quantity=qty,
            unit_price=Decimal(price),
            final_sale=final,
        )
        for name, qty, price, final in lines
    ]
    subtotal = sum((i.unit_price * i.quantity for i in order_items), Decimal("0.00"))
    order = Order(
        number=number or str(20000 + next(_sequence)),
        customer_id=customer.id,
        status=status,
        placed_at=placed,
        paid_at=placed + timedelta(minutes=5) if paid else None,
        shipping_address=dict(ADDRESS),
        payment_method=PaymentMethod.CARD,
        currency="EUR",
        subtotal=subtotal,
        shipping_total=Decimal("4.90"),
        tax_total=Decimal("0.00"),
        total=subtotal + Decimal("4.90"),
        items=order_items,
    )
    shipped_states = {OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED}
    if status in shipped_states:
        shipped_at = placed + timedelta(days=1)
        order.shipped_at = shipped_at
        shipment = Shipment(
            carrier="DHL",
            tracking_number=f"JJD{next(_sequence):010d}",
            status=ShipmentStatus.IN_TRANSIT,
            shipped_at=shipped_at,
            promised_delivery_date=_day(now) + timedelta(days=promised_in_days),
            events=[
                TrackingEvent(
                    occurred_at=shipped_at,
                    status=ShipmentStatus.IN_TRANSIT,
                    location="Leipzig hub",
                    description="Parcel handed to carrier",
                )
            ],
        )
        if status != OrderStatus.DELIVERED:
            shipment.events.append(
                TrackingEvent(
                    occurred_at=now - timedelta(days=1),
                    status=ShipmentStatus.IN_TRANSIT,
                    location="Berlin depot",
                    description="Arrived at the delivery depot",
                )
            )
        if status == OrderStatus.DELIVERED:
            order.delivered_at = now - timedelta(days=delivered_days_ago)
            shipment.status = ShipmentStatus.DELIVERED
            shipment.delivered_at = order.delivered_at
            shipment.promised_delivery_date = _day(order.delivered_at)
        order.shipments = [shipment]
    if status == OrderStatus.CANCELLED:
        order.cancelled_at = placed + timedelta(hours=2)
    db_session.add(order)
    db_session.flush()
    return order


def _day(moment: datetime) -> date:
    return moment.date()


def make_staff(
    db_session: Session, username: str, role: StaffRole, password: str = "correct horse battery"
) -> StaffUser:
    user = StaffUser(
        username=username,
        display_name=username.title(),
        password_hash=hash_password(password),
        role=role,
    )
    db_session.add(user)
    db_session.flush()
    return user


def make_online_agent(db_session: Session, username: str, capacity: int) -> StaffUser:
    """An agent who is online with room for `capacity` conversations."""
    staff = make_staff(db_session, username, StaffRole.AGENT)
    db_session.add(AgentState(staff_id=staff.id, presence=Presence.ONLINE, capacity=capacity))
    return staff
