"""Every business rule and its refusal reason, on orders built in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ticketing.orders.models import Order, OrderItem, OrderStatus
from ticketing.policy import rules
from ticketing.policy.service import load_file
from ticketing.returns.models import ItemCondition, ReturnResolution
from ticketing.settings import REPO_ROOT

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
POLICY = load_file(REPO_ROOT / "policy.yml")


def order(status: OrderStatus, *, delivered_days_ago: int | None = None) -> Order:
    shipped = NOW - timedelta(days=50)
    return Order(
        number="10234",
        status=status,
        shipped_at=shipped if status in rules.SHIPPED_STATUSES else None,
        delivered_at=NOW - timedelta(days=delivered_days_ago)
        if delivered_days_ago is not None
        else None,
    )


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.PACKED])
def test_cancel_is_allowed_before_shipping(status):
    assert rules.can_cancel(order(status), POLICY).allowed


@pytest.mark.parametrize("status", [OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY])
def test_cancel_after_shipping_explains_and_offers_a_return(status):
    decision = rules.can_cancel(order(status), POLICY)
    assert (decision.allowed, decision.code) == (False, "already_shipped")
    assert decision.reason == (
        "Order 10234 has already shipped on April 26, 2026, so it can't be cancelled any more. "
        "Once it arrives you can return it within 30 days of delivery."
    )


def test_cancelling_twice_says_it_is_already_cancelled():
    decision = rules.can_cancel(order(OrderStatus.CANCELLED), POLICY)
    assert decision.reason == "Order 10234 is already cancelled."


def test_address_change_stops_once_packed():
    assert rules.can_change_address(order(OrderStatus.PAID), POLICY).allowed
    packed = rules.can_change_address(order(OrderStatus.PACKED), POLICY)
    assert packed.reason == (
        "Order 10234 is already packed, so its shipping address can't be changed."
    )


@pytest.mark.parametrize(("days", "allowed"), [(0, True), (30, True), (31, False), (41, False)])
def test_return_window_counts_days_from_delivery(days, allowed):
    decision = rules.can_return_order(
        order(OrderStatus.DELIVERED, delivered_days_ago=days), POLICY, NOW, ReturnResolution.REFUND
    )
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason == (
            f"Order 10234 was delivered {days} days ago; returns are accepted within 30 days."
        )


def test_exchange_has_its_own_window():
    delivered = order(OrderStatus.DELIVERED, delivered_days_ago=41)
    assert rules.can_return_order(delivered, POLICY, NOW, ReturnResolution.EXCHANGE).allowed
    late = order(OrderStatus.DELIVERED, delivered_days_ago=46)
    refused = rules.can_return_order(late, POLICY, NOW, ReturnResolution.EXCHANGE)
    assert "exchanges are accepted within 45 days" in refused.reason


def test_undelivered_orders_point_to_the_right_next_step():
    shipped = rules.can_return_order(
        order(OrderStatus.SHIPPED), POLICY, NOW, ReturnResolution.REFUND
    )
    assert "once it has been delivered" in shipped.reason
    paid = rules.can_return_order(order(OrderStatus.PAID), POLICY, NOW, ReturnResolution.REFUND)
    assert "cancel it instead" in paid.reason


def test_final_sale_and_quantities():
    final = OrderItem(name="Gift card", quantity=1, final_sale=True)
    assert rules.can_return_item(final, 1, 0, POLICY).code == "final_sale"
    socks = OrderItem(name="Socks", quantity=2, final_sale=False)
    assert rules.can_return_item(socks, 2, 0, POLICY).allowed
    assert rules.can_return_item(socks, 2, 1, POLICY).code == "quantity_too_large"
    assert rules.can_return_item(socks, 1, 2, POLICY).code == "already_returned"


def test_final_sale_is_returnable_when_the_policy_says_so():
    lenient = POLICY.model_copy(
        update={"returns": POLICY.returns.model_copy(update={"final_sale_returnable": True})}
    )
    final = OrderItem(name="Gift card", quantity=1, final_sale=True)
    assert rules.can_return_item(final, 1, 0, lenient).allowed


def test_conditions_and_auto_approval_limit():
    assert rules.condition_accepted(ItemCondition.USED, POLICY).allowed
    strict = POLICY.model_copy(
        update={
            "returns": POLICY.returns.model_copy(
                update={"accepted_conditions": [ItemCondition.UNOPENED]}
            )
        }
    )
    assert rules.condition_accepted(ItemCondition.USED, strict).reason == (
        "We can't accept returns of items that are used."
    )
    assert not rules.refund_needs_approval(Decimal("150.00"), POLICY)
    assert rules.refund_needs_approval(Decimal("150.01"), POLICY)


def test_days_are_counted_in_the_shop_timezone(tmp_path: Path):
    late_evening = datetime(2026, 6, 14, 23, 30, tzinfo=UTC)  # already June 15 in Berlin
    assert rules.days_between(late_evening, NOW, POLICY) == 0
