"""Orders for a verified customer: details, tracking, cancellation and address change."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ticketing.deps import DatabaseDep, GatewayDep, NowDep, OmsDep, PolicyDep
from ticketing.errors import InvalidInputError, error_responses
from ticketing.idempotency.http import IdempotencyKey, respond_once
from ticketing.orders import address_parsing, flows, service
from ticketing.orders.numbers import normalise_order_number
from ticketing.orders.oms import get_order_system
from ticketing.orders.schemas import (
    Address,
    AddressChangeResult,
    AddressParsed,
    AddressText,
    CancelRequest,
    CancelResult,
    OrderRead,
    OrderSummary,
    TrackingRead,
)
from ticketing.security.principals import CustomerAccess

router = APIRouter(tags=["orders"])

READ_ERRORS = error_responses(401, 404)
# 409: a business rule says no, or the Idempotency-Key was used for a different change.
WRITE_ERRORS = error_responses(401, 404, 409)


@router.get(
    "/customers/me/orders", response_model=list[OrderSummary], responses=error_responses(401)
)
def list_my_orders(
    principal: CustomerAccess,
    oms: OmsDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[OrderSummary]:
    """The verified customer's most recent orders, newest first."""
    if principal.customer_id is None:
        return []
    return [
        service.to_summary(o) for o in oms.orders_of_customer(principal.customer_id, limit=limit)
    ]


@router.get("/orders/{order_number}", response_model=OrderRead, responses=READ_ERRORS)
def get_order(
    order_number: str, principal: CustomerAccess, oms: OmsDep, policy: PolicyDep, now: NowDep
) -> OrderRead:
    """Order details with items, tracking and what can still be changed."""
    order = service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    return service.to_read(order, policy, now)


@router.get("/orders/{order_number}/tracking", response_model=TrackingRead, responses=READ_ERRORS)
def get_tracking(
    order_number: str, principal: CustomerAccess, oms: OmsDep, policy: PolicyDep, now: NowDep
) -> TrackingRead:
    """Where the parcel is, whether it is late or presumed lost, and what happens next."""
    order = service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    return service.tracking(order, policy, now)


@router.post("/orders/{order_number}/cancel", response_model=CancelResult, responses=WRITE_ERRORS)
def cancel_order(
    order_number: str,
    body: CancelRequest,
    principal: CustomerAccess,
    database: DatabaseDep,
    policy: PolicyDep,
    gateway: GatewayDep,
    now: NowDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Cancel an order that hasn't shipped; a paid order is refunded in the same step."""
    number = normalise_order_number(order_number)

    def write(db_session: Session) -> tuple[int, Any]:
        oms = get_order_system(db_session)
        order = service.get_for_customer_or_raise(
            oms=oms, number=number, customer_id=principal.customer_id, for_update=True
        )
        refund = flows.cancel(
            db_session=db_session,
            oms=oms,
            order=order,
            reason=body.reason,
            policy=policy,
            gateway=gateway,
            now=now,
            actor=principal.actor,
        )
        message = f"Order {number} is cancelled."
        if refund is not None:
            message += (
                f" Your refund of {refund.currency} {refund.amount} is {refund.status.value}."
            )
        result = CancelResult(
            order=service.to_read(order, policy, now),
            refund_id=refund.id if refund else None,
            message=message,
        )
        return 200, result.model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope=f"cancel:{number}",
        payload=[principal.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )


@router.post(
    "/orders/{order_number}/shipping-address/parse",
    response_model=AddressParsed,
    responses=error_responses(401, 404, 422),
)
def parse_shipping_address(
    order_number: str, body: AddressText, principal: CustomerAccess, oms: OmsDep
) -> AddressParsed:
    """Read an address as the customer typed it into fields, nothing changed: the order's own
    country and name fill in what the text leaves out. 422 names the field that is missing or
    wrong (`context.field`: postal_code, city, street, house_number, country, name, address)."""
    order = service.get_for_customer_or_raise(
        oms=oms, number=normalise_order_number(order_number), customer_id=principal.customer_id
    )
    current = order.shipping_address or {}
    fields = address_parsing.parse(
        body.text,
        default_country=str(current.get("country") or "DE"),
        default_name=str(current.get("name") or "") or None,
    )
    try:
        address = Address.model_validate(fields)
    except ValidationError as error:  # the parser bounds every field; this is a last guard
        raise InvalidInputError(
            "I couldn't read that as an address. Please type it again.",
            code="address_unreadable",
            field="address",
        ) from error
    return AddressParsed(address=address, text=address_parsing.one_line(fields))


@router.put(
    "/orders/{order_number}/shipping-address",
    response_model=AddressChangeResult,
    responses=WRITE_ERRORS,
)
def change_shipping_address(
    order_number: str,
    body: Address,
    principal: CustomerAccess,
    database: DatabaseDep,
    policy: PolicyDep,
    now: NowDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Send an order that hasn't shipped to another address."""
    number = normalise_order_number(order_number)

    def write(db_session: Session) -> tuple[int, Any]:
        oms = get_order_system(db_session)
        order = service.get_for_customer_or_raise(
            oms=oms, number=number, customer_id=principal.customer_id, for_update=True
        )
        flows.change_address(
            db_session=db_session,
            oms=oms,
            order=order,
            address=body,
            policy=policy,
            actor=principal.actor,
        )
        result = AddressChangeResult(
            order=service.to_read(order, policy, now),
            message=f"Order {number} will be shipped to {body.line1}, {body.city}.",
        )
        return 200, result.model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope=f"address:{number}",
        payload=[principal.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )
