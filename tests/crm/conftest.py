"""Fixtures for the CRM outbox: a fake CRM on loopback and dispatchers pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from integrations.crm.dispatcher import Dispatcher
from integrations.crm.sender import WebhookSender
from tests.conftest import Clock
from tests.crm.fake_crm import FakeCrm, running_fake_crm
from ticketing.db import Database

MakeDispatcher = Callable[..., Dispatcher]


@pytest.fixture
def crm() -> Iterator[FakeCrm]:
    with running_fake_crm() as fake:
        yield fake


@pytest.fixture
def make_dispatcher(database: Database, crm: FakeCrm, clock: Clock) -> Iterator[MakeDispatcher]:
    """Dispatchers for the fake CRM: 1 s timeout, 3 attempts, the test clock, no jitter."""
    made: list[Dispatcher] = []

    def make(
        *,
        url: str | None = None,
        max_attempts: int = 3,
        timeout: float = 1.0,
        now: Callable[[], datetime] = clock,
    ) -> Dispatcher:
        sender = WebhookSender(url or crm.url, crm.secret, timeout_seconds=timeout)
        dispatcher = Dispatcher(
            database,
            sender,
            max_attempts=max_attempts,
            lease=timedelta(seconds=2 * timeout + 60),
            clock=now,
            jitter=lambda: 0.5,
        )
        made.append(dispatcher)
        return dispatcher

    yield make
    for dispatcher in made:
        dispatcher.close()
