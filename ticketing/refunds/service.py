"""Refunds: how much is still owed, creating one at most once, approving and reading them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.audit import service as audit_service
from ticketing.errors import NotAllowedError, NotFoundError
from ticketing.orders.models import Order, OrderStatus
from ticketing.policy import rules
from ticketing.policy.schemas import Policy
from ticketing.refunds.models import Refund, RefundMethod, RefundStatus
from ticketing.refunds.payments import PaymentGateway
from ticketing.refunds.schemas import RefundCreate, RefundRead
from ticketing.returns import service as returns_service
from ticketing.returns.models import Return, ReturnResolution, ReturnStatus

ZERO = Decimal("0.00")


def list_for_order(*, db_session: Session, order_id: int) -> list[Refund]:
    """The order's refunds, oldest first."""
    query = select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)
    return list(db_session.scalars(query))


def get_or_raise(*, db_session: Session, refund_id: int, customer_id: int | None) -> Refund:
    """The refund, if it belongs to `customer_id` (None: staff, any)."""
    refund = db_session.get(Refund, refund_id)
    if refund is None or (customer_id is not None and refund.order.customer_id != customer_id):
        raise NotFoundError(f"We couldn't find refund {refund_id}.", code="refund_not_found")
    return refund


def _owed(refunds: list[Refund], total: Decimal, return_id: int | None) -> Decimal:
    moved = sum(
        (r.amount for r in refunds if r.status != RefundStatus.FAILED and r.return_id == return_id),
        ZERO,
    )
    return total - moved


def _refusal_without_received_return(order: Order, returns: list[Return]) -> NotAllowedError:
    waiting = [r for r in returns if r.status in (ReturnStatus.REQUESTED, ReturnStatus.APPROVED)]
    if waiting:
        return NotAllowedError(
            f"We haven't received return {waiting[-1].rma_number} yet. The refund is issued "
            "as soon as it arrives at our warehouse.",
            code="return_not_received",
        )
    if order.status == OrderStatus.DELIVERED:
        return NotAllowedError(
            f"Refunds for order {order.number} are issued for items you send back. Start a "
            "return first and the refund follows once we receive it.",
            code="no_return",
        )
    return NotAllowedError(
        f"Order {order.number} is {order.status.value.replace('_', ' ')}. A refund is possible "
        "for a cancelled order or for items you have returned.",
        code="not_refundable",
    )


def _target(
    *, db_session: Session, order: Order, request: RefundCreate, refunds: list[Refund]
) -> tuple[Return | None, Decimal, RefundMethod]:
    """Which return (if any) the refund is for, how much is still owed and the method."""
    default_method = request.method or RefundMethod.ORIGINAL_PAYMENT
    if order.status == OrderStatus.CANCELLED:
        if order.paid_at is None:
            raise NotAllowedError(
                f"Order {order.number} was cancelled before it was charged, so there is "
                "nothing to refund.",
                code="nothing_paid",
            )
        owed = _owed(refunds, order.total, None)
        if owed > ZERO:
            return None, owed, default_method
        returns: list[Return] = []
    else:
        returns = returns_service.list_for_order(db_session=db_session, order_id=order.id)
    if request.rma_number:
        wanted = request.rma_number.strip().upper()
        returns_named = [r for r in returns if r.rma_number == wanted]
        if not returns_named:
            raise NotFoundError(
                f"Order {order.number} has no return {request.rma_number}.",
                code="return_not_found",
            )
        returns = returns_named
    for candidate in returns:
        if candidate.status not in (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED):
            continue
        if candidate.resolution == ReturnResolution.EXCHANGE:
            continue
        owed = _owed(refunds, returns_service.value_of(candidate, order), candidate.id)
        if owed > ZERO:
            method = (
                RefundMethod.STORE_CREDIT
                if candidate.resolution == ReturnResolution.STORE_CREDIT
                else default_method
            )
            return candidate, owed, method
    done = [r for r in refunds if r.status != RefundStatus.FAILED]
    if done:
        last = done[-1]
        raise NotAllowedError(
            f"Order {order.number} has already been refunded: {last.currency} {last.amount} "
            f"(refund {last.id}, {last.status.value}).",
            code="already_refunded",
        )
    raise _refusal_without_received_return(order, returns)


