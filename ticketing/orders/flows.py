"""Changing an order: cancellation (with its refund) and a new shipping address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ticketing.audit import service as audit_service
from ticketing.errors import NotAllowedError
from ticketing.orders.models import Order
from ticketing.orders.oms import OrderSystem
from ticketing.orders.schemas import Address
from ticketing.policy import rules
from ticketing.policy.schemas import Policy
from ticketing.refunds import service as refunds_service
from ticketing.refunds.models import Refund
from ticketing.refunds.payments import PaymentGateway
from ticketing.refunds.schemas import RefundCreate


def cancel(
    *,
    db_session: Session,
    oms: OrderSystem,
    order: Order,
    reason: str | None,
    policy: Policy,
    gateway: PaymentGateway,
    now: datetime,
    actor: str,
) -> Refund | None:
    """Cancel an order that hasn't shipped; a paid order gets its refund in the same step."""
    decision = rules.can_cancel(order, policy)
    if not decision.allowed:
        raise NotAllowedError(decision.reason, code=decision.code)
    previous = order.status
    oms.cancel_order(order, now=now)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="order.cancelled",
        entity_type="order",
        entity_id=order.number,
        changes={"status": [previous.value, order.status.value], "reason": reason},
    )
    if order.paid_at is None:
        return None
    return refunds_service.create(
        db_session=db_session,
        order=order,
        request=RefundCreate(reason="order cancelled"),
        idempotency_key=f"cancel:{order.number}",
        policy=policy,
        gateway=gateway,
        now=now,
        actor=actor,
    )


def change_address(
    *,
    db_session: Session,
    oms: OrderSystem,
    order: Order,
    address: Address,
    policy: Policy,
    actor: str,
) -> None:
    """Ship an order that hasn't shipped yet to another address."""
    decision = rules.can_change_address(order, policy)
    if not decision.allowed:
        raise NotAllowedError(decision.reason, code=decision.code)
    previous = dict(order.shipping_address)
    oms.change_shipping_address(order, address.model_dump())
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="order.address_changed",
        entity_type="order",
        entity_id=order.number,
        changes={"from": previous, "to": address.model_dump()},
    )
