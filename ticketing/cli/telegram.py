"""`supportbot telegram`: poll Telegram for local use, or point Telegram's webhook at us."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

from telegram.error import InvalidToken, NetworkError, TelegramError

from integrations.telegram.client import (
    TelegramNotConfigured,
    open_bot,
    require_token,
    require_webhook_secret,
)
from integrations.telegram.polling import ALLOWED_UPDATES, build_application, poll
from ticketing.settings import Settings, get_settings

REAL_API = "https://api.telegram.org"
WEBHOOK_PATH = "/telegram/webhook"


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _telegram_error(settings: Settings, error: TelegramError) -> int:
    if isinstance(error, InvalidToken):  # its text contains the token: never print it
        return _fail(
            "Telegram rejected SUPPORTBOT_TELEGRAM_TOKEN: copy the token again from @BotFather."
        )
    if isinstance(error, NetworkError):
        return _fail(
            f"could not reach the Bot API at {settings.telegram_api_url} ({error.message}); "
            "check the network or SUPPORTBOT_TELEGRAM_API_URL."
        )
    return _fail(f"Telegram answered: {error.message}")


async def _poll_until_stopped(settings: Settings) -> None:
    from ticketing.app import create_app  # the whole app: its hub, database and Telegram sender

    app = create_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with app.router.lifespan_context(app):
        await poll(build_application(settings, app.state.hub), stop)


def _poll(_args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        require_token(settings)
        print("polling Telegram; Ctrl-C stops", file=sys.stderr)
        asyncio.run(_poll_until_stopped(settings))
    except TelegramNotConfigured as error:
        return _fail(str(error), 2)
    except TelegramError as error:
        return _telegram_error(settings, error)
    return 0


def webhook_url(settings: Settings, url: str | None) -> str:
    return url or settings.public_url.rstrip("/") + WEBHOOK_PATH


async def _set_webhook(settings: Settings, url: str, drop_pending: bool) -> None:
    async with open_bot(settings) as bot:
        await bot.set_webhook(
            url=url,
            secret_token=require_webhook_secret(settings),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=drop_pending,
        )


def _set(args: argparse.Namespace) -> int:
    settings = get_settings()
    url = webhook_url(settings, args.url)
    if settings.telegram_api_url.rstrip("/") == REAL_API and not url.startswith("https://"):
        return _fail(
            f"Telegram only delivers to https:// addresses, not {url}: set SUPPORTBOT_PUBLIC_URL "
            "to the public https address of this server, or pass --url.",
            2,
        )
    try:
        require_token(settings)
        require_webhook_secret(settings)
        asyncio.run(_set_webhook(settings, url, args.drop_pending_updates))
    except TelegramNotConfigured as error:
        return _fail(str(error), 2)
    except TelegramError as error:
        return _telegram_error(settings, error)
    print(f"Telegram will deliver updates to {url}", file=sys.stderr)
    return 0


async def _delete_webhook(settings: Settings) -> None:
    async with open_bot(settings) as bot:
        await bot.delete_webhook()


def _delete(_args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        require_token(settings)
        asyncio.run(_delete_webhook(settings))
    except TelegramNotConfigured as error:
        return _fail(str(error), 2)
    except TelegramError as error:
        return _telegram_error(settings, error)
    print("webhook removed: use `supportbot telegram poll` to receive updates", file=sys.stderr)
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot telegram poll | set-webhook | delete-webhook`."""
    parser = commands.add_parser(
        "telegram",
        help="the Telegram channel: polling or webhook",
        description=(
            "Connect the shop's Telegram bot. Every command needs SUPPORTBOT_TELEGRAM_TOKEN "
            "(from @BotFather). In production set a webhook; on a laptop, poll."
        ),
    )
    actions = parser.add_subparsers(dest="telegram_command", metavar="ACTION", required=True)
    poll_parser = actions.add_parser(
        "poll",
        help="fetch and answer Telegram messages (local use, no public URL needed)",
        description=(
            "Fetch customer messages from Telegram (getUpdates) and answer them through the "
            "hub, until Ctrl-C. Removes a webhook if one is set. Uses the configured database "
            "(run `supportbot db upgrade` first) and Rasa. Run the backend too "
            "(`supportbot run`) so agents can answer from the console."
        ),
    )
    poll_parser.set_defaults(handler=_poll)
    set_parser = actions.add_parser(
        "set-webhook",
        help="make Telegram post updates to this server",
        description=(
            f"Tell Telegram to post updates to SUPPORTBOT_PUBLIC_URL + {WEBHOOK_PATH} (or "
            "--url), signed with SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET, which the webhook checks."
        ),
    )
    set_parser.add_argument(
        "--url", help=f"the full webhook URL (default: public URL + {WEBHOOK_PATH})"
    )
    set_parser.add_argument(
        "--drop-pending-updates",
        action="store_true",
        help="discard messages Telegram is still holding for the bot",
    )
    set_parser.set_defaults(handler=_set)
    delete_parser = actions.add_parser(
        "delete-webhook",
        help="stop Telegram posting updates (to poll instead)",
        description="Remove the webhook; Telegram keeps updates until the bot polls.",
    )
    delete_parser.set_defaults(handler=_delete)
