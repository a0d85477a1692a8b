"""Telegram updates into hub messages, and the hub's replies back to the chat.

Private chats only. A text is passed on as it is (a `/command` without its slash, `/start` as a
greeting); photos and documents become attachments (Telegram keeps the file, we keep its id);
a button press becomes the button's payload. The update id makes a retried update a no-op.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from integrations.telegram import callback_data, outgoing
from integrations.telegram.client import CHANNEL
from ticketing.conversations import store
from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.schemas import ConversationView, MessageView
from ticketing.errors import DomainError, NotFoundError

log = logging.getLogger(__name__)

GREETING = "Hello! This is the shop's customer service. Write your question here any time."
UNSUPPORTED = "Sorry, I can only read text, photos and documents. Please write your question."
EXPIRED_BUTTON = "This button has expired. Please type your answer instead."
START_TEXT = "hi"


def command_text(text: str) -> str | None:
    """`/help@ShopBot more` -> `help more`; None when `text` is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    command, _, rest = text[1:].partition(" ")
    command = command.split("@", 1)[0]
    return f"{command} {rest.strip()}".strip()


def attachments_of(message: Message) -> list[dict[str, Any]]:
    """The photo (largest size) or document of a message, by Telegram file id."""
    if message.photo:
        photo = message.photo[-1]
        return [
            {
                "kind": "photo",
                "file_id": photo.file_id,
                "file_unique_id": photo.file_unique_id,
                "file_name": None,
                "mime_type": "image/jpeg",
                "size": photo.file_size,
                "width": photo.width,
                "height": photo.height,
            }
        ]
    if message.document:
        document = message.document
        return [
            {
                "kind": "document",
                "file_id": document.file_id,
                "file_unique_id": document.file_unique_id,
                "file_name": document.file_name,
                "mime_type": document.mime_type,
                "size": document.file_size,
            }
        ]
    return []


class TelegramChannel:
    """Handles updates for one bot and delivers the hub's messages to Telegram chats."""

    def __init__(self, *, hub: Hub, bot: Bot) -> None:
        self.hub = hub
        self.bot = bot

    async def handle(self, update: Update) -> None:
        """Process one update; hub errors propagate so the webhook answers 500 and Telegram
        retries (the retry is then recognised by its update id)."""
        if update.callback_query is not None:
            await self._button_pressed(update.update_id, update.callback_query)
        elif update.message is not None:
            await self._message(update.update_id, update.message)
        else:
            log.debug("ignored Telegram update %s of another kind", update.update_id)

    async def send(self, conversation: ConversationView, messages: list[MessageView]) -> None:
        """The hub's sender for messages no customer request waits for (agent replies, CSAT)."""
        await outgoing.deliver(self.bot, int(conversation.external_id), messages)

    async def _message(self, update_id: int, message: Message) -> None:
        if message.chat.type != ChatType.PRIVATE:
            log.info("ignored a message from a %s Telegram chat", message.chat.type)
            return
        chat_id = message.chat.id
        attachments = attachments_of(message)
        text = message.text or message.caption
        if not text and not attachments:
            await outgoing.deliver_text(self.bot, chat_id, UNSUPPORTED)
            return
        command = command_text(message.text) if message.text else None
        started = command is not None and command.split(" ", 1)[0] == "start"
        if command is not None:
            text = START_TEXT if started else command
        await self._show_typing(chat_id)
        replies = await self._to_hub(
            chat_id,
            Inbound(
                channel=CHANNEL,
                external_id=str(chat_id),
                text=text,
                client_message_id=str(update_id),
                attachments=attachments,
            ),
        )
        if replies is None:
            return
        if started and not replies:  # a person has the conversation: greet on their behalf
            await outgoing.deliver_text(self.bot, chat_id, GREETING)
        await outgoing.deliver(self.bot, chat_id, replies)

    async def _button_pressed(self, update_id: int, query: CallbackQuery) -> None:
        message = query.message
        if message is None or not query.data:
            await self._answer(query)
            return
        chat_id = message.chat.id
        payload = await self._payload_of(chat_id, query.data)
        await self._answer(query, None if payload else EXPIRED_BUTTON)
        if payload is None or message.chat.type != ChatType.PRIVATE:
            return
        await self._remove_buttons(chat_id, message.message_id)
        replies = await self._to_hub(
            chat_id,
            Inbound(
                channel=CHANNEL,
                external_id=str(chat_id),
                text=None,
                payload=payload,
                client_message_id=str(update_id),
            ),
        )
        if replies:
            await outgoing.deliver(self.bot, chat_id, replies)

    async def _to_hub(self, chat_id: int, inbound: Inbound) -> list[MessageView] | None:
        """The replies to send; None for a retried update or a message the hub refused (the
        customer is told why)."""
        try:
            delivery = await self.hub.receive(inbound)
        except DomainError as error:  # e.g. too long: its message is meant for the customer
            await outgoing.deliver_text(self.bot, chat_id, error.msg)
            return None
        if delivery.duplicate:
            log.info("Telegram update %s was already handled", inbound.client_message_id)
            return None
        return delivery.replies

    async def _payload_of(self, chat_id: int, data: str) -> str | None:
        if not callback_data.is_hashed(data):
            return data
        conversation_id = store.conversation_id_for(CHANNEL, str(chat_id))
        try:
            history = await run_in_threadpool(self.hub.history, conversation_id)
        except NotFoundError:
            return None
        return callback_data.decode(data, reversed(history))

    async def _answer(self, query: CallbackQuery, text: str | None = None) -> None:
        try:
            await self.bot.answer_callback_query(query.id, text=text)
        except TelegramError as error:
            log.warning("could not answer a Telegram button press: %s", error)

    async def _remove_buttons(self, chat_id: int, message_id: int) -> None:
        """A keyboard answers once: pressing a rating twice must not count twice."""
        try:
            await self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            )
        except TelegramError as error:
            log.info("could not remove the buttons of a Telegram message: %s", error)

    async def _show_typing(self, chat_id: int) -> None:
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except TelegramError as error:
            log.info("could not show typing in Telegram chat %s: %s", chat_id, error)
