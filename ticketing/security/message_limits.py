"""Limits on customer message intake: fixed windows counted in Redis when configured, process
memory otherwise. If Redis fails, messages are allowed (and logged): a Redis outage must never
silence customers."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ticketing.conversations.redis_breaker import RedisBreaker
from ticketing.errors import RateLimitedError
from ticketing.settings import Settings

_log = logging.getLogger(__name__)

SWEEP_ABOVE_KEYS = 10_000  # memory counters drop expired windows once there are this many


@dataclass(frozen=True)
class Hit:
    """One counted event: how many the key's window holds now, and seconds until it ends."""

    count: int
    resets_in: int


class WindowCounter(Protocol):
    """Counts events per key in fixed windows."""

    def hit(self, key: str, window_seconds: int) -> Hit: ...


class MemoryWindowCounter:
    """In-process windows: right for one process and for tests without Redis."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window end, count)
        self._lock = threading.Lock()

    def hit(self, key: str, window_seconds: int) -> Hit:
        with self._lock:
            now = self.clock()
            if len(self._windows) > SWEEP_ABOVE_KEYS:
                self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window_seconds, 0
            self._windows[key] = (ends, count + 1)
            return Hit(count=count + 1, resets_in=max(1, math.ceil(ends - now)))

    def peek(self, key: str) -> Hit | None:
        """The key's current window without counting, or None when it has none."""
        with self._lock:
            now = self.clock()
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                return None
            return Hit(count=count, resets_in=max(1, math.ceil(ends - now)))

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)


class RedisWindowCounter:
    """Windows shared by every backend process: INCR, EXPIRE NX and TTL in one transaction."""

    def __init__(self, client: redis.Redis[bytes], prefix: str = "sb:limit:") -> None:
        self.client = client
        self.prefix = prefix

    def hit(self, key: str, window_seconds: int) -> Hit:
        name = self.prefix + key
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, window_seconds, nx=True)
        pipe.ttl(name)
        count, _, ttl = pipe.execute()
        return Hit(count=int(count), resets_in=int(ttl) if int(ttl) > 0 else window_seconds)

    def peek(self, key: str) -> Hit | None:
        """The key's current window without counting, or None when it has none."""
        pipe = self.client.pipeline(transaction=True)
        pipe.get(self.prefix + key)
        pipe.pttl(self.prefix + key)
        count, pttl = pipe.execute()
        if count is None or int(pttl) <= 0:
            return None
        return Hit(count=int(count), resets_in=max(1, math.ceil(int(pttl) / 1000)))

    def clear(self, key: str) -> None:
        self.client.delete(self.prefix + key)


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window_seconds`; a count of 0 means no limit."""

    count: int
    window_seconds: int


class MessageLimits:
    """The intake limits: per conversation (in the hub), per client IP and new chats per IP
    (in the HTTP views). Each `check_*` raises `RateLimitedError` when over the limit."""

    def __init__(
        self,
        counter: WindowCounter,
        *,
        per_conversation: Limit,
        per_ip: Limit,
        sessions_per_ip: Limit,
        breaker: RedisBreaker | None = None,
    ) -> None:
        self.counter = counter
        self.per_conversation = per_conversation
        self.per_ip = per_ip
        self.sessions_per_ip = sessions_per_ip
        self.breaker = breaker or RedisBreaker()

    def check_conversation(self, conversation_id: str) -> None:
        self._check(f"conv:{conversation_id}", self.per_conversation, _too_fast)

    def check_ip(self, ip: str) -> None:
        self._check(f"ip:{ip}", self.per_ip, _too_fast)

    def check_new_session(self, ip: str) -> None:
        self._check(f"session-ip:{ip}", self.sessions_per_ip, _too_many_chats)

    def _check(self, key: str, limit: Limit, refusal: Callable[[int], str]) -> None:
        if limit.count <= 0 or not self.breaker.closed:
            return
        try:
            hit = self.counter.hit(key, limit.window_seconds)
        except redis.RedisError as error:
            self.breaker.failed("message limits", error)
            _log.warning("message limits unavailable, allowing the message: %s", error)
            return
        if hit.count > limit.count:
            raise RateLimitedError(refusal(hit.resets_in), retry_after=hit.resets_in)


def _too_fast(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You're sending messages very fast; please wait {seconds} {unit}."


def _too_many_chats(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    unit = "minute" if minutes == 1 else "minutes"
    return f"You've started many chats in a short time; please wait {minutes} {unit}."


def client_ip(request: Request) -> str:
    """The caller's address as the server sees it (behind a proxy, run uvicorn with
    `--proxy-headers` and `--forwarded-allow-ips` so this is the customer's)."""
    return request.client.host if request.client else "unknown"


async def limit_messages_from_ip(request: Request) -> None:
    """Raise `RateLimitedError` if this client IP sends messages too fast."""
    limits: MessageLimits = request.app.state.message_limits
    await run_in_threadpool(limits.check_ip, client_ip(request))


async def limit_new_chats_from_ip(request: Request) -> None:
    """Raise `RateLimitedError` if this client IP starts too many web chats."""
    limits: MessageLimits = request.app.state.message_limits
    await run_in_threadpool(limits.check_new_session, client_ip(request))


def make_message_limits(
    settings: Settings,
    *,
    breaker: RedisBreaker | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> MessageLimits:
    """Redis-backed when `settings.redis_url` is set, process memory otherwise."""
    counter: WindowCounter = MemoryWindowCounter(clock)
    if settings.redis_url:
        client = redis.Redis.from_url(
            settings.redis_url, socket_timeout=2, socket_connect_timeout=2
        )
        counter = RedisWindowCounter(client)
    window = settings.message_limit_window_seconds
    return MessageLimits(
        counter,
        per_conversation=Limit(settings.message_limit_per_conversation, window),
        per_ip=Limit(settings.message_limit_per_ip, window),
        sessions_per_ip=Limit(
            settings.chat_session_limit_per_ip, settings.chat_session_window_seconds
        ),
        breaker=breaker,
    )
