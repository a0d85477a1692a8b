"""How many failed verifications are allowed before the answer is "try again later": per order
number, per email or phone (normalised), per asking conversation, and for the whole shop per
minute. Counted by the shared failure counter (Redis when configured, process memory else)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from ticketing.errors import RateLimitedError
from ticketing.observability.metrics import VERIFICATION_REFUSALS
from ticketing.orders.numbers import phone_digits
from ticketing.security.rate_limit import FailureCounter

log = logging.getLogger(__name__)

# Module constants until `Settings` has room for them: failures of everyone together in one
# clock minute, and the digits of a phone number that identify it whatever its format.
GLOBAL_FAILURES_PER_MINUTE = 60
PHONE_KEY_DIGITS = 8

LOCKED = "Too many failed verification attempts. Please try again later or ask for a human agent."


def email_key(email: str) -> str:
    """The counter key of an email: hashed, so Redis holds no address."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]
    return f"verify:email:{digest}"


def phone_key(phone: str) -> str | None:
    """The counter key of a phone: its last 8 digits (what the check compares), hashed; None
    when it has too few digits to ever match."""
    digits = phone_digits(phone).lstrip("0")
    if len(digits) < PHONE_KEY_DIGITS:
        return None
    digest = hashlib.sha256(digits[-PHONE_KEY_DIGITS:].encode()).hexdigest()[:32]
    return f"verify:phone:{digest}"


def contact_keys(email: str | None, phone: str | None) -> list[str]:
    """The keys failures are counted under for an email and a phone (for export and erasure)."""
    keys = [email_key(email)] if email else []
    if phone and (key := phone_key(phone)):
        keys.append(key)
    return keys


def _global_key(now: datetime) -> str:
    # Not under "verify:": it counts no one in particular (an erasure leaves it alone).
    return f"verifications:{now:%Y%m%d%H%M}"


def _masked_email(email: str) -> str:
    name, _, domain = email.strip().casefold().partition("@")
    return f"{name[:1]}***@{domain}"


@dataclass(frozen=True)
class Attempt:
    """One verification request, as the limits see it."""

    order_number: str
    email: str | None
    phone: str | None
    asker: str
    now: datetime

    @property
    def keys(self) -> list[str]:
        """Every per-window key this attempt counts under."""
        order_and_asker = [f"verify:order:{self.order_number}", f"verify:asker:{self.asker}"]
        return order_and_asker + contact_keys(self.email, self.phone)

    @property
    def masked(self) -> str:
        """Who asked about what, safe for a log line."""
        if self.email:
            contact = _masked_email(self.email)
        else:
            contact = "phone ***" + phone_digits(self.phone or "")[-2:]
        return f"order {self.order_number}, {contact}, asker {self.asker}"


def check(*, counter: FailureCounter, attempt: Attempt, limit: int, window_seconds: int) -> None:
    """RateLimitedError (the same answer whether or not the order exists) when any key of the
    attempt, or the shop as a whole this minute, has had too many failures."""
    if counter.failures(_global_key(attempt.now)) >= GLOBAL_FAILURES_PER_MINUTE:
        _refuse(attempt, "global", retry_after=60 - attempt.now.second)
    if any(counter.failures(key) >= limit for key in attempt.keys):
        _refuse(attempt, "locked", retry_after=window_seconds)


def _refuse(attempt: Attempt, reason: str, *, retry_after: int) -> None:
    VERIFICATION_REFUSALS.labels(reason=reason).inc()
    log.warning("verification rate-limited (%s): %s", reason, attempt.masked)
    raise RateLimitedError(LOCKED, retry_after=retry_after)


def record_failure(*, counter: FailureCounter, attempt: Attempt, order_exists: bool) -> None:
    """Count a refused attempt under each of its keys; an unknown order number is what guessing
    looks like, so it is counted apart in the metrics and logged (masked)."""
    counts = [counter.add_failure(key) for key in attempt.keys]
    counter.add_failure(_global_key(attempt.now))
    reason = "no_match" if order_exists else "unknown_order"
    VERIFICATION_REFUSALS.labels(reason=reason).inc()
    log.warning(
        "verification failed (%s): %s, %d failures for its most tried key",
        reason,
        attempt.masked,
        max(counts),
    )


def record_success(*, counter: FailureCounter, attempt: Attempt) -> None:
    """The order's and the contact's counts start again; the asker's and the shop's do not."""
    for key in attempt.keys:
        if not key.startswith("verify:asker:"):
            counter.reset(key)
