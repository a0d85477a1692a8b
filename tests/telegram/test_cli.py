"""`supportbot telegram`: help, clear errors without settings, and setting the webhook."""

from __future__ import annotations

import argparse

import pytest

from tests.telegram.conftest import WEBHOOK_SECRET
from tests.telegram.fake_bot_api import TOKEN
from ticketing.cli import telegram
from ticketing.settings import get_settings


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="supportbot")
    telegram.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["telegram", *argv])
    code: int = args.handler(args)
    return code


@pytest.fixture
def env(monkeypatch):
    """Settings from a clean environment (the cache is cleared before and after)."""
    for name in ("TOKEN", "WEBHOOK_SECRET", "API_URL"):
        monkeypatch.delenv(f"SUPPORTBOT_TELEGRAM_{name}", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize("action", ["poll", "set-webhook", "delete-webhook"])
def test_every_action_explains_itself(action, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(action, "--help")
    assert exit_.value.code == 0
    assert "Telegram" in capsys.readouterr().out


@pytest.mark.parametrize("action", ["poll", "set-webhook", "delete-webhook"])
def test_without_a_token_it_says_what_to_set(action, env, capsys):
    env.setenv("SUPPORTBOT_PUBLIC_URL", "https://shop.example")
    assert run(action) == 2
    assert "set SUPPORTBOT_TELEGRAM_TOKEN" in capsys.readouterr().err


def test_set_webhook_registers_the_url_and_the_secret(env, bot_api, capsys):
    env.setenv("SUPPORTBOT_TELEGRAM_TOKEN", TOKEN)
    env.setenv("SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    env.setenv("SUPPORTBOT_TELEGRAM_API_URL", bot_api.url)
    env.setenv("SUPPORTBOT_PUBLIC_URL", "https://shop.example/")
    assert run("set-webhook") == 0
    [call] = bot_api.of("setWebhook")
    assert call.params["url"] == "https://shop.example/telegram/webhook"
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert call.json("allowed_updates") == ["message", "callback_query"]
    assert "https://shop.example/telegram/webhook" in capsys.readouterr().err


def test_set_webhook_needs_the_secret(env, bot_api, capsys):
    env.setenv("SUPPORTBOT_TELEGRAM_TOKEN", TOKEN)
    env.setenv("SUPPORTBOT_TELEGRAM_API_URL", bot_api.url)
    assert run("set-webhook", "--url", "https://shop.example/telegram/webhook") == 2
    assert "SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err
    assert bot_api.of("setWebhook") == []


def test_set_webhook_refuses_plain_http_for_the_real_telegram(env, capsys):
    env.setenv("SUPPORTBOT_TELEGRAM_TOKEN", TOKEN)
    env.setenv("SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    env.setenv("SUPPORTBOT_PUBLIC_URL", "http://127.0.0.1:8000")
    assert run("set-webhook") == 2
    assert "https://" in capsys.readouterr().err


def test_a_rejected_token_is_reported_without_printing_it(env, bot_api, capsys):
    env.setenv("SUPPORTBOT_TELEGRAM_TOKEN", "999:wrong-token")
    env.setenv("SUPPORTBOT_TELEGRAM_API_URL", bot_api.url)
    assert run("delete-webhook") == 1
    err = capsys.readouterr().err
    assert "rejected SUPPORTBOT_TELEGRAM_TOKEN" in err and "wrong-token" not in err


def test_delete_webhook(env, bot_api):
    env.setenv("SUPPORTBOT_TELEGRAM_TOKEN", TOKEN)
    env.setenv("SUPPORTBOT_TELEGRAM_API_URL", bot_api.url)
    assert run("delete-webhook") == 0
    assert len(bot_api.of("deleteWebhook")) == 1
