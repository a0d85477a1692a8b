"""The python-telegram-bot `Bot`, pointed at `settings.telegram_api_url` and with timeouts."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.request import HTTPXRequest

from ticketing.settings import Settings

CONNECT_SECONDS = 5.0
READ_SECONDS = 15.0
WRITE_SECONDS = 15.0
POOL_SECONDS = 5.0
POLL_SECONDS = 10  # long-polling wait of getUpdates; its read timeout is longer
CHANNEL = "telegram"
_TOKEN_IN_URL = re.compile(r"/bot\d+:[\w-]+")  # Bot API URLs: .../bot<id>:<secret>/<method>


class TelegramNotConfigured(Exception):
    """A setting the Telegram channel needs is missing; the message says which one to set."""


def require_token(settings: Settings) -> str:
    if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
        raise TelegramNotConfigured(
            "Telegram is not configured: set SUPPORTBOT_TELEGRAM_TOKEN to the token "
            "@BotFather gave you."
        )
    return settings.telegram_token.get_secret_value()


def require_webhook_secret(settings: Settings) -> str:
    secret = settings.telegram_webhook_secret
    if secret is None or not secret.get_secret_value():
        raise TelegramNotConfigured(
            "The Telegram webhook needs a secret: set SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET "
            "(1-256 characters: letters, digits, _ and -)."
        )
    return secret.get_secret_value()


def api_urls(settings: Settings) -> tuple[str, str]:
    """(base_url, base_file_url) for PTB; the bot token is appended to each."""
    root = settings.telegram_api_url.rstrip("/")
    return f"{root}/bot", f"{root}/file/bot"


def api_request() -> HTTPXRequest:
    """The HTTP client of every Bot API call except getUpdates."""
    return HTTPXRequest(
        connect_timeout=CONNECT_SECONDS,
        read_timeout=READ_SECONDS,
        write_timeout=WRITE_SECONDS,
        pool_timeout=POOL_SECONDS,
    )


def updates_request() -> HTTPXRequest:
    """The HTTP client of getUpdates: it waits up to POLL_SECONDS for Telegram to answer."""
    return HTTPXRequest(
        connection_pool_size=1,
        connect_timeout=CONNECT_SECONDS,
        read_timeout=POLL_SECONDS + READ_SECONDS,
        write_timeout=WRITE_SECONDS,
        pool_timeout=POOL_SECONDS,
    )


@asynccontextmanager
async def open_bot(settings: Settings) -> AsyncIterator[Bot]:
    """A `Bot` for sending; its HTTP clients are closed on exit. No call is made on entry."""
    base_url, base_file_url = api_urls(settings)
    request, updates = api_request(), updates_request()
    bot = Bot(
        require_token(settings),
        base_url=base_url,
        base_file_url=base_file_url,
        request=request,
        get_updates_request=updates,
    )
    hide_token_in_http_logs()
    try:
        yield bot
    finally:
        await request.shutdown()
        await updates.shutdown()


class BotTokenFilter(logging.Filter):
    """httpx logs every request URL, and Bot API URLs contain the token: mask it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN_IN_URL.search(message):
            record.msg = _TOKEN_IN_URL.sub("/bot***", message)
            record.args = None
        return True


def hide_token_in_http_logs() -> None:
    http_logger = logging.getLogger("httpx")
    if not any(isinstance(f, BotTokenFilter) for f in http_logger.filters):
        http_logger.addFilter(BotTokenFilter())
