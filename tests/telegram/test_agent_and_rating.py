"""End to end on Telegram: the customer reaches a person, the agent's reply and the rating
question arrive in the chat, and the rating and its comment are stored."""

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
from ticketing.conversations.hub_core import CSAT_COMMENT_QUESTION, CSAT_THANKS_BEFORE_NPS
from ticketing.conversations.models import Owner
from ticketing.feedback.models import CsatRating
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

CONVERSATION = f"telegram-{CHAT_ID}"


@pytest.fixture
def no_bot_client(database, settings, clock, bot_api) -> Iterator[TestClient]:
    """Without Rasa the hub hands every new conversation to a person."""
    no_bot = telegram_settings(settings, bot_api, rasa_url=None)
    with TestClient(create_app(no_bot, database=database, clock=clock)) as client:
        yield client


def make_agent(database) -> int:
    with database.session(write=True) as session:
        agent = staff_service.create(
            db_session=session,
            username="agent.ann",
            display_name="Ann",
            password="correct horse battery",
            role=StaffRole.AGENT,
        )
        return agent.id


def test_agent_reply_rating_and_comment_over_telegram(no_bot_client, bot_api, database, clock):
    client, hub = no_bot_client, no_bot_client.app.state.hub
    deliver(client, updates.text(1, "I want to talk to a person"))
    assert hub.view(CONVERSATION).owner == Owner.HUMAN
    assert "colleague" in bot_api.texts_to(CHAT_ID)[0]

    agent_id = make_agent(database)
    client.portal.call(hub.claim, CONVERSATION, agent_id)
    clock.advance(minutes=2)
    client.portal.call(hub.agent_reply, CONVERSATION, agent_id, "Hello, Ann here. Sorted!")
    assert bot_api.texts_to(CHAT_ID)[-1] == "Ann: Hello, Ann here. Sorted!"

    client.portal.call(hub.resolve, CONVERSATION, agent_id)
    question = bot_api.of("sendMessage")[-1]
    assert question.params["chat_id"] == str(CHAT_ID)
    [scale] = keyboard(question)
    assert [b["callback_data"] for b in scale] == [f"/csat {n}" for n in range(1, 6)]

    deliver(client, updates.button(2, "/csat 5", message_id=question.result["message_id"]))
    assert bot_api.texts_to(CHAT_ID)[-1] == CSAT_COMMENT_QUESTION
    [edited] = bot_api.of("editMessageReplyMarkup")  # the scale can't be pressed again
    assert edited.params["message_id"] == str(question.result["message_id"])
    deliver(client, updates.text(3, "Quick and friendly, thanks"))
    thanks, nps_question = bot_api.texts_to(CHAT_ID)[-2:]  # policy.yml turns NPS on
    assert (thanks, "how likely" in nps_question) == (CSAT_THANKS_BEFORE_NPS, True)

    with database.session() as session:
        [rating] = session.scalars(select(CsatRating)).all()
        assert (rating.score, rating.comment) == (5, "Quick and friendly, thanks")
        assert (rating.agent_id, rating.channel) == (agent_id, "telegram")
    assert hub.view(CONVERSATION).owner == Owner.CLOSED


def test_an_agent_reply_survives_telegram_being_down(no_bot_client, bot_api, database):
    client, hub = no_bot_client, no_bot_client.app.state.hub
    deliver(client, updates.text(1, "help"))
    agent_id = make_agent(database)
    bot_api.fail("sendMessage", 502, "Bad Gateway")
    message = client.portal.call(hub.agent_reply, CONVERSATION, agent_id, "Are you there?")
    assert [m.text for m in hub.history(CONVERSATION)][-1] == "Are you there?"
    assert message.sender == "agent"
