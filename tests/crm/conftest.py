"""Fixtures for the CRM outbox: a fake CRM on loopback, dispatchers pointed at it, and the app
delivering to it by itself (with a fake Rasa and an online agent for the hub's events)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from integrations.crm.dispatcher import Dispatcher
from integrations.crm.sender import WebhookSender
from tests.conftest import Clock
from tests.crm.fake_crm import FakeCrm, running_fake_crm
from tests.factories import make_online_agent
from tests.fake_rasa import running_fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings
from ticketing.staff.models import StaffUser

MakeDispatcher = Callable[..., Dispatcher]


@pytest.fixture
def crm(clock: Clock) -> Iterator[FakeCrm]:
    """A fake CRM that checks timestamps against the test clock."""
    with running_fake_crm(clock=clock) as fake:
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


@pytest.fixture
def app_client(
    database: Database, settings: Settings, clock: Clock, crm: FakeCrm
) -> Iterator[TestClient]:
    """The app with a fake Rasa and the CRM webhook configured (background delivery)."""
    with running_fake_rasa() as rasa:
        crm_settings = settings.model_copy(
            update={
                "rasa_url": rasa.url,
                "crm_webhook_url": crm.url,
                "crm_webhook_secret": SecretStr(crm.secret),
                "crm_timeout_seconds": 2.0,
                "crm_poll_seconds": 0.05,
            }
        )
        with TestClient(create_app(crm_settings, database=database, clock=clock)) as client:
            yield client


@pytest.fixture
def agent(database: Database) -> StaffUser:
    """Grace, an agent online with room for two conversations."""
    with database.session() as s:
        return make_online_agent(s, "grace", capacity=2)
