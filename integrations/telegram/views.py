"""`POST /telegram/webhook`: Telegram delivers updates here, signed with the webhook secret.

When `SUPPORTBOT_TELEGRAM_TOKEN` is set, the app's start-up creates the channel and registers
it with the hub, so agent replies and the rating question reach Telegram chats too; with
`SUPPORTBOT_TELEGRAM_POLLING=true` (local use, no public URL) the app polls for updates itself.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from telegram import Update

from integrations.telegram.client import (
    CHANNEL,
    TelegramNotConfigured,
    open_bot,
    require_webhook_secret,
)
from integrations.telegram.incoming import TelegramChannel
from integrations.telegram.polling import build_application, poll
from ticketing.errors import error_responses
from ticketing.settings import Settings

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


@asynccontextmanager
async def telegram_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the channel with the app when a bot token is configured."""
    settings: Settings = app.state.settings
    app.state.telegram = None
    if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
        yield
        return
    async with open_bot(settings) as bot:
        channel = TelegramChannel(hub=app.state.hub, bot=bot)
        app.state.hub.register_sender(CHANNEL, channel.send)
        app.state.telegram = channel
        stop = asyncio.Event()
        poller = (
            asyncio.create_task(poll(build_application(settings, app.state.hub), stop))
            if settings.telegram_polling
            else None
        )
        try:
            yield
        finally:
            app.state.telegram = None
            stop.set()
            if poller is not None:
                await _finish(poller)


async def _finish(poller: asyncio.Task[None]) -> None:
    """Wait for the poller to stop; its failure is logged, never raised at shutdown."""
    try:
        await poller
    except Exception:
        log.exception("Telegram polling stopped with an error")


router = APIRouter(tags=["telegram"], lifespan=telegram_lifespan)


def _refuse(status_code: int, msg: str, code: str) -> JSONResponse:
    return JSONResponse({"detail": [{"msg": msg, "code": code}]}, status_code=status_code)


def _check_secret(settings: Settings, given: str | None) -> JSONResponse | None:
    try:
        expected = require_webhook_secret(settings)
    except TelegramNotConfigured as error:
        return _refuse(503, str(error), "telegram_webhook_secret_missing")
    if not given:
        return _refuse(401, f"The {SECRET_HEADER} header is missing.", "telegram_secret_missing")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return _refuse(403, f"The {SECRET_HEADER} header is wrong.", "telegram_secret_wrong")
    return None


@router.post(
    "/telegram/webhook",
    responses=error_responses(
        400,
        401,
        403,
        404,
        413,
        503,
        descriptions={
            400: "The body is not a Telegram update",
            401: f"The {SECRET_HEADER} header is missing",
            403: f"The {SECRET_HEADER} header is wrong",
            404: "Telegram is not configured on this server",
            503: "The webhook secret is not configured",
        },
    ),
)
async def telegram_webhook(
    request: Request,
    secret: Annotated[str | None, Header(alias=SECRET_HEADER)] = None,
) -> Any:
    """Telegram's webhook (set it with `supportbot telegram set-webhook`). Answers 200 once the
    update is handled, so a failure makes Telegram retry; a retried update is a no-op."""
    channel: TelegramChannel | None = getattr(request.app.state, "telegram", None)
    if channel is None:
        return _refuse(
            404,
            "Telegram is not configured on this server: set SUPPORTBOT_TELEGRAM_TOKEN.",
            "telegram_not_configured",
        )
    refused = _check_secret(request.app.state.settings, secret)
    if refused is not None:
        return refused
    body = await request.body()
    if len(body) > MAX_UPDATE_BYTES:
        return _refuse(413, "A Telegram update is never this large.", "too_large")
    try:
        data = json.loads(body)
        update = Update.de_json(data, channel.bot) if isinstance(data, dict) else None
    except (ValueError, TypeError, KeyError):
        update = None
    if update is None:
        return _refuse(400, "The body is not a Telegram update (JSON).", "bad_update")
    await channel.handle(update)
    return {"ok": True}