def _settle(refund: Refund, gateway: PaymentGateway, now: datetime) -> None:
    result = gateway.refund(refund)
    if result.ok:
        refund.status = RefundStatus.PROCESSED
        refund.processed_at = now
        if refund.return_ is not None:
            refund.return_.status = ReturnStatus.REFUNDED
            refund.return_.updated_at = now
    else:
        refund.status = RefundStatus.FAILED
        refund.failure_reason = result.failure_reason


def create(
    *,
    db_session: Session,
    order: Order,
    request: RefundCreate,
    idempotency_key: str,
    policy: Policy,
    gateway: PaymentGateway,
    now: datetime,
    actor: str,
) -> Refund:
    """Refund what is still owed; the caller holds the order's row lock, so money moves once."""
    if request.method is not None and request.method not in policy.refunds.methods:
        raise NotAllowedError(
            f"We don't refund by {request.method.value.replace('_', ' ')}.",
            code="method_not_offered",
        )
    refunds = list_for_order(db_session=db_session, order_id=order.id)
    return_, amount, method = _target(
        db_session=db_session, order=order, request=request, refunds=refunds
    )
    needs_approval = rules.refund_needs_approval(amount, policy)
    refund = Refund(
        order_id=order.id,
        return_=return_,
        amount=amount,
        currency=order.currency,
        method=method,
        status=RefundStatus.PENDING,
        reason=request.reason,
        idempotency_key=idempotency_key,
        requires_approval=needs_approval,
        created_at=now,
    )
    db_session.add(refund)
    if not needs_approval:
        refund.approved_by = "policy:auto_approve"
        _settle(refund, gateway, now)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="refund.created",
        entity_type="refund",
        entity_id=refund.id,
        changes={
            "order": order.number,
            "amount": str(amount),
            "method": method.value,
            "status": refund.status.value,
            "return": return_.rma_number if return_ else None,
        },
    )
    return refund


def approve(
    *, db_session: Session, refund: Refund, gateway: PaymentGateway, now: datetime, actor: str
) -> Refund:
    """A person approves a refund above the auto-approve limit and it is paid out."""
    if refund.status != RefundStatus.PENDING or not refund.requires_approval or refund.approved_by:
        raise NotAllowedError(
            f"Refund {refund.id} is {refund.status.value} and is not waiting for approval.",
            code="not_awaiting_approval",
        )
    refund.approved_by = actor
    _settle(refund, gateway, now)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="refund.approved",
        entity_type="refund",
        entity_id=refund.id,
        changes={"status": refund.status.value},
    )
    return refund


def to_read(refund: Refund, order: Order, policy: Policy) -> RefundRead:
    """The API view of a refund, with when the money should arrive."""
    days = policy.refunds.processing_days.get(refund.method, 5)
    expected_by = refund.processed_at + timedelta(days=days) if refund.processed_at else None
    amount = f"{refund.currency} {refund.amount}"
    if refund.status == RefundStatus.PROCESSED:
        message = f"Your refund of {amount} was issued; expect it within {days} business days."
    elif refund.status == RefundStatus.FAILED:
        message = f"Your refund of {amount} could not be paid out; our team will contact you."
    else:
        message = f"Your refund of {amount} is waiting for approval by our team."
    return RefundRead(
        id=refund.id,
        order_number=order.number,
        rma_number=refund.return_.rma_number if refund.return_ else None,
        amount=refund.amount,
        currency=refund.currency,
        method=refund.method,
        status=refund.status,
        requires_approval=refund.requires_approval,
        created_at=refund.created_at,
        processed_at=refund.processed_at,
        expected_by=expected_by,
        message=message,
    )
