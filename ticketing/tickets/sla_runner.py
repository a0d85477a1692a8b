"""Running the SLA watch beside the web app every `sla_check_seconds`, and telling the agent
console what it did."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from ticketing.conversations.broker import CONSOLE_TOPIC, Broker
from ticketing.db import Database
from ticketing.periodic import Periodic
from ticketing.policy import service as policy_service
from ticketing.settings import Settings
from ticketing.tickets.sla_watch import SLA_BREACHED, SlaAction, check_all

log = logging.getLogger(__name__)


class SlaRunner(Periodic):
    """Checks the running tickets every `sla_check_seconds` (never when it is 0)."""

    name = "sla-watch"

    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Callable[[], datetime],
        broker: Broker,
    ) -> None:
        super().__init__(settings.sla_check_seconds)
        self.database = database
        self.clock = clock
        self.broker = broker
        self.policy_file = settings.policy_file

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

    async def round(self) -> None:
        actions = await asyncio.to_thread(self.run_once)
        await self.notify(actions)
