"""Locks that grow: a key that keeps being locked out is locked for longer each time (twice as
long per earlier lock within a day, up to a limit). Staff logins and customer verifications
lock this way.

The locks live in message_limits' fixed-window counters: shared in Redis when configured, this
process's memory otherwise and while Redis is unreachable (limits hold during an outage).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

import redis

from ticketing.conversations.redis_breaker import RedisBreaker
from ticketing.security.message_limits import Hit

_log = logging.getLogger(__name__)

STRIKES_SECONDS = 86_400  # a key's locks count towards the next, longer one for a day
_T = TypeVar("_T")


class LockCounter(Protocol):
    """Fixed windows that can also be read and cleared without counting."""

    def hit(self, key: str, window_seconds: int) -> Hit: ...

    def peek(self, key: str) -> Hit | None: ...

    def clear(self, key: str) -> None: ...


class FallbackLockCounter:
    """Redis first; while it fails, this process's memory (logged, never a 500). After a
    failure Redis is skipped for a few seconds, so an outage costs one timeout, not one per
    request."""

    def __init__(
        self,
        primary: LockCounter,
        fallback: LockCounter,
        breaker: RedisBreaker | None = None,
        *,
        name: str = "login limits",
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker or RedisBreaker()
        self.name = name

    def _either(self, use: Callable[[LockCounter], _T]) -> _T:
        if not self.breaker.closed:
            return use(self.fallback)
        try:
            answer = use(self.primary)
        except redis.RedisError as error:
            self.breaker.failed(self.name, error)
            _log.warning("redis unreachable: %s in this process's memory: %s", self.name, error)
            return use(self.fallback)
        self.breaker.succeeded()
        return answer

    def hit(self, key: str, window_seconds: int) -> Hit:
        return self._either(lambda counter: counter.hit(key, window_seconds))

    def peek(self, key: str) -> Hit | None:
        return self._either(lambda counter: counter.peek(key))

    def clear(self, key: str) -> None:
        self._either(lambda counter: counter.clear(key))
        self.fallback.clear(key)


class Backoff:
    """`lock(key)` locks it for `base_seconds`, doubled for each earlier lock of the key within
    `strikes_seconds`, at most `max_seconds`; `locked_for(key)` says how long it still is."""

    def __init__(
        self,
        counter: LockCounter,
        *,
        base_seconds: int,
        max_seconds: int,
        strikes_seconds: int = STRIKES_SECONDS,
    ) -> None:
        self.counter = counter
        self.base_seconds = base_seconds
        self.max_seconds = max_seconds
        self.strikes_seconds = strikes_seconds

    def locked_for(self, key: str) -> int | None:
        """Seconds until the key's lock ends, or None when it is not locked."""
        hit = self.counter.peek(f"lock:{key}")
        return hit.resets_in if hit is not None else None

    def lock(self, key: str) -> int:
        """Lock the key (again, for longer); the lock's seconds."""
        strikes = self.counter.hit(f"strikes:{key}", self.strikes_seconds).count
        seconds = min(self.base_seconds * 2 ** min(strikes - 1, 30), self.max_seconds)
        self.counter.clear(f"lock:{key}")
        return self.counter.hit(f"lock:{key}", seconds).resets_in

    def forgive(self, key: str) -> None:
        """The key's next lock is a first one again."""
        self.counter.clear(f"strikes:{key}")
