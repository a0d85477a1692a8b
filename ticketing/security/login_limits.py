"""Throttled staff logins: too many wrong passwords for one account, or from one client address,
lock it for a while (429 with Retry-After), and each further lock of the same key within a day
lasts twice as long, up to a limit. A success clears the account's count.

The windows are message_limits' counters: shared in Redis when configured, this process's
memory otherwise and while Redis is unreachable (logins stay throttled during an outage).
Unknown usernames are counted like real ones, so the answers never tell whether one exists.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

import redis
from fastapi import Request

from ticketing.conversations.redis_breaker import RedisBreaker
from ticketing.errors import RateLimitedError
from ticketing.security.message_limits import Hit, MemoryWindowCounter, RedisWindowCounter
from ticketing.settings import Settings

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
    login."""

    def __init__(
        self, primary: LockCounter, fallback: LockCounter, breaker: RedisBreaker | None = None
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker or RedisBreaker()

    def _either(self, use: Callable[[LockCounter], _T]) -> _T:
        if not self.breaker.closed:
            return use(self.fallback)
        try:
            answer = use(self.primary)
        except redis.RedisError as error:
            self.breaker.failed("login limits", error)
            _log.warning("redis unreachable: login limits in this process's memory: %s", error)
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


class LoginThrottle:
    """`check` before a password is tried, then `failed` or `succeeded`."""

    def __init__(
        self,
        counter: LockCounter,
        *,
        per_account: int,
        per_ip: int,
        window_seconds: int,
        lock_seconds: int,
        max_lock_seconds: int,
    ) -> None:
        self.counter = counter
        self.limits = {"account": per_account, "ip": per_ip}
        self.window_seconds = window_seconds
        self.lock_seconds = lock_seconds
        self.max_lock_seconds = max_lock_seconds

    def check(self, *, username: str, ip: str) -> None:
        """Raise `RateLimitedError` while the account or the address is locked."""
        waits = [
            hit.resets_in
            for key in self._keys(username, ip)
            if (hit := self.counter.peek(f"lock:{key}")) is not None
        ]
        if waits:
            raise RateLimitedError(_refusal(max(waits)), retry_after=max(waits))

    def failed(self, *, username: str, ip: str) -> None:
        """Count a wrong password; raise `RateLimitedError` if that locks the account or address."""
        waits = []
        for key in self._keys(username, ip):
            limit = self.limits[key.partition(":")[0]]
            if self.counter.hit(f"fail:{key}", self.window_seconds).count < limit:
                continue
            strikes = self.counter.hit(f"strikes:{key}", STRIKES_SECONDS).count
            seconds = min(self.lock_seconds * 2 ** min(strikes - 1, 30), self.max_lock_seconds)
            self.counter.clear(f"fail:{key}")
            self.counter.clear(f"lock:{key}")
            waits.append(self.counter.hit(f"lock:{key}", seconds).resets_in)
        if waits:
            raise RateLimitedError(_refusal(max(waits)), retry_after=max(waits))

    def succeeded(self, *, username: str) -> None:
        """The right password: the account starts again from no failures and no locks."""
        key = self._account(username)
        self.counter.clear(f"fail:{key}")
        self.counter.clear(f"strikes:{key}")

    def _keys(self, username: str, ip: str) -> list[str]:
        keys = [self._account(username)] if self.limits["account"] > 0 else []
        return keys + ([f"ip:{ip}"] if self.limits["ip"] > 0 else [])

    @staticmethod
    def _account(username: str) -> str:
        return f"account:{username.strip().lower()}"


def _refusal(seconds: int) -> str:
    minutes = -(-seconds // 60)
    wait = f"{seconds} seconds" if seconds < 120 else f"{minutes} minutes"
    return f"Too many failed logins. Please wait {wait} before trying again."


def make_login_throttle(settings: Settings) -> LoginThrottle:
    """Redis-backed (memory while Redis fails) when `settings.redis_url` is set, else memory."""
    counter: LockCounter = MemoryWindowCounter()
    if settings.redis_url:
        client = redis.Redis.from_url(
            settings.redis_url, socket_timeout=2, socket_connect_timeout=2
        )
        counter = FallbackLockCounter(RedisWindowCounter(client, prefix="sb:login:"), counter)
    return LoginThrottle(
        counter,
        per_account=settings.login_failures_per_account,
        per_ip=settings.login_failures_per_ip,
        window_seconds=settings.login_window_seconds,
        lock_seconds=settings.login_lock_seconds,
        max_lock_seconds=settings.login_max_lock_seconds,
    )


_making = threading.Lock()


def get_login_throttle(request: Request) -> LoginThrottle:
    """The app's throttle, made on first use from its settings."""
    state = request.app.state
    with _making:
        throttle: LoginThrottle | None = getattr(state, "login_throttle", None)
        if throttle is None:
            throttle = make_login_throttle(state.settings)
            state.login_throttle = throttle
    return throttle
