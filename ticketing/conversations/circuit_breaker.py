"""A small circuit breaker for outbound calls: after `failures_to_open` failures in a row the
dependency is skipped for `open_seconds` (callers fail fast and take their fallback), then it is
tried again; a success closes the circuit.

The hub uses one for Rasa (a hanging Rasa costs a timeout for a few messages, not every one:
the others are handed to a person at once) and one for Redis (see `redis_breaker.py`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failures_to_open: int = 3,
        open_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failures_to_open = failures_to_open
        self.open_seconds = open_seconds
        self.clock = clock
        self.open_until = 0.0
        self.failures = 0
        self._lock = threading.Lock()

    @property
    def closed(self) -> bool:
        """True when the dependency may be tried (closed, or open long enough to try again)."""
        return self.clock() >= self.open_until

    def seconds_left(self) -> float:
        return max(0.0, self.open_until - self.clock())

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0

    def failed(self, what: str, error: BaseException | str) -> None:
        with self._lock:
            self.failures += 1
            if self.failures < self.failures_to_open:
                return
            if self.closed:
                log.warning(
                    "%s failed %d time(s) in a row (%s: %s); skipping it for %.0f s",
                    self.name,
                    self.failures,
                    what,
                    error,
                    self.open_seconds,
                )
            self.open_until = self.clock() + self.open_seconds
