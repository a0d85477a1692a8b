"""Polling mode: updates fetched with getUpdates go through the same channel as the webhook."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from integrations.telegram.polling import build_application, poll
from tests.telegram import updates
from tests.telegram.fake_rasa import GREETING
from tests.telegram.updates import CHAT_ID
from ticketing.app import create_app


async def until(
    condition: Callable[[], object], why: Callable[[], str], seconds: float = 20
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out: {why()}"
        await asyncio.sleep(0.02)


def test_polled_updates_reach_the_hub_and_get_answers(database, tg_settings, clock, bot_api, rasa):
    app = create_app(tg_settings, database=database, clock=clock)
    bot_api.queue_update(updates.text(41, "/start"))
    bot_api.queue_update(updates.text(42, "my parcel is late"))

    async def run() -> None:
        stop = asyncio.Event()
        async with app.router.lifespan_context(app):
            application = build_application(tg_settings, app.state.hub)
            polling = asyncio.create_task(poll(application, stop, poll_seconds=1))
            await until(
                lambda: len(bot_api.of("sendMessage")) >= 2,
                lambda: (
                    f"Bot API calls {[c.method for c in bot_api.calls]}, Rasa {rasa.messages()}"
                ),
            )
            stop.set()
            await polling

    asyncio.run(run())

    assert rasa.messages() == ["hi", "my parcel is late"]
    assert bot_api.texts_to(CHAT_ID) == [GREETING, "You said: my parcel is late"]
    assert bot_api.of("deleteWebhook"), "a webhook would keep updates from the poller"
    first = bot_api.of("getUpdates")[0]
    assert first.json("allowed_updates") == ["message", "callback_query"]
    assert bot_api.updates == [], "the handled updates were confirmed to Telegram"


def test_the_app_polls_by_itself_when_told_to(database, tg_settings, clock, bot_api, rasa):
    settings = tg_settings.model_copy(update={"telegram_polling": True})
    app = create_app(settings, database=database, clock=clock)
    bot_api.queue_update(updates.text(43, "where is my order"))

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await until(
                lambda: bot_api.texts_to(CHAT_ID),
                lambda: f"Bot API calls {[c.method for c in bot_api.calls]}",
            )

    asyncio.run(run())

    assert rasa.messages() == ["where is my order"]
    assert bot_api.texts_to(CHAT_ID) == ["You said: where is my order"]
