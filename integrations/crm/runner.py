"""Building the dispatcher from settings, and running it beside the web app."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from integrations.crm import at_risk
from integrations.crm.dispatcher import Dispatcher
from integrations.crm.sender import WebhookSender
from ticketing.db import Database, utcnow
from ticketing.settings import Settings

log = logging.getLogger(__name__)


def make_dispatcher(
    settings: Settings, database: Database, clock: Callable[[], datetime] = utcnow
) -> Dispatcher | None:
    """The dispatcher for the configured webhook; None without `SUPPORTBOT_CRM_WEBHOOK_URL`."""
    if not settings.crm_webhook_url:
        return None
    secret = settings.crm_webhook_secret
    if secret is None or not secret.get_secret_value():
        raise ValueError("SUPPORTBOT_CRM_WEBHOOK_SECRET must be set with a CRM webhook URL")
    sender = WebhookSender(
        settings.crm_webhook_url,
        secret.get_secret_value(),
        timeout_seconds=settings.crm_timeout_seconds,
    )
    return Dispatcher(
        database,
        sender,
        max_attempts=settings.crm_max_attempts,
        lease=timedelta(seconds=2 * settings.crm_timeout_seconds + 60),
        clock=clock,
    )


class BackgroundDispatch:
    """Delivers due events every `crm_poll_seconds` while the app runs (no-op unconfigured)."""

    def __init__(
        self, settings: Settings, database: Database, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.dispatcher = make_dispatcher(settings, database, clock)
        self.poll_seconds = settings.crm_poll_seconds
        self.grace_seconds = settings.crm_timeout_seconds + 5
        self.stopping = threading.Event()
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.database, self.policy_file, self.clock = database, settings.policy_file, clock
        self.next_sweep = 0.0  # monotonic time of the next at-risk sweep

    def start(self) -> None:
        if self.dispatcher is not None:
            self.task = asyncio.create_task(self._run(self.dispatcher), name="crm-dispatch")

    async def stop(self) -> None:
        """Finish the event being sent (at most one timeout), then stop."""
        self.stopping.set()
        self.wake.set()
        if self.task is not None:
            try:
                await asyncio.wait_for(self.task, timeout=self.grace_seconds)
            except TimeoutError:
                log.warning("crm dispatcher did not stop in time")
        if self.dispatcher is not None:
            self.dispatcher.close()

    async def _sweep_at_risk(self) -> None:
        """Queue the customers newly at risk this month, every `at_risk.SWEEP_SECONDS`."""
        if time.monotonic() < self.next_sweep:
            return
        self.next_sweep = time.monotonic() + at_risk.SWEEP_SECONDS
        try:
            await asyncio.to_thread(at_risk.sweep, self.database, self.policy_file, self.clock())
        except Exception:  # noqa: BLE001 - e.g. the database is down: the next sweep tries
            log.exception("crm at-risk sweep failed")

    async def _run(self, dispatcher: Dispatcher) -> None:
        while not self.stopping.is_set():
            await self._sweep_at_risk()
            try:
                await asyncio.to_thread(dispatcher.dispatch_due, should_stop=self.stopping.is_set)
            except Exception:  # noqa: BLE001 - e.g. the database is down: try again next round
                log.exception("crm dispatch round failed")
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass
