"""Refund requests and status for customers; approval of large refunds for managers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from ticketing.conversations import bot_record
from ticketing.deps import (
    DatabaseDep,
    GatewayDep,
    NowDep,
    OmsDep,
    PolicyDep,
    RowId,
    SessionDep,
    WriteSessionDep,
)
from ticketing.errors import error_responses
from ticketing.idempotency.http import IdempotencyKey, respond_once
from ticketing.orders import service as orders_service
from ticketing.orders.numbers import normalise_order_number
from ticketing.orders.oms import get_order_system
from ticketing.refunds import service
from ticketing.refunds.schemas import RefundCreate, RefundRead
from ticketing.security.principals import CustomerAccess, ManagerAccess
from ticketing.verification.conversation_proof import ProvenConversation

router = APIRouter(tags=["refunds"])

READ_ERRORS = error_responses(401, 404)


@router.post(
    "/orders/{order_number}/refunds",
    response_model=RefundRead,
    status_code=status.HTTP_201_CREATED,
    # 409: a business rule says no, or the Idempotency-Key was used for a different change.
    responses=error_responses(401, 404, 409),
)
def request_refund(
    order_number: str,
    body: RefundCreate,
    principal: CustomerAccess,
    database: DatabaseDep,
    policy: PolicyDep,
    gateway: GatewayDep,
    now: NowDep,
    conversation: ProvenConversation,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Refund a received return or a cancelled order; money moves at most once."""
    number = normalise_order_number(order_number)

    def write(db_session: Session) -> tuple[int, Any]:
        order = orders_service.get_for_customer_or_raise(
            oms=get_order_system(db_session),
            number=number,
            customer_id=principal.customer_id,
            for_update=True,
        )
        refund = service.create(
            db_session=db_session,
            order=order,
            request=body,
            idempotency_key=f"api:{idempotency_key}",
            policy=policy,
            gateway=gateway,
            now=now,
            actor=principal.actor,
        )
        bot_record.record_refund(
            db_session, conversation_id=conversation, created=refund, order=order
        )
        return 201, service.to_read(refund, order, policy).model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope=f"refund:{number}",
        payload=[principal.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )


@router.get(
    "/orders/{order_number}/refunds", response_model=list[RefundRead], responses=READ_ERRORS
)
def list_refunds(
    order_number: str,
    principal: CustomerAccess,
    db_session: SessionDep,
    oms: OmsDep,
    policy: PolicyDep,
) -> list[RefundRead]:
    """The order's refunds and where each one stands."""
    order = orders_service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    refunds = service.list_for_order(db_session=db_session, order_id=order.id)
    return [service.to_read(r, order, policy) for r in refunds]


@router.get("/refunds/{refund_id}", response_model=RefundRead, responses=READ_ERRORS)
def get_refund(
    refund_id: RowId,
    principal: CustomerAccess,
    db_session: SessionDep,
    policy: PolicyDep,
) -> RefundRead:
    """One refund (only the customer's own)."""
    refund = service.get_or_raise(
        db_session=db_session, refund_id=refund_id, customer_id=principal.customer_id
    )
    return service.to_read(refund, refund.order, policy)


@router.post(
    "/refunds/{refund_id}/approve",
    response_model=RefundRead,
    responses=error_responses(401, 403, 404, 409),
)
def approve_refund(
    refund_id: RowId,
    principal: ManagerAccess,
    db_session: WriteSessionDep,
    policy: PolicyDep,
    gateway: GatewayDep,
    now: NowDep,
) -> RefundRead:
    """Manager: approve a refund above the auto-approve limit; it is paid out at once."""
    refund = service.get_or_raise(db_session=db_session, refund_id=refund_id, customer_id=None)
    service.approve(
        db_session=db_session, refund=refund, gateway=gateway, now=now, actor=principal.actor
    )
    return service.to_read(refund, refund.order, policy)
