"""Verifying a customer for an order, with failures rate-limited (see `limits`)."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ticketing.conversations import bot_record
from ticketing.errors import AuthenticationError
from ticketing.orders.models import Order
from ticketing.orders.numbers import normalise_order_number, phones_match
from ticketing.security import tokens
from ticketing.security.principals import VERIFICATION_TOKEN
from ticketing.security.rate_limit import FailureCounter
from ticketing.settings import Settings
from ticketing.verification import limits
from ticketing.verification.schemas import VerificationRead, VerificationRequest

FAILED = (
    "We couldn't verify those details. Please check the order number and use the email "
    "address or phone number you gave when ordering."
)


def _matches(order: Order | None, request: VerificationRequest) -> bool:
    if order is None:
        return False
    customer = order.customer
    if request.email and hmac.compare_digest(
        request.email.strip().casefold().encode(), customer.email.casefold().encode()
    ):
        return True
    return bool(request.phone) and phones_match(request.phone or "", customer.phone_digits)


def verify(
    *,
    db_session: Session,
    request: VerificationRequest,
    asker: str,
    counter: FailureCounter,
    locks: limits.Locks,
    settings: Settings,
    now: datetime,
    proven_conversation: str | None = None,
) -> VerificationRead:
    """A short-lived token for the order's customer; the same refusal whether or not the order
    exists, and "try again later" after too many failures (`limits`). A success for the
    conversation the hub's proof names links that conversation to the customer."""
    number = normalise_order_number(request.order_number)
    attempt = limits.Attempt(
        order_number=number,
        email=request.email,
        phone=request.phone,
        asker=asker,
        now=now,
        client_ip=request.client_ip,
    )
    limits.check(
        counter=counter,
        locks=locks,
        attempt=attempt,
        limit=settings.verification_max_failures,
        window_seconds=settings.verification_window_seconds,
    )
    order = db_session.scalar(
        select(Order).where(Order.number == number).options(joinedload(Order.customer))
    )
    if order is None or not _matches(order, request):
        exists = order is not None
        limits.record_failure(counter=counter, locks=locks, attempt=attempt, order_exists=exists)
        raise AuthenticationError(FAILED, code="verification_failed")
    limits.record_success(counter=counter, attempt=attempt)
    if proven_conversation and request.conversation_id in (None, proven_conversation):
        bot_record.link_customer(db_session, conversation_id=proven_conversation, order=order)
    token, expires_at = tokens.issue(
        secret=settings.secret_key.get_secret_value(),
        kind=VERIFICATION_TOKEN,
        claims={"cid": order.customer_id, "ord": order.number},
        now=now,
        ttl=timedelta(minutes=settings.verification_token_minutes),
    )
    return VerificationRead(
        token=token,
        expires_at=expires_at,
        order_number=order.number,
        customer_first_name=order.customer.name.split()[0],
    )
