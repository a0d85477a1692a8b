"""The shop's business rules as pure functions: each answers yes, or no with the reason why.

The reasons are sentences the bot passes on to the customer unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ticketing.orders.models import Order, OrderItem, OrderStatus
from ticketing.policy.schemas import Policy
from ticketing.returns.models import ItemCondition, ReturnResolution

SHIPPED_STATUSES = {OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED}


@dataclass(frozen=True)
class Decision:
    """The answer of one rule."""

    allowed: bool
    code: str = "ok"
    reason: str = ""


ALLOWED = Decision(allowed=True)


def _day(moment: datetime, policy: Policy) -> str:
    local = moment.astimezone(ZoneInfo(policy.timezone))
    return f"{local:%B} {local.day}, {local.year}"


def days_between(start: datetime, end: datetime, policy: Policy) -> int:
    """Whole calendar days from `start` to `end` in the shop's timezone."""
    zone = ZoneInfo(policy.timezone)
    return (end.astimezone(zone).date() - start.astimezone(zone).date()).days


def _status_words(status: OrderStatus) -> str:
    return status.value.replace("_", " ")


def _after_shipping_refusal(order: Order, what: str, policy: Policy) -> Decision:
    if order.status == OrderStatus.CANCELLED:
        return Decision(False, "order_cancelled", f"Order {order.number} is already cancelled.")
    if order.status in SHIPPED_STATUSES:
        shipped = f" on {_day(order.shipped_at, policy)}" if order.shipped_at else ""
        return Decision(
            False,
            "already_shipped",
            f"Order {order.number} has already shipped{shipped}, so {what}. "
            f"Once it arrives you can return it within {policy.returns.window_days} days "
            "of delivery.",
        )
    return Decision(
        False,
        "status_not_allowed",
        f"Order {order.number} is already {_status_words(order.status)}, so {what}.",
    )


def can_cancel(order: Order, policy: Policy) -> Decision:
    """Cancellation is allowed only in the statuses the policy lists (before shipping)."""
    if order.status in policy.cancellation.allowed_statuses:
        return ALLOWED
    return _after_shipping_refusal(order, "it can't be cancelled any more", policy)


def can_change_address(order: Order, policy: Policy) -> Decision:
    """An address change is allowed only in the statuses the policy lists (before shipping)."""
    if order.status in policy.address_change.allowed_statuses:
        return ALLOWED
    return _after_shipping_refusal(order, "its shipping address can't be changed", policy)


def can_return_order(
    order: Order, policy: Policy, now: datetime, resolution: ReturnResolution
) -> Decision:
    """Whether the order as a whole is inside the return (or exchange) window."""
    if order.status == OrderStatus.CANCELLED:
        return Decision(False, "order_cancelled", f"Order {order.number} was cancelled.")
    if order.status != OrderStatus.DELIVERED or order.delivered_at is None:
        if order.status in SHIPPED_STATUSES:
            hint = "You can start a return once it has been delivered."
        else:
            hint = "It hasn't shipped yet, so you can cancel it instead."
        return Decision(
            False,
            "not_delivered",
            f"Order {order.number} hasn't been delivered yet "
            f"(it is {_status_words(order.status)}). {hint}",
        )
    if resolution not in policy.returns.resolutions:
        return Decision(
            False, "resolution_not_offered", f"We don't offer {resolution.value.replace('_', ' ')}."
        )
    is_exchange = resolution == ReturnResolution.EXCHANGE
    window = policy.returns.exchange_window_days if is_exchange else policy.returns.window_days
    age = days_between(order.delivered_at, now, policy)
    if age > window:
        noun = "exchanges" if is_exchange else "returns"
        return Decision(
            False,
            "outside_return_window",
            f"Order {order.number} was delivered {age} days ago; "
            f"{noun} are accepted within {window} days.",
        )
    return ALLOWED


def can_return_item(
    item: OrderItem, quantity: int, already_returned: int, policy: Policy
) -> Decision:
    """Whether `quantity` more of `item` may be returned."""
    if item.final_sale and not policy.returns.final_sale_returnable:
        return Decision(
            False,
            "final_sale",
            f"{item.name} was a final-sale item, so it can't be returned.",
        )
    remaining = item.quantity - already_returned
    if remaining <= 0:
        return Decision(
            False,
            "already_returned",
            f"All {item.quantity} of {item.name} are already in a return.",
        )
    if quantity < 1 or quantity > remaining:
        return Decision(
            False,
            "quantity_too_large",
            f"You can return at most {remaining} of {item.name}.",
        )
    return ALLOWED


def condition_accepted(condition: ItemCondition, policy: Policy) -> Decision:
    """Whether the policy accepts returns in `condition`."""
    if condition in policy.returns.accepted_conditions:
        return ALLOWED
    return Decision(
        False,
        "condition_not_accepted",
        f"We can't accept returns of items that are {condition.value.replace('_', ' ')}.",
    )


def refund_needs_approval(amount: Decimal, policy: Policy) -> bool:
    """Refunds above the auto-approve limit wait for a person."""
    return amount > policy.refunds.auto_approve_limit
