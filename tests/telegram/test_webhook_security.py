"""The webhook only takes updates signed with the secret, and says so when it is off."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.contract import assert_documented
from tests.telegram import updates
from tests.telegram.conftest import telegram_settings
from tests.telegram.helpers import post_update
from ticketing.app import create_app


def codes(response) -> list[str]:
    return [d["code"] for d in response.json()["detail"]]


def test_an_update_without_the_secret_header_is_refused(tg_client, rasa, bot_api):
    response = tg_client.post("/telegram/webhook", json=updates.text(1, "hello"))
    assert response.status_code == 401
    assert codes(response) == ["telegram_secret_missing"]
    assert "X-Telegram-Bot-Api-Secret-Token" in response.json()["detail"][0]["msg"]
    assert rasa.messages() == [] and bot_api.calls == []


def test_an_update_with_a_wrong_secret_is_refused(tg_client, rasa):
    response = post_update(tg_client, updates.text(1, "hello"), secret="guess")
    assert response.status_code == 403
    assert codes(response) == ["telegram_secret_wrong"]
    assert rasa.messages() == []


def test_a_body_that_is_not_an_update_is_refused(tg_client):
    for body in (b"not json", b"[1, 2]", b'{"message": {}}'):
        response = tg_client.post(
            "/telegram/webhook",
            content=body,
            headers={
                "X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123456789",
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 400, body
        assert codes(response) == ["bad_update"]


def test_without_a_token_the_webhook_is_not_there(database, settings, clock):
    with TestClient(create_app(settings, database=database, clock=clock)) as client:
        response = post_update(client, updates.text(1, "hello"))
    assert response.status_code == 404
    assert codes(response) == ["telegram_not_configured"]
    assert "SUPPORTBOT_TELEGRAM_TOKEN" in response.json()["detail"][0]["msg"]


def test_without_a_webhook_secret_the_webhook_refuses_everything(
    database, settings, clock, bot_api
):
    unsigned = telegram_settings(settings, bot_api, telegram_webhook_secret=None)
    with TestClient(create_app(unsigned, database=database, clock=clock)) as client:
        response = post_update(client, updates.text(1, "hello"))
    assert response.status_code == 503
    assert "SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET" in response.json()["detail"][0]["msg"]


def test_an_empty_token_counts_as_not_configured(database, settings, clock, bot_api):
    empty = telegram_settings(settings, bot_api, telegram_token=SecretStr(""))
    with TestClient(create_app(empty, database=database, clock=clock)) as client:
        assert post_update(client, updates.text(1, "hello")).status_code == 404


def test_refusals_are_declared_in_the_schema(tg_client):
    refusals = [
        tg_client.post("/telegram/webhook", json=updates.text(1, "hello")),
        post_update(tg_client, updates.text(1, "hello"), secret="guess"),
        tg_client.post(
            "/telegram/webhook",
            content=b"[1, 2]",
            headers={
                "X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123456789",
                "Content-Type": "application/json",
            },
        ),
    ]
    assert [r.status_code for r in refusals] == [401, 403, 400]
    for response in refusals:
        assert_documented(tg_client, response)
