"""Throttled staff logins: too many wrong passwords for one account, or from one client address,
lock it for a while (429 with Retry-After), and each further lock of the same key within a day
lasts twice as long, up to a limit. A success clears the account's count.

The windows are message_limits' counters: shared in Redis when configured, this process's
memory otherwise and while Redis is unreachable (logins stay throttled during an outage).
Unknown usernames are counted like real ones, so the answers never tell whether one exists.
"""

from __future__ import annotations

import threading

import redis
from fastapi import Request

from ticketing.errors import RateLimitedError
from ticketing.security.backoff import Backoff, FallbackLockCounter, LockCounter
from ticketing.security.message_limits import MemoryWindowCounter, RedisWindowCounter
from ticketing.settings import Settings

__all__ = ["FallbackLockCounter", "LockCounter", "LoginThrottle", "get_login_throttle"]


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
        self.locks = Backoff(counter, base_seconds=lock_seconds, max_seconds=max_lock_seconds)

    def check(self, *, username: str, ip: str) -> None:
        """Raise `RateLimitedError` while the account or the address is locked."""
        waits = [
            seconds
            for key in self._keys(username, ip)
            if (seconds := self.locks.locked_for(key)) is not None
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
            self.counter.clear(f"fail:{key}")
            waits.append(self.locks.lock(key))
        if waits:
            raise RateLimitedError(_refusal(max(waits)), retry_after=max(waits))

    def succeeded(self, *, username: str) -> None:
        """The right password: the account starts again from no failures and no locks."""
        key = self._account(username)
        self.counter.clear(f"fail:{key}")
        self.locks.forgive(key)

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
