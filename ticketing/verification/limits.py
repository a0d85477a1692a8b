"""How many failed verifications are allowed before the answer is "try again later": per order
number, per email or phone (normalised), per asking conversation, per customer address, and
for the whole shop per minute. Failures are counted by the shared failure counter (Redis when
configured, process memory else); an address or the shop that reaches its limit is locked with
a back-off (`ticketing.security.backoff`): each further lock-out within a day lasts twice as
long."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

import redis
from fastapi import Request

from ticketing.errors import RateLimitedError
from ticketing.observability.metrics import VERIFICATION_LOCKOUTS, VERIFICATION_REFUSALS
from ticketing.orders.numbers import phone_digits
from ticketing.security.backoff import Backoff, FallbackLockCounter, LockCounter
from ticketing.security.message_limits import MemoryWindowCounter, RedisWindowCounter
from ticketing.security.rate_limit import FailureCounter

log = logging.getLogger(__name__)

# Module constants until `Settings` has room for them: failures of everyone together in one
# clock minute, failures from one customer address per window (higher than per order: people
# share addresses behind a NAT), the locks that follow, and the digits of a phone number that
# identify it whatever its format.
GLOBAL_FAILURES_PER_MINUTE = 60
GLOBAL_LOCK_SECONDS = 60  # then 120, 240 ... for further lock-outs within a day
GLOBAL_MAX_LOCK_SECONDS = 900
IP_FAILURES_PER_WINDOW = 20
IP_MAX_LOCK_SECONDS = 4 * 3600  # the first lock lasts one failure window
PHONE_KEY_DIGITS = 8
SHOP = "shop"  # the lock key of everyone together

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


def ip_key(ip: str) -> str:
    """The lock and counter key of a customer address: hashed, like an email."""
    return "ip:" + hashlib.sha256(ip.strip().casefold().encode()).hexdigest()[:24]


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
    client_ip: str | None = None

    @property
    def keys(self) -> list[str]:
        """Every per-window key this attempt counts under with the per-order limit."""
        order_and_asker = [f"verify:order:{self.order_number}", f"verify:asker:{self.asker}"]
        return order_and_asker + contact_keys(self.email, self.phone)

    @property
    def ip(self) -> str | None:
        """The lock key of the customer's address, when the channel knows it."""
        return ip_key(self.client_ip) if self.client_ip else None

    @property
    def masked(self) -> str:
        """Who asked about what, safe for a log line (the address as its hash)."""
        if self.email:
            contact = _masked_email(self.email)
        else:
            contact = "phone ***" + phone_digits(self.phone or "")[-2:]
        address = f", address {self.ip}" if self.ip else ""
        return f"order {self.order_number}, {contact}, asker {self.asker}{address}"


@dataclass(frozen=True)
class Locks:
    """The back-off locks of customer addresses and of the whole shop, and how many failures
    lock them (0: never)."""

    ip: Backoff
    shop: Backoff
    ip_failures: int = IP_FAILURES_PER_WINDOW
    failures_per_minute: int = GLOBAL_FAILURES_PER_MINUTE


def make_locks(
    counter: LockCounter,
    *,
    ip_lock_seconds: int,
    ip_failures: int = IP_FAILURES_PER_WINDOW,
    failures_per_minute: int = GLOBAL_FAILURES_PER_MINUTE,
) -> Locks:
    """Locks of addresses (first one `ip_lock_seconds`) and of the shop, in one counter."""
    return Locks(
        ip=Backoff(counter, base_seconds=ip_lock_seconds, max_seconds=IP_MAX_LOCK_SECONDS),
        shop=Backoff(
            counter, base_seconds=GLOBAL_LOCK_SECONDS, max_seconds=GLOBAL_MAX_LOCK_SECONDS
        ),
        ip_failures=ip_failures,
        failures_per_minute=failures_per_minute,
    )


