"""Failed verification attempts: never stored in the database, only counted for 15 minutes
per order number and per asking conversation (Redis when configured, else process memory) so
guessing is locked out. The counts are part of an export and reset by an erasure."""

from __future__ import annotations

from ticketing.privacy.scope import Scope
from ticketing.security.rate_limit import FailureCounter
from ticketing.verification.limits import contact_keys


def counter_keys(scope: Scope) -> list[str]:
    """The keys `ticketing.verification.service.verify` counts failures under."""
    orders = [f"verify:order:{order.number}" for order in scope.orders]
    askers = [f"verify:asker:{conversation_id}" for conversation_id in scope.conversation_ids]
    customer = scope.customer
    contacts = contact_keys(customer.email, customer.phone) if customer is not None else []
    return orders + askers + contacts


def failures(counter: FailureCounter, keys: list[str]) -> dict[str, int]:
    """The keys with failures counted right now, and how many."""
    counts = {key: counter.failures(key) for key in keys}
    return {key: count for key, count in counts.items() if count}


def reset(counter: FailureCounter, keys: list[str]) -> None:
    for key in keys:
        counter.reset(key)
