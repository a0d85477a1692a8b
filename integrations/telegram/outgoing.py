"""The hub's messages as Bot API calls: text (split at Telegram's limit), photos, and buttons
as an inline keyboard. A failed call is logged; the message is already stored by the hub."""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from integrations.telegram import callback_data
from ticketing.conversations.schemas import MessageView

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTON_TITLE = 64
CHOOSE = "Please choose:"
RETRY_AFTER_LIMIT_SECONDS = 5.0


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call: a text message, or a photo (by URL) with an optional caption."""

    text: str | None
    photo: str | None = None
    keyboard: InlineKeyboardMarkup | None = None


def keyboard_for(message: MessageView) -> InlineKeyboardMarkup | None:
    """Buttons one per row; the rating scale on one row."""
    if not message.buttons:
        return None
    buttons = [
        InlineKeyboardButton(
            b.title[:MAX_BUTTON_TITLE] or b.payload[:MAX_BUTTON_TITLE],
            callback_data=callback_data.encode(b.payload),
        )
        for b in message.buttons
    ]
    if (message.custom or {}).get("type") == "csat":
        return InlineKeyboardMarkup([buttons])
    return InlineKeyboardMarkup([[b] for b in buttons])


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a line break or space if any."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _text_of(message: MessageView) -> str | None:
    if message.text and message.sender == "agent" and message.sender_name:
        return f"{message.sender_name}: {message.text}"
    return message.text


def to_telegram(message: MessageView) -> list[Outgoing]:
    """The calls that show `message` in a chat; the keyboard goes on the last one."""
    text = _text_of(message)
    keyboard = keyboard_for(message)
    calls: list[Outgoing] = []
    if message.image:
        caption = text if text and len(text) <= MAX_CAPTION else None
        calls.append(Outgoing(text=caption, photo=message.image))
        text = None if caption else text
    if text:
        calls.extend(Outgoing(text=piece) for piece in split_text(text))
    elif keyboard is not None and not calls:
        calls.append(Outgoing(text=CHOOSE))
    if keyboard is not None and calls:
        calls[-1] = Outgoing(text=calls[-1].text, photo=calls[-1].photo, keyboard=keyboard)
    return calls


async def _call(bot: Bot, chat_id: int, outgoing: Outgoing) -> None:
    if outgoing.photo:
        await bot.send_photo(
            chat_id=chat_id,
            photo=outgoing.photo,
            caption=outgoing.text,
            reply_markup=outgoing.keyboard,
        )
    else:
        await bot.send_message(
            chat_id=chat_id, text=outgoing.text or CHOOSE, reply_markup=outgoing.keyboard
        )


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asks to wait (read without PTB's int-to-timedelta migration warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def send(bot: Bot, chat_id: int, outgoing: Outgoing) -> bool:
    """One call, retried once when Telegram asks to wait a little; False when it failed."""
    for attempt in (1, 2):
        try:
            await _call(bot, chat_id, outgoing)
            return True
        except RetryAfter as error:
            seconds = retry_seconds(error)
            if attempt == 2 or seconds > RETRY_AFTER_LIMIT_SECONDS:
                log.warning("Telegram rate-limited chat %s for %s s", chat_id, seconds)
                return False
            await asyncio.sleep(seconds)
        except Forbidden:
            log.warning("Telegram chat %s blocked the bot; the message stays stored", chat_id)
            return False
        except TelegramError as error:
            log.warning("could not send to Telegram chat %s: %s", chat_id, error)
            return False
    return False


async def deliver(bot: Bot, chat_id: int, messages: list[MessageView]) -> int:
    """Send the hub's messages in order; how many Bot API calls succeeded."""
    sent = 0
    for message in messages:
        for outgoing in to_telegram(message):
            if await send(bot, chat_id, outgoing):
                sent += 1
    return sent


async def deliver_text(bot: Bot, chat_id: int, text: str) -> bool:
    """A message of the channel itself (a greeting, why a message was refused)."""
    return await send(bot, chat_id, Outgoing(text=text))
