"""Running the SLA watch beside the web app every `sla_check_seconds`, and telling the agent
console what it did."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from ticketing.conversations.broker import CONSOLE_TOPIC, Broker
from ticketing.db import Database
from ticketing.policy import service as policy_service
from ticketing.settings import Settings
from ticketing.tickets.sla_watch import SLA_BREACHED, SlaAction, check_all

log = logging.getLogger(__name__)


class SlaRunner:
    """Checks the running tickets every `sla_check_seconds` (never when it is 0); the first
    check comes one interval after start."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Callable[[], datetime],
        broker: Broker,
    ) -> None:
        self.database = database
        self.clock = clock
        self.broker = broker
        self.policy_file = settings.policy_file
        self.interval = settings.sla_check_seconds
        self.stopping = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.interval > 0:
            self.task = asyncio.create_task(self._run(), name="sla-watch")

    async def stop(self) -> None:
        """Let a running pass finish, then stop."""
        self.stopping.set()
        if self.task is not None:
            await self.task

    def run_once(self) -> list[SlaAction]:
        """One pass in its own transaction; what it did."""
        with self.database.session(write=True) as db_session:
            policy = policy_service.get_current(
                db_session=db_session, policy_file=self.policy_file
            ).policy
            return check_all(db_session=db_session, policy=policy, now=self.clock())

    async def notify(self, actions: list[SlaAction]) -> None:
        """Each warning and escalation to the console; the queue reloads after an escalation."""
        for action in actions:
            await self.broker.publish(CONSOLE_TOPIC, action.to_event())
        if any(action.kind == SLA_BREACHED for action in actions):
            await self.broker.publish(CONSOLE_TOPIC, {"type": "queue"})

    async def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                await asyncio.wait_for(self.stopping.wait(), timeout=self.interval)
            except TimeoutError:
                pass
            if self.stopping.is_set():
                return
            try:
                actions = await asyncio.to_thread(self.run_once)
                await self.notify(actions)
            except Exception:  # noqa: BLE001 - e.g. the database is down: try again next round
                log.exception("sla watch round failed")
