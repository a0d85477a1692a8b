"""The order-management system behind the backend, as a small interface.

`LocalOrderSystem` keeps orders in this backend's own database (the demo shop). A real shop
implements `OrderSystem` against its OMS; everything else (returns, refunds, tickets, audit)
keeps working unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ticketing.orders.models import Order, OrderStatus, Shipment


class OrderSystem(Protocol):
    """What the backend needs from a shop's order-management system."""

    def find_order(self, number: str, *, for_update: bool = False) -> Order | None:
        """The order with this number, locked for the transaction when `for_update`."""
        ...

    def orders_of_customer(self, customer_id: int, *, limit: int) -> list[Order]:
        """The customer's most recent orders, newest first."""
        ...

    def cancel_order(self, order: Order, *, now: datetime) -> None:
        """Cancel an order that has not shipped."""
        ...

    def change_shipping_address(self, order: Order, address: dict[str, Any]) -> None:
        """Send the order to another address."""
        ...


def _with_details() -> tuple[Any, ...]:
    return (
        selectinload(Order.items),
        selectinload(Order.shipments).selectinload(Shipment.events),
        selectinload(Order.customer),
    )


class LocalOrderSystem:
    """Orders kept in this backend's own database."""

    def __init__(self, db_session: Session) -> None:
        self.db_session = db_session

    def find_order(self, number: str, *, for_update: bool = False) -> Order | None:
        query = select(Order).where(Order.number == number).options(*_with_details())
        if for_update:
            query = query.with_for_update(of=Order)
        return self.db_session.scalar(query)

    def orders_of_customer(self, customer_id: int, *, limit: int) -> list[Order]:
        query = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(limit)
            .options(*_with_details())
        )
        return list(self.db_session.scalars(query))

    def cancel_order(self, order: Order, *, now: datetime) -> None:
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = now

    def change_shipping_address(self, order: Order, address: dict[str, Any]) -> None:
        order.shipping_address = address


def get_order_system(db_session: Session) -> OrderSystem:
    """The configured order system (only the local one ships today)."""
    return LocalOrderSystem(db_session)
