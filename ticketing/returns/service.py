"""Return eligibility and creating returns (RMAs)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ticketing.audit import service as audit_service
from ticketing.errors import InvalidInputError, NotAllowedError, NotFoundError
from ticketing.orders.models import Order, OrderItem
from ticketing.policy import rules
from ticketing.policy.schemas import Policy
from ticketing.returns.models import Return, ReturnItem, ReturnResolution, ReturnStatus
from ticketing.returns.schemas import (
    ItemEligibility,
    ReturnCreate,
    ReturnEligibility,
    ReturnItemRead,
    ReturnRead,
)


def list_for_order(*, db_session: Session, order_id: int) -> list[Return]:
    """The order's returns, oldest first, with their items."""
    query = (
        select(Return)
        .where(Return.order_id == order_id)
        .order_by(Return.id)
        .options(selectinload(Return.items).selectinload(ReturnItem.order_item))
    )
    return list(db_session.scalars(query))


def get_by_rma_or_raise(*, db_session: Session, rma_number: str, customer_id: int | None) -> Return:
    """The return with this RMA number, if it belongs to `customer_id` (None: staff, any)."""
    query = select(Return).where(Return.rma_number == rma_number.strip().upper()[:32])
    found = db_session.scalar(query.options(selectinload(Return.items), selectinload(Return.order)))
    if found is None or (customer_id is not None and found.order.customer_id != customer_id):
        raise NotFoundError(f"We couldn't find return {rma_number}.", code="return_not_found")
    return found


def returned_quantities(returns: list[Return]) -> dict[int, int]:
    """Quantity per order item already in a return that was not rejected."""
    counts: dict[int, int] = defaultdict(int)
    for existing in returns:
        if existing.status != ReturnStatus.REJECTED:
            for item in existing.items:
                counts[item.order_item_id] += item.quantity
    return counts


def eligibility(
    *,
    db_session: Session,
    order: Order,
    policy: Policy,
    now: datetime,
    resolution: ReturnResolution = ReturnResolution.REFUND,
) -> ReturnEligibility:
    """Whether each item of the order can be returned now, and why not."""
    order_decision = rules.can_return_order(order, policy, now, resolution)
    returned = returned_quantities(list_for_order(db_session=db_session, order_id=order.id))
    items = []
    for item in order.items:
        remaining = item.quantity - returned[item.id]
        decision = order_decision
        if decision.allowed:
            decision = rules.can_return_item(item, remaining, returned[item.id], policy)
        items.append(
            ItemEligibility(
                item_id=item.id,
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                returnable_quantity=max(remaining, 0) if decision.allowed else 0,
                returnable=decision.allowed,
                reason=decision.reason or None,
            )
        )
    window = (
        policy.returns.exchange_window_days
        if resolution == ReturnResolution.EXCHANGE
        else policy.returns.window_days
    )
    age = rules.days_between(order.delivered_at, now, policy) if order.delivered_at else None
    any_item = any(item.returnable for item in items)
    code, reason = order_decision.code, order_decision.reason or None
    if order_decision.allowed and not any_item:
        refusals = {item.reason for item in items if item.reason}
        code, reason = "no_returnable_items", " ".join(sorted(refusals)) or None
    return ReturnEligibility(
        order_number=order.number,
        eligible=order_decision.allowed and any_item,
        code=code,
        reason=reason,
        days_since_delivery=age,
        window_days=window,
        days_left=max(window - age, 0) if age is not None else None,
        items=items,
    )


def _pick_items(
    order: Order, request: ReturnCreate, eligible: ReturnEligibility
) -> list[tuple[OrderItem, int]]:
    by_id = {item.id: item for item in order.items}
    by_sku = {item.sku.upper(): item for item in order.items}
    status = {item.item_id: item for item in eligible.items}
    if not request.items:
        chosen = [(by_id[i.item_id], i.returnable_quantity) for i in eligible.items if i.returnable]
        if not chosen:
            raise NotAllowedError(eligible.reason or "Nothing in this order can be returned.")
        return chosen
    picked: list[tuple[OrderItem, int]] = []
    for wanted in request.items:
        item = by_id.get(wanted.item_id) if wanted.item_id is not None else None
        if item is None and wanted.sku:
            item = by_sku.get(wanted.sku.strip().upper())
        if item is None:
            raise InvalidInputError(
                f"Order {order.number} has no item {wanted.item_id or wanted.sku}.",
                code="unknown_item",
            )
        line = status[item.id]
        if not line.returnable:
            raise NotAllowedError(
                line.reason or f"{item.name} can't be returned.", code="item_not_returnable"
            )
        if wanted.quantity > line.returnable_quantity:
            raise NotAllowedError(
                f"You can return at most {line.returnable_quantity} of {item.name}.",
                code="quantity_too_large",
            )
        picked.append((item, wanted.quantity))
    return picked


