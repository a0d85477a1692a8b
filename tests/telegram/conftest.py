"""The app with the Telegram channel on, talking to a fake Bot API and a fake Rasa on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.conftest import Clock
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi, fake_bot_api
from tests.telegram.fake_rasa import FakeRasa, fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

WEBHOOK_SECRET = "test-webhook-secret_0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture(scope="session")
def bot_api_server() -> Iterator[FakeBotApi]:
    with fake_bot_api() as api:
        yield api


@pytest.fixture
def bot_api(bot_api_server: FakeBotApi) -> FakeBotApi:
    """The fake Bot API with no calls, updates or failures recorded yet."""
    bot_api_server.reset()
    return bot_api_server


@pytest.fixture(scope="session")
def rasa_server() -> Iterator[FakeRasa]:
    with fake_rasa() as rasa:
        yield rasa


@pytest.fixture
def rasa(rasa_server: FakeRasa) -> FakeRasa:
    with rasa_server.lock:
        rasa_server.received.clear()
    return rasa_server


def telegram_settings(settings: Settings, bot_api: FakeBotApi, **changes: Any) -> Settings:
    update: dict[str, Any] = {
        "telegram_token": SecretStr(TOKEN),
        "telegram_webhook_secret": SecretStr(WEBHOOK_SECRET),
        "telegram_api_url": bot_api.url,
        **changes,
    }
    return settings.model_copy(update=update)


@pytest.fixture
def tg_settings(settings: Settings, bot_api: FakeBotApi, rasa: FakeRasa) -> Settings:
    return telegram_settings(settings, bot_api, rasa_url=rasa.url)


@pytest.fixture
def tg_client(database: Database, tg_settings: Settings, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(tg_settings, database=database, clock=clock)) as client:
        yield client
