"""What the history is played on, read from the seeded database: the agents and managers, the
customers with their tiers, the orders with their e-mails and timeline."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.customers.models import Customer
from ticketing.orders.models import Order
from ticketing.seed.history.orders import OrderIndex, OrderRef
from ticketing.seed.history.world import Staff, make_agent
from ticketing.staff.models import StaffRole, StaffUser


def read_staff(db_session: Session, rng: random.Random, start: float) -> Staff | None:
    """The active agents (each with their own pace) and the managers as team leads; None
    when there is no agent to hand conversations to."""
    users = list(db_session.scalars(select(StaffUser).order_by(StaffUser.id)))
    agents = [
        make_agent(
            rng,
            staff_id=user.id,
            username=user.username,
            display_name=user.display_name,
            joined=start,
        )
        for user in users
        if user.role == StaffRole.AGENT and user.active
    ]
    leads = [(u.id, u.username) for u in users if u.role == StaffRole.MANAGER and u.active]
    if not agents:
        return None
    return Staff(agents, leads or [(agents[0].staff_id, agents[0].username)])


def read_customers(db_session: Session) -> dict[int, str]:
    """Customer id -> tier."""
    rows = db_session.execute(select(Customer.id, Customer.tier).order_by(Customer.id))
    return {customer_id: tier.value for customer_id, tier in rows}


def _epoch(moment: datetime | None, end: float) -> float | None:
    if moment is None:
        return None
    epoch = moment.timestamp()
    return epoch if epoch <= end else None


def read_orders(db_session: Session, end: float) -> OrderIndex:
    """Every order placed by `end`, oldest first."""
    query = (
        select(
            Order.id,
            Order.customer_id,
            Order.number,
            Order.placed_at,
            Order.shipped_at,
            Order.delivered_at,
            Order.cancelled_at,
            Customer.email,
        )
        .join(Customer, Customer.id == Order.customer_id)
        .order_by(Order.placed_at, Order.id)
    )
    index = OrderIndex()
    for (
        order_id,
        customer_id,
        number,
        placed,
        shipped,
        delivered,
        cancelled,
        email,
    ) in db_session.execute(query):
        if placed.timestamp() > end:
            continue
        index.add(
            OrderRef(
                order_id=order_id,
                customer_id=customer_id,
                number=number,
                placed=placed.timestamp(),
                email=email,
                shipped=_epoch(shipped, end),
                delivered=_epoch(delivered, end),
                cancelled=_epoch(cancelled, end),
            )
        )
    return index
