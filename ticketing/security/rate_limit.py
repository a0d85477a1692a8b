"""Counting failures in a time window: Redis when configured, process memory otherwise."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from typing import Protocol

import redis

_log = logging.getLogger(__name__)


class FailureCounter(Protocol):
    """Counts failures per key inside a sliding window."""

    def failures(self, key: str) -> int: ...

    def add_failure(self, key: str) -> int: ...

    def reset(self, key: str) -> None: ...


class MemoryFailureCounter:
    """In-process counter: right for one process and for tests without Redis."""

    def __init__(self, window_seconds: int) -> None:
        self.window_seconds = window_seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        return events

    def failures(self, key: str) -> int:
        with self._lock:
            return len(self._prune(key, time.monotonic()))

    def add_failure(self, key: str) -> int:
        with self._lock:
            now = time.monotonic()
            events = self._prune(key, now)
            events.append(now)
            return len(events)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


class RedisFailureCounter:
    """Shared counter for several backend processes: a fixed window per key with a TTL."""

    def __init__(
        self, client: redis.Redis[bytes], window_seconds: int, prefix: str = "sb:fail:"
    ) -> None:
        self.client = client
        self.window_seconds = window_seconds
        self.prefix = prefix

    def failures(self, key: str) -> int:
        value = self.client.get(self.prefix + key)
        return int(value) if value is not None else 0

    def add_failure(self, key: str) -> int:
        pipe = self.client.pipeline()
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, self.window_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def reset(self, key: str) -> None:
        self.client.delete(self.prefix + key)


class FallbackFailureCounter:
    """Redis first; while Redis is unreachable, this process's memory (logged, never a 500)."""

    def __init__(self, primary: FailureCounter, fallback: FailureCounter) -> None:
        self.primary = primary
        self.fallback = fallback

    def failures(self, key: str) -> int:
        try:
            return self.primary.failures(key)
        except redis.RedisError:
            _log.warning("redis unreachable: counting verification failures in memory")
            return self.fallback.failures(key)

    def add_failure(self, key: str) -> int:
        try:
            return self.primary.add_failure(key)
        except redis.RedisError:
            _log.warning("redis unreachable: counting verification failures in memory")
            return self.fallback.add_failure(key)

    def reset(self, key: str) -> None:
        try:
            self.primary.reset(key)
        except redis.RedisError:
            _log.warning("redis unreachable: could not reset a failure counter")
        self.fallback.reset(key)


def make_failure_counter(redis_url: str | None, window_seconds: int) -> FailureCounter:
    """Redis-backed (with a memory fallback) when `redis_url` is set, memory otherwise."""
    memory = MemoryFailureCounter(window_seconds)
    if not redis_url:
        return memory
    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    return FallbackFailureCounter(RedisFailureCounter(client, window_seconds), memory)