def check(
    *, counter: FailureCounter, locks: Locks, attempt: Attempt, limit: int, window_seconds: int
) -> None:
    """RateLimitedError (the same answer whether or not the order exists) while the shop or the
    customer's address is locked, or when any key of the attempt has had too many failures."""
    if (seconds := locks.shop.locked_for(SHOP)) is not None:
        _refuse(attempt, "global", retry_after=seconds)
    if attempt.ip and (seconds := locks.ip.locked_for(attempt.ip)) is not None:
        _refuse(attempt, "ip", retry_after=seconds)
    if any(counter.failures(key) >= limit for key in attempt.keys):
        _refuse(attempt, "locked", retry_after=window_seconds)


def _refuse(attempt: Attempt, reason: str, *, retry_after: int) -> None:
    VERIFICATION_REFUSALS.labels(reason=reason).inc()
    log.warning("verification rate-limited (%s): %s", reason, attempt.masked)
    raise RateLimitedError(LOCKED, retry_after=retry_after)


def record_failure(
    *, counter: FailureCounter, locks: Locks, attempt: Attempt, order_exists: bool
) -> None:
    """Count a refused attempt under each of its keys; lock the address or the shop that
    reaches its limit. An unknown order number is what guessing looks like, so it is counted
    apart in the metrics and logged (masked)."""
    counts = [counter.add_failure(key) for key in attempt.keys]
    reason = "no_match" if order_exists else "unknown_order"
    VERIFICATION_REFUSALS.labels(reason=reason).inc()
    log.warning(
        "verification failed (%s): %s, %d failures for its most tried key",
        reason,
        attempt.masked,
        max(counts),
    )
    if attempt.ip and locks.ip_failures:
        ip_failures = f"verify:{attempt.ip}"
        if counter.add_failure(ip_failures) >= locks.ip_failures:
            counter.reset(ip_failures)
            _lock_out(locks.ip, attempt.ip, "ip", attempt)
    if locks.failures_per_minute and (
        counter.add_failure(_global_key(attempt.now)) == locks.failures_per_minute
    ):
        _lock_out(locks.shop, SHOP, "global", attempt)


def _lock_out(backoff: Backoff, key: str, limit: str, attempt: Attempt) -> None:
    seconds = backoff.lock(key)
    VERIFICATION_LOCKOUTS.labels(limit=limit).inc()
    log.warning(
        "verification locked out (%s) for %d s after too many failures; last: %s",
        limit,
        seconds,
        attempt.masked,
    )


def record_success(*, counter: FailureCounter, attempt: Attempt) -> None:
    """The order's and the contact's counts start again; the asker's and the shop's do not."""
    for key in attempt.keys:
        if not key.startswith("verify:asker:"):
            counter.reset(key)


def make_lock_counter(request: Request) -> LockCounter:
    """Redis (with this process's memory while it fails) when configured, else memory. Memory
    windows run on the app's clock, so tests move them with their fake clock."""
    state = request.app.state
    memory = MemoryWindowCounter(clock=lambda: state.clock().timestamp())
    if not state.settings.redis_url:
        return memory
    client = redis.Redis.from_url(
        state.settings.redis_url, socket_timeout=2, socket_connect_timeout=2
    )
    primary = RedisWindowCounter(client, prefix="sb:verify-lock:")
    return FallbackLockCounter(primary, memory, name="verification locks")


_making = threading.Lock()


def get_locks(request: Request) -> Locks:
    """The app's verification locks, made on first use from its settings."""
    state = request.app.state
    with _making:
        locks: Locks | None = getattr(state, "verification_locks", None)
        if locks is None:
            settings = state.settings
            locks = make_locks(
                make_lock_counter(request),
                ip_lock_seconds=settings.verification_window_seconds,
                ip_failures=settings.verification_failures_per_ip,
                failures_per_minute=settings.verification_failures_per_minute,
            )
            state.verification_locks = locks
    return locks
