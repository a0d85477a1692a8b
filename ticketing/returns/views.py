"""Return eligibility, creating returns, and the warehouse marking them received."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from ticketing.conversations import bot_record
from ticketing.deps import DatabaseDep, NowDep, OmsDep, PolicyDep, SessionDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.idempotency.http import IdempotencyKey, respond_once
from ticketing.orders import service as orders_service
from ticketing.orders.numbers import normalise_order_number
from ticketing.orders.oms import get_order_system
from ticketing.returns import service
from ticketing.returns.models import ReturnResolution
from ticketing.returns.schemas import ReturnCreate, ReturnEligibility, ReturnRead
from ticketing.security.principals import AgentAccess, CustomerAccess
from ticketing.verification.conversation_proof import ProvenConversation

router = APIRouter(tags=["returns"])

READ_ERRORS = error_responses(401, 404)
# 409: a business rule says no, or the Idempotency-Key was used for a different change.
WRITE_ERRORS = error_responses(401, 404, 409)


@router.get(
    "/orders/{order_number}/return-eligibility",
    response_model=ReturnEligibility,
    responses=READ_ERRORS,
)
def get_return_eligibility(
    order_number: str,
    principal: CustomerAccess,
    db_session: SessionDep,
    oms: OmsDep,
    policy: PolicyDep,
    now: NowDep,
    resolution: ReturnResolution = ReturnResolution.REFUND,
) -> ReturnEligibility:
    """Whether the order can be returned now, item by item, and the reason when it can't."""
    order = orders_service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    return service.eligibility(
        db_session=db_session, order=order, policy=policy, now=now, resolution=resolution
    )


@router.get(
    "/orders/{order_number}/returns", response_model=list[ReturnRead], responses=READ_ERRORS
)
def list_returns(
    order_number: str,
    principal: CustomerAccess,
    db_session: SessionDep,
    oms: OmsDep,
    policy: PolicyDep,
) -> list[ReturnRead]:
    """The order's returns, oldest first."""
    order = orders_service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    returns = service.list_for_order(db_session=db_session, order_id=order.id)
    return [service.to_read(r, order, policy) for r in returns]


@router.post(
    "/orders/{order_number}/returns",
    response_model=ReturnRead,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def create_return(
    order_number: str,
    body: ReturnCreate,
    principal: CustomerAccess,
    database: DatabaseDep,
    policy: PolicyDep,
    now: NowDep,
    conversation: ProvenConversation,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Open a return (RMA) for some or all items; refused with the reason when not allowed."""
    number = normalise_order_number(order_number)

    def write(db_session: Session) -> tuple[int, Any]:
        order = orders_service.get_for_customer_or_raise(
            oms=get_order_system(db_session),
            number=number,
            customer_id=principal.customer_id,
            for_update=True,
        )
        created = service.create(
            db_session=db_session,
            order=order,
            request=body,
            policy=policy,
            now=now,
            actor=principal.actor,
        )
        bot_record.record_return(
            db_session, conversation_id=conversation, created=created, order=order
        )
        return 201, service.to_read(created, order, policy).model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope=f"return:{number}",
        payload=[principal.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )


@router.get("/returns/{rma_number}", response_model=ReturnRead, responses=READ_ERRORS)
def get_return(
    rma_number: str,
    principal: CustomerAccess,
    db_session: SessionDep,
    oms: OmsDep,
    policy: PolicyDep,
) -> ReturnRead:
    """One return by its RMA number (only the customer's own)."""
    found = service.get_by_rma_or_raise(
        db_session=db_session, rma_number=rma_number, customer_id=principal.customer_id
    )
    order = orders_service.get_for_customer_or_raise(
        oms=oms, number=found.order.number, customer_id=principal.customer_id
    )
    return service.to_read(found, order, policy)


@router.post(
    "/returns/{rma_number}/receive",
    response_model=ReturnRead,
    responses=error_responses(401, 403, 404, 409),
)
def receive_return(
    rma_number: str,
    db_session: WriteSessionDep,
    policy: PolicyDep,
    now: NowDep,
    principal: AgentAccess,
) -> ReturnRead:
    """Staff: the returned parcel arrived at the warehouse (a refund can now be issued)."""
    found = service.get_by_rma_or_raise(
        db_session=db_session, rma_number=rma_number, customer_id=None
    )
    service.mark_received(db_session=db_session, return_=found, now=now, actor=principal.actor)
    order = orders_service.get_for_customer_or_raise(
        oms=get_order_system(db_session), number=found.order.number, customer_id=None
    )
    return service.to_read(found, order, policy)
