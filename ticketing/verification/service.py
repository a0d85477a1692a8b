"""Verifying a customer for an order, with failures rate-limited per order and per asker."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ticketing.errors import AuthenticationError, RateLimitedError
from ticketing.orders.models import Order
from ticketing.orders.numbers import normalise_order_number, phones_match
from ticketing.security import tokens
from ticketing.security.principals import VERIFICATION_TOKEN
from ticketing.security.rate_limit import FailureCounter
from ticketing.settings import Settings
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
    settings: Settings,
    now: datetime,
) -> VerificationRead:
    """A short-lived token for the order's customer; the same refusal whether or not the order
    exists, and a lock-out after too many failures."""
    number = normalise_order_number(request.order_number)
    keys = (f"verify:order:{number}", f"verify:asker:{asker}")
    limit = settings.verification_max_failures
    if any(counter.failures(key) >= limit for key in keys):
        raise RateLimitedError(
            "Too many failed verification attempts. Please wait 15 minutes or ask for a human "
            "agent.",
            retry_after=settings.verification_window_seconds,
        )
    order = db_session.scalar(
        select(Order).where(Order.number == number).options(joinedload(Order.customer))
    )
    if order is None or not _matches(order, request):
        for key in keys:
            counter.add_failure(key)
        raise AuthenticationError(FAILED, code="verification_failed")
    counter.reset(keys[0])
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
