"""Reading orders for a verified customer: details, tracking and what can be done next."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ticketing.errors import NotFoundError
from ticketing.orders.models import Order, OrderStatus, Shipment, ShipmentStatus
from ticketing.orders.oms import OrderSystem
from ticketing.orders.schemas import (
    Address,
    DeliveryState,
    OrderItemRead,
    OrderRead,
    OrderSummary,
    ShipmentRead,
    TrackingRead,
)
from ticketing.policy import rules
from ticketing.policy.schemas import Policy


def get_for_customer_or_raise(
    *, oms: OrderSystem, number: str, customer_id: int | None, for_update: bool = False
) -> Order:
    """The order if it belongs to `customer_id` (None: staff, any order).

    Someone else's order and an unknown number get the same answer, so nothing leaks.
    """
    order = oms.find_order(number, for_update=for_update)
    if order is None or (customer_id is not None and order.customer_id != customer_id):
        raise NotFoundError(
            f"We couldn't find order {number} among your orders. Please check the number.",
            code="order_not_found",
        )
    return order


def spoken_day(day: date) -> str:
    """A day as a customer says it: "Monday 7 December" (English names, whatever the locale)."""
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    month = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
    return f"{weekday[day.weekday()]} {day.day} {month[day.month - 1]}"


def _delivery_state(order: Order, policy: Policy, now: datetime) -> tuple[DeliveryState, int, str]:
    if order.status == OrderStatus.CANCELLED:
        return "cancelled", 0, f"Order {order.number} was cancelled."
    if order.status == OrderStatus.DELIVERED:
        when = (
            order.delivered_at.astimezone(ZoneInfo(policy.timezone)) if order.delivered_at else None
        )
        day = f" on {spoken_day(when)}" if when else ""
        return "delivered", 0, f"Order {order.number} was delivered{day}."
    shipment = order.shipments[-1] if order.shipments else None
    if shipment is None or order.status not in rules.SHIPPED_STATUSES:
        status = order.status.value.replace("_", " ")
        return "not_shipped", 0, f"Order {order.number} is {status} and hasn't shipped yet."
    promised = shipment.promised_delivery_date
    today = now.astimezone(ZoneInfo(policy.timezone)).date()
    if promised is None:
        return "on_time", 0, f"Order {order.number} is on its way with {shipment.carrier}."
    days_late = (today - promised).days
    last_event = shipment.events[-1].occurred_at if shipment.events else shipment.shipped_at
    silent_days = (now - last_event).days if last_event else 0
    if shipment.status == ShipmentStatus.LOST or (
        days_late > 0 and silent_days >= policy.delivery.lost_after_days
    ):
        return (
            "presumed_lost",
            max(days_late, 0),
            f"Order {order.number} seems to be lost in transit: {shipment.carrier} has had no "
            f"news of it for {silent_days} days.",
        )
    if days_late >= policy.delivery.late_after_days:
        where = (
            f"is out for delivery with {shipment.carrier} today"
            if order.status == OrderStatus.OUT_FOR_DELIVERY
            else f"is on its way with {shipment.carrier}"
        )
        return (
            "late",
            days_late,
            f"Order {order.number} {where} but is {days_late} day{'s' if days_late != 1 else ''}"
            f" late: it was due on {spoken_day(promised)}. If it hasn't arrived in "
            f"{policy.delivery.lost_after_days} days we'll treat it as lost and make it right.",
        )
    if order.status == OrderStatus.OUT_FOR_DELIVERY:
        return (
            "on_time",
            0,
            f"Order {order.number} is out for delivery with {shipment.carrier} today.",
        )
    return (
        "on_time",
        0,
        f"Order {order.number} is on its way with {shipment.carrier} and should arrive by "
        f"{spoken_day(promised)}.",
    )


def _shipment(shipment: Shipment, policy: Policy) -> ShipmentRead:
    read = ShipmentRead.model_validate(shipment)
    read.tracking_url = policy.delivery.tracking_url(shipment.carrier, shipment.tracking_number)
    return read


def tracking(order: Order, policy: Policy, now: datetime) -> TrackingRead:
    """Where the order is and whether it is late, with a sentence for the customer."""
    state, days_late, message = _delivery_state(order, policy, now)
    return TrackingRead(
        order_number=order.number,
        order_status=order.status,
        delivery_state=state,
        days_late=days_late,
        message=message,
        shipments=[_shipment(s, policy) for s in order.shipments],
    )


def to_read(order: Order, policy: Policy, now: datetime) -> OrderRead:
    """The full view of an order for its (verified) customer or an agent."""
    return OrderRead(
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        cancelled_at=order.cancelled_at,
        shipping_address=Address.model_validate(order.shipping_address),
        payment_method=order.payment_method,
        currency=order.currency,
        subtotal=order.subtotal,
        shipping_total=order.shipping_total,
        tax_total=order.tax_total,
        total=order.total,
        items=[OrderItemRead.model_validate(item) for item in order.items],
        tracking=tracking(order, policy, now),
        can_cancel=rules.can_cancel(order, policy).allowed,
        can_change_address=rules.can_change_address(order, policy).allowed,
    )


def to_summary(order: Order) -> OrderSummary:
    """One line of the customer's order list."""
    return OrderSummary(
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        total=order.total,
        currency=order.currency,
        item_count=sum(item.quantity for item in order.items),
    )
