"""NPS on Telegram: after the rating's comment the question arrives with an inline keyboard of
0-10; a press stores the answer once and the keyboard goes away; a typed number works too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.telegram import updates
from tests.telegram.conftest import telegram_settings
from tests.telegram.helpers import deliver, keyboard
from tests.telegram.updates import CHAT_ID
from ticketing.app import create_app
from ticketing.conversations.hub_core import NPS_ALREADY_ANSWERED, NPS_THANKS
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

CONVERSATION = f"telegram-{CHAT_ID}"


@pytest.fixture
def no_bot_client(database, settings, clock, bot_api) -> Iterator[TestClient]:
    """Without Rasa the hub hands every new conversation to a person."""
    no_bot = telegram_settings(settings, bot_api, rasa_url=None)
    with TestClient(create_app(no_bot, database=database, clock=clock)) as client:
        yield client


def rated_over_telegram(client: TestClient, database, bot_api) -> None:
    hub = client.app.state.hub
    deliver(client, updates.text(1, "I want to talk to a person"))
    with database.session(write=True) as session:
        agent_id = staff_service.create(
            db_session=session,
            username="agent.ann",
            display_name="Ann",
            password="correct horse battery",
            role=StaffRole.AGENT,
        ).id
    client.portal.call(hub.claim, CONVERSATION, agent_id)
    client.portal.call(hub.resolve, CONVERSATION, agent_id)
    question = bot_api.of("sendMessage")[-1]
    deliver(client, updates.button(2, "/csat 5", message_id=question.result["message_id"]))
    deliver(client, updates.text(3, "Quick and friendly"))


def scores(database) -> list[int]:
    with database.session() as session:
        return [a.score for a in session.scalars(select(NpsAnswer))]


def test_the_question_has_a_0_to_10_keyboard_and_a_press_answers_once(
    no_bot_client, bot_api, database
):
    rated_over_telegram(no_bot_client, database, bot_api)
    question = bot_api.of("sendMessage")[-1]

    rows = keyboard(question)
    data = [button["callback_data"] for row in rows for button in row]
    assert data == [f'/nps{{"score":{n}}}' for n in range(11)]
    assert "how likely" in question.params["text"]

    message_id = question.result["message_id"]
    deliver(no_bot_client, updates.button(4, data[10], message_id=message_id))
    deliver(no_bot_client, updates.button(5, data[10], message_id=message_id))  # pressed twice
    deliver(no_bot_client, updates.button(4, data[10], message_id=message_id))  # a retried update

    assert bot_api.texts_to(CHAT_ID)[-2:] == [NPS_THANKS, NPS_ALREADY_ANSWERED]
    assert scores(database) == [10]
    edits = [e.params["message_id"] for e in bot_api.of("editMessageReplyMarkup")]
    assert str(message_id) in edits  # the keyboard can't be pressed again


def test_a_typed_number_answers_on_telegram(no_bot_client, bot_api, database):
    rated_over_telegram(no_bot_client, database, bot_api)

    deliver(no_bot_client, updates.text(4, "6"))

    assert bot_api.texts_to(CHAT_ID)[-1] == NPS_THANKS
    assert scores(database) == [6]
