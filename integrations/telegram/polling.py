"""Polling mode for local use: PTB's `Application` fetches updates with getUpdates (no public
URL needed) and hands each one to the channel. `supportbot telegram poll` runs it."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import Application, ContextTypes, ExtBot, JobQueue, TypeHandler

from integrations.telegram.client import (
    POLL_SECONDS,
    api_request,
    api_urls,
    hide_token_in_http_logs,
    require_token,
    updates_request,
)
from integrations.telegram.incoming import TelegramChannel
from ticketing.conversations.hub import Hub
from ticketing.settings import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

PollingApp: TypeAlias = Application[
    ExtBot[None],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]


def build_application(settings: Settings, hub: Hub) -> PollingApp:
    """An Application whose every update goes to a `TelegramChannel` on `hub`."""
    base_url, base_file_url = api_urls(settings)
    application = (
        Application.builder()
        .token(require_token(settings))
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(api_request())
        .get_updates_request(updates_request())
        .build()
    )
    channel = TelegramChannel(hub=hub, bot=application.bot)

    async def on_update(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await channel.handle(update)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram update %s failed", update_id, exc_info=context.error)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    hide_token_in_http_logs()
    return application


async def poll(
    application: PollingApp, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS
) -> None:
    """Fetch and handle updates until `stop` is set. Removes a webhook first (Telegram sends
    updates either way, not both); updates received meanwhile are kept."""
    async with application:
        assert application.updater is not None  # noqa: S101 - the builder made one
        await application.updater.start_polling(
            timeout=timedelta(seconds=poll_seconds),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        await application.start()
        log.info("polling Telegram for updates")
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await application.stop()
