"""Returns on some delivered orders and refunds for them and for paid, cancelled orders."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from ticketing.orders.models import Order, PaymentMethod
from ticketing.refunds.models import Refund, RefundMethod, RefundStatus
from ticketing.returns.models import (
    ItemCondition,
    Return,
    ReturnItem,
    ReturnReason,
    ReturnResolution,
    ReturnStatus,
)
from ticketing.seed.timeline import Clock, Kind, Plan

APPROVAL_LIMIT = Decimal("150.00")  # refunds.auto_approve_limit in policy.yml
RETURN_WINDOW_DAYS = 30  # returns.window_days in policy.yml
RETURN_RATE = 0.08
APPROVER = "staff:manager"  # how the API records a staff actor
AUTO_APPROVER = "policy:auto_approve"  # ... and a refund under the limit

# status: (weight, earliest and latest request, in days ago)
RETURN_STATUSES: dict[ReturnStatus, tuple[int, int, int]] = {
    ReturnStatus.REQUESTED: (15, 1, 3),
    ReturnStatus.APPROVED: (20, 2, 7),
    ReturnStatus.RECEIVED: (15, 4, 14),
    ReturnStatus.REFUNDED: (40, 6, 120),
    ReturnStatus.REJECTED: (10, 4, 120),
}
REASONS: dict[ReturnReason, tuple[int, str]] = {
    ReturnReason.DOES_NOT_FIT: (30, "Too small around the shoulders, I need one size up."),
    ReturnReason.CHANGED_MIND: (20, "I ordered two colours and am keeping only one."),
    ReturnReason.NOT_AS_DESCRIBED: (15, "The colour is much darker than in the photos."),
    ReturnReason.DAMAGED: (12, "Arrived with a torn seam on the left side."),
    ReturnReason.WRONG_ITEM: (10, "I received a different size from the one I ordered."),
    ReturnReason.LATE_DELIVERY: (5, "It arrived after the event I needed it for."),
    ReturnReason.OTHER: (8, "Duplicate order by mistake."),
}
RESOLUTIONS = {
    ReturnResolution.REFUND: 70,
    ReturnResolution.EXCHANGE: 15,
    ReturnResolution.STORE_CREDIT: 15,
}
CONDITIONS = {ItemCondition.UNOPENED: 35, ItemCondition.LIKE_NEW: 45, ItemCondition.USED: 20}


class RefundKeys:
    """Unique idempotency keys 'seed-refund-1', 'seed-refund-2', ..."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"seed-refund-{self.count}"


T = TypeVar("T")


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _rma(rng: random.Random, taken: set[str]) -> str:
    while True:
        rma = f"RMA-{rng.randint(100000, 999999)}"
        if rma not in taken:
            taken.add(rma)
            return rma


def make_return(
    rng: random.Random, clock: Clock, order: Order, plan: Plan, rma: str, keys: RefundKeys
) -> tuple[Return | None, Refund | None]:
    """A return of some of the order's returnable items, requested inside the window."""
    # requested after the delivery day, inside the window, and at the latest yesterday
    oldest, newest = plan.days - 1, max(1, plan.days - RETURN_WINDOW_DAYS)
    returnable = [item for item in order.items if not item.final_sale]
    statuses = {
        status: weight
        for status, (weight, low, high) in RETURN_STATUSES.items()
        if max(low, newest) <= min(high, oldest)
    }
    if plan.with_return:
        statuses = {ReturnStatus.RECEIVED: 1}
    if not returnable or not statuses:
        return None, None
    status = _pick(rng, statuses)
    _, low, high = RETURN_STATUSES[status]
    requested_ago = rng.randint(max(low, newest), min(high, oldest))
    reason = _pick(rng, {reason: weight for reason, (weight, _) in REASONS.items()})
    resolution = _pick(rng, RESOLUTIONS)
    condition = ItemCondition.DAMAGED if reason == ReturnReason.DAMAGED else _pick(rng, CONDITIONS)
    note = REASONS[reason][1] if rng.random() < 0.6 else None
    if plan.with_return:
        chosen = [(item, item.quantity) for item in returnable]
        reason, resolution, condition = (
            ReturnReason.NOT_AS_DESCRIBED,
            ReturnResolution.REFUND,
            ItemCondition.LIKE_NEW,
        )
        note = REASONS[reason][1]
    else:
        picked = rng.sample(returnable, rng.randint(1, len(returnable)))
        chosen = [(item, rng.randint(1, item.quantity)) for item in picked]
    if status == ReturnStatus.REFUNDED and resolution == ReturnResolution.EXCHANGE:
        resolution = ReturnResolution.REFUND
    if status == ReturnStatus.REJECTED:
        condition = ItemCondition.USED
        note = "Customer says unworn; inspection found signs of wear and a removed tag."
    created = clock.at(requested_ago, rng)
    updated, received = created + timedelta(minutes=rng.randint(2, 90)), None
    # received 2-7 days after the request (refunded ones at least 2 days ago), refunded 1-3 later
    received_ago = max(
        2 if status == ReturnStatus.REFUNDED else 1, requested_ago - rng.randint(2, 7)
    )
    processed_ago = max(1, received_ago - rng.randint(1, 3))
    if status == ReturnStatus.REQUESTED:
        updated = created
    elif status in (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, ReturnStatus.REJECTED):
        received = clock.at(received_ago, rng, 8, 17)
        updated = received + timedelta(minutes=rng.randint(20, 240))
    return_ = Return(
        rma_number=rma,
        order=order,
        status=status,
        resolution=resolution,
        reason=reason,
        condition=condition,
        customer_note=note,
        created_at=created,
        updated_at=updated,
        received_at=received,
        items=[ReturnItem(order_item=item, quantity=quantity) for item, quantity in chosen],
    )
    # like the API: the refund is what the items cost; under the limit it is paid out at once,
    # above it waits for a manager (so a received return has a pending refund or none yet)
    amount = sum((item.unit_price * qty for item, qty in chosen), Decimal("0.00"))
    needs_approval = amount > APPROVAL_LIMIT
    done = status == ReturnStatus.REFUNDED
    if received is None or resolution == ReturnResolution.EXCHANGE:
        return return_, None
    if status != ReturnStatus.REFUNDED and not (status == ReturnStatus.RECEIVED and needs_approval):
        return return_, None
    refund_created = received + timedelta(minutes=rng.randint(5, 120))
    processed = None
    if done:
        processed = clock.at(processed_ago, rng, 8, 18)
        return_.updated_at = processed
        if not needs_approval:  # paid out the moment it was created
            refund_created = processed - timedelta(seconds=rng.randint(1, 90))
    refund = Refund(
        order=order,
        return_=return_,
        amount=amount,
        currency=order.currency,
        method=(
            RefundMethod.STORE_CREDIT
            if resolution == ReturnResolution.STORE_CREDIT
            else RefundMethod.ORIGINAL_PAYMENT
        ),
        status=RefundStatus.PROCESSED if done else RefundStatus.PENDING,
        reason=f"Return {rma}: {sum(qty for _, qty in chosen)} item(s) received",
        idempotency_key=keys.next(),
        requires_approval=needs_approval,
        approved_by=(APPROVER if needs_approval else AUTO_APPROVER) if done else None,
        created_at=refund_created,
        processed_at=processed,
    )
    return return_, refund


