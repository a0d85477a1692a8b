"""Background work the backend repeats while it runs (the SLA watch, the training inbox's
retention): every `interval` seconds (never when it is 0), the first round one interval after
start; a failed round is logged and the next one tries again; `stop` lets a running round
finish."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


class Periodic:
    name = "periodic"  # the task's name and what a failed round's log line says

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.stopping = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def round(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self.interval > 0:
            self.task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Let a running round finish, then stop."""
        self.stopping.set()
        if self.task is not None:
            await self.task

    async def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=self.interval)
            except TimeoutError:
                pass
            if self.stopping.is_set():
                return
            try:
                await self.round()
            except Exception:  # noqa: BLE001 - e.g. the database is down: try again next round
                log.exception("%s: round failed", self.name)