def _new_rma_number(db_session: Session) -> str:
    while True:
        candidate = f"RMA-{secrets.randbelow(900_000) + 100_000}"
        if db_session.scalar(select(Return.id).where(Return.rma_number == candidate)) is None:
            return candidate


def create(
    *,
    db_session: Session,
    order: Order,
    request: ReturnCreate,
    policy: Policy,
    now: datetime,
    actor: str,
) -> Return:
    """Open a return after every rule agreed; refused requests change nothing."""
    eligible = eligibility(
        db_session=db_session, order=order, policy=policy, now=now, resolution=request.resolution
    )
    if not eligible.eligible:
        raise NotAllowedError(
            eligible.reason or "This order can't be returned.", code=eligible.code
        )
    condition = rules.condition_accepted(request.condition, policy)
    if not condition.allowed:
        raise NotAllowedError(condition.reason, code=condition.code)
    picked = _pick_items(order, request, eligible)
    created = Return(
        rma_number=_new_rma_number(db_session),
        order_id=order.id,
        status=ReturnStatus.APPROVED if policy.returns.auto_approve else ReturnStatus.REQUESTED,
        resolution=request.resolution,
        reason=request.reason,
        condition=request.condition,
        customer_note=request.note,
        created_at=now,
        updated_at=now,
        items=[ReturnItem(order_item_id=item.id, quantity=qty) for item, qty in picked],
    )
    db_session.add(created)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="return.created",
        entity_type="return",
        entity_id=created.rma_number,
        changes={
            "order": order.number,
            "status": created.status.value,
            "items": {item.sku: qty for item, qty in picked},
            "resolution": request.resolution.value,
        },
    )
    return created


def mark_received(*, db_session: Session, return_: Return, now: datetime, actor: str) -> Return:
    """The warehouse got the parcel back: a refund can now be issued."""
    if return_.status not in (ReturnStatus.APPROVED, ReturnStatus.REQUESTED):
        raise NotAllowedError(
            f"Return {return_.rma_number} is {return_.status.value}; only approved or requested "
            "returns can be received.",
            code="return_not_receivable",
        )
    previous = return_.status
    return_.status = ReturnStatus.RECEIVED
    return_.received_at = now
    return_.updated_at = now
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="return.received",
        entity_type="return",
        entity_id=return_.rma_number,
        changes={"status": [previous.value, ReturnStatus.RECEIVED.value]},
    )
    return return_


def value_of(return_: Return, order: Order) -> Decimal:
    """What the returned items cost."""
    prices = {item.id: item.unit_price for item in order.items}
    return sum(
        (prices[item.order_item_id] * item.quantity for item in return_.items), Decimal("0.00")
    )


def next_steps(return_: Return, policy: Policy) -> str:
    """What happens next, in one or two sentences. The return's number and status are not in
    them: whoever shows a return says those once, beside these words."""
    days = policy.refunds.processing_days
    if return_.status == ReturnStatus.REQUESTED:
        return "Our team checks it within a day and emails you the return label."
    if return_.status == ReturnStatus.APPROVED:
        money = {
            ReturnResolution.REFUND: "your refund is issued",
            ReturnResolution.STORE_CREDIT: "your store credit is issued",
            ReturnResolution.EXCHANGE: "we ship the replacement",
        }[return_.resolution]
        first_method = policy.refunds.methods[0]
        return (
            "Pack the items with the return label we emailed you and drop the parcel at any "
            f"carrier point within 14 days. Once it arrives {money} (refunds take up to "
            f"{days.get(first_method, 5)} business days)."
        )
    if return_.status == ReturnStatus.RECEIVED:
        return "We have the items back; the refund is on its way."
    if return_.status == ReturnStatus.REFUNDED:
        return "Nothing more to do: it is complete and refunded."
    return "Reply here if you'd like a person to look at it again."


def to_read(return_: Return, order: Order, policy: Policy) -> ReturnRead:
    """The API view of a return."""
    items_by_id = {item.id: item for item in order.items}
    return ReturnRead(
        rma_number=return_.rma_number,
        order_number=order.number,
        status=return_.status,
        resolution=return_.resolution,
        reason=return_.reason,
        condition=return_.condition,
        note=return_.customer_note,
        created_at=return_.created_at,
        received_at=return_.received_at,
        items=[
            ReturnItemRead(
                item_id=line.order_item_id,
                sku=items_by_id[line.order_item_id].sku,
                name=items_by_id[line.order_item_id].name,
                quantity=line.quantity,
                unit_price=items_by_id[line.order_item_id].unit_price,
            )
            for line in return_.items
        ],
        refund_amount=value_of(return_, order),
        currency=order.currency,
        next_steps=next_steps(return_, policy),
    )
