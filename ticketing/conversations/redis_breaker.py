"""A tiny circuit breaker for the hub's optional Redis: after a failure, Redis is skipped for a
few seconds, so a hanging Redis costs one timeout, not one per publish or lock."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

OPEN_SECONDS = 5.0


class RedisBreaker:
    def __init__(
        self, open_seconds: float = OPEN_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.open_seconds = open_seconds
        self.clock = clock
        self.open_until = 0.0

    @property
    def closed(self) -> bool:
        """True when Redis may be tried."""
        return self.clock() >= self.open_until

    def failed(self, what: str, error: BaseException) -> None:
        if self.closed:
            log.warning(
                "Redis failed (%s: %s); skipping it for %.0f s", what, error, self.open_seconds
            )
        self.open_until = self.clock() + self.open_seconds