def cancellation_refunds(
    rng: random.Random, order: Order, plan: Plan, keys: RefundKeys
) -> list[Refund]:
    """The refund of a paid order cancelled before shipping: the whole total."""
    cancelled = order.cancelled_at
    if cancelled is None or order.paid_at is None:
        return []
    method = RefundMethod.ORIGINAL_PAYMENT
    if order.payment_method == PaymentMethod.GIFT_CARD:
        method = RefundMethod.STORE_CREDIT
    needs_approval = order.total > APPROVAL_LIMIT
    refund = Refund(
        order=order,
        amount=order.total,
        currency=order.currency,
        method=method,
        status=RefundStatus.PROCESSED,
        reason=f"Order {order.number} cancelled before shipping",
        idempotency_key=keys.next(),
        requires_approval=needs_approval,
        created_at=cancelled + timedelta(minutes=rng.randint(1, 10)),
    )
    approver = APPROVER if needs_approval else AUTO_APPROVER
    if plan.refund is not None:
        refund.status = RefundStatus.FAILED
        refund.failure_reason = "The payment provider rejected the refund: the card has expired."
        refund.approved_by = approver
        if plan.refund == "failed":
            return [refund]
        retry = Refund(
            order=order,
            amount=order.total,
            currency=order.currency,
            method=RefundMethod.BANK_TRANSFER,
            status=RefundStatus.PROCESSED,
            reason=f"Order {order.number} cancelled; card refund failed, paid by bank transfer",
            idempotency_key=keys.next(),
            requires_approval=needs_approval,
            approved_by=approver,
            created_at=cancelled + timedelta(days=2, minutes=rng.randint(0, 240)),
            processed_at=cancelled + timedelta(days=3, minutes=rng.randint(0, 240)),
        )
        return [refund, retry]
    if needs_approval and plan.days <= 2:
        refund.status = RefundStatus.PENDING
    elif needs_approval:
        refund.approved_by = APPROVER
        refund.processed_at = refund.created_at + timedelta(hours=rng.randint(20, 30))
    else:
        refund.approved_by = AUTO_APPROVER
        refund.processed_at = refund.created_at + timedelta(seconds=rng.randint(1, 90))
    return [refund]


def make_aftersales(
    rng: random.Random, clock: Clock, orders: list[tuple[Order, Plan]]
) -> tuple[list[Return], list[Refund]]:
    """Returns on about 8% of delivered orders, and every refund, in order-number order."""
    returns: list[Return] = []
    refunds: list[Refund] = []
    keys = RefundKeys()
    rmas: set[str] = set()
    for order, plan in orders:
        if plan.kind == Kind.CANCELLED_PAID:
            refunds.extend(cancellation_refunds(rng, order, plan, keys))
        elif plan.kind == Kind.DELIVERED and not plan.no_return:
            if plan.with_return or rng.random() < RETURN_RATE:
                return_, refund = make_return(rng, clock, order, plan, _rma(rng, rmas), keys)
                returns.extend([return_] if return_ else [])
                refunds.extend([refund] if refund else [])
    return returns, refunds
