"""The hub's view of its optional Redis: after one failure Redis is skipped for a few seconds,
so a hanging Redis costs one timeout, not one per publish or lock."""

from __future__ import annotations

import time
from collections.abc import Callable

from ticketing.conversations.circuit_breaker import CircuitBreaker

OPEN_SECONDS = 5.0


class RedisBreaker(CircuitBreaker):
    def __init__(
        self, open_seconds: float = OPEN_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__("Redis", failures_to_open=1, open_seconds=open_seconds, clock=clock)
