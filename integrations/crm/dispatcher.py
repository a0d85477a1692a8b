"""Delivering due outbox events: claim one (a short transaction with a lease), send it outside
any transaction, record the outcome. 2xx is delivered; anything else backs off exponentially
with jitter until `max_attempts`, then the event is dead (kept, visible, retryable)."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select

from integrations.crm.models import CrmEvent
from integrations.crm.sender import Delivery
from ticketing.db import Database, utcnow

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 3600.0


class Sender(Protocol):
    def send(self, event: CrmEvent, *, now: datetime) -> Delivery: ...

    def close(self) -> None: ...


def backoff_seconds(attempts: int, jitter: float) -> float:
    """30 s * 2^(attempts - 1), times 0.8-1.2 by `jitter` (0-1), capped at one hour."""
    delay = BACKOFF_BASE_SECONDS * 2.0 ** min(max(attempts - 1, 0), 20)
    return min(BACKOFF_CAP_SECONDS, delay * (0.8 + 0.4 * jitter))


@dataclass
class DispatchSummary:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    unreachable: bool = False  # the round stopped early: the CRM did not answer

    def add(self, state: str) -> None:
        if state == "delivered":
            self.delivered += 1
        elif state == "dead":
            self.dead += 1
        else:
            self.retrying += 1

    def describe(self) -> str:
        text = f"{self.delivered} delivered, {self.retrying} to retry, {self.dead} dead"
        return text + (" (stopped: the CRM is unreachable)" if self.unreachable else "")


@dataclass(frozen=True)
class Outcome:
    """One attempt as reported to a progress callback."""

    event_id: uuid.UUID
    kind: str
    attempts: int
    state: str  # delivered | retrying | dead
    error: str | None
    next_attempt_at: datetime | None


class Dispatcher:
    """Sends due events; several dispatchers (processes or threads) never send one event at
    the same time: a claim takes the row with FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite
    serialises writers) and leases it, so a crashed sender's event is retried after `lease`."""

    def __init__(
        self,
        database: Database,
        sender: Sender,
        *,
        max_attempts: int,
        lease: timedelta,
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.database = database
        self.sender = sender
        self.max_attempts = max_attempts
        self.lease = lease
        self.clock = clock
        self.jitter = jitter

    def claim_next(self) -> CrmEvent | None:
        """The oldest due event, leased to this dispatcher, its attempt counted."""
        now = self.clock()
        with self.database.session(write=True) as db_session:
            event = db_session.scalar(
                select(CrmEvent)
                .where(CrmEvent.next_attempt_at <= now)
                .order_by(CrmEvent.next_attempt_at, CrmEvent.created_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if event is None:
                return None
            event.attempts += 1
            event.next_attempt_at = now + self.lease
            return event

    def record(self, event_id: uuid.UUID, delivery: Delivery) -> Outcome:
        """Store what came of the attempt: delivered, retry later, or dead."""
        now = self.clock()
        with self.database.session(write=True) as db_session:
            event = db_session.get(CrmEvent, event_id, with_for_update=True)
            if event is None:
                raise LookupError(f"crm event {event_id} vanished from the outbox")
            if delivery.ok:
                event.delivered_at = event.delivered_at or now
                event.next_attempt_at = None
                event.last_error = None
                state = "delivered"
            elif event.delivered_at is not None:
                state = "delivered"  # a late duplicate attempt failed; it was delivered before
            elif event.attempts >= self.max_attempts:
                event.last_error = delivery.error
                event.next_attempt_at = None
                event.dead_at = now
                state = "dead"
            else:
                event.last_error = delivery.error
                delay = backoff_seconds(event.attempts, self.jitter())
                event.next_attempt_at = now + timedelta(seconds=delay)
                state = "retrying"
            return Outcome(
                event.id, event.kind, event.attempts, state, delivery.error, event.next_attempt_at
            )

    def dispatch_due(
        self,
        *,
        limit: int | None = None,
        on_result: Callable[[Outcome], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> DispatchSummary:
        """Send every event due now (at most `limit`); stops early when the CRM is unreachable
        (the rest keep their turn instead of each spending an attempt)."""
        summary = DispatchSummary()
        sent = 0
        while (limit is None or sent < limit) and not should_stop():
            event = self.claim_next()
            if event is None:
                break
            sent += 1
            delivery = self.sender.send(event, now=self.clock())
            outcome = self.record(event.id, delivery)
            _log(outcome)
            summary.add(outcome.state)
            if on_result is not None:
                on_result(outcome)
            if not delivery.reachable:
                summary.unreachable = True
                break
        return summary

    def close(self) -> None:
        self.sender.close()


def _log(outcome: Outcome) -> None:
    if outcome.state == "delivered":
        log.info("crm event %s (%s) delivered", outcome.event_id, outcome.kind)
    elif outcome.state == "dead":
        log.error(
            "crm event %s (%s) given up after %d attempts: %s",
            outcome.event_id,
            outcome.kind,
            outcome.attempts,
            outcome.error,
        )
    else:
        log.warning(
            "crm event %s (%s) attempt %d failed: %s; next at %s",
            outcome.event_id,
            outcome.kind,
            outcome.attempts,
            outcome.error,
            outcome.next_attempt_at,
        )
