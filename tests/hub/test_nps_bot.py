"""NPS after a conversation the bot resolved: the bot's own feedback form stores the rating
through the API while the hub waits for its answer; the hub then asks the NPS question, and its
answers (typed ones too) and a "no thanks" stay with the hub: the bot never sees them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.hub.helpers import conversation, events, rest_id, rest_say
from ticketing.conversations.hub_core import NPS_DECLINED, NPS_THANKS
from ticketing.feedback import service as feedback_service
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.feedback.schemas import RatingCreate

CID = rest_id("ada")


def say(client, text: str) -> list[dict[str, Any]]:
    response = rest_say(client, "ada", text)
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()
    return replies


@pytest.fixture
def feedback_bot(rasa, database, clock):
    """A bot that resolves on "that's all", then takes "1"-"5" as the rating and stores it as
    action_submit_feedback does (POST /api/ratings); anything else is echoed."""

    def script(sender: str, message: str) -> list[dict[str, Any]]:
        if message == "that's all":
            return [
                {"recipient_id": sender, "custom": {"supportbot": "bot_resolved"}},
                {"recipient_id": sender, "text": "How would you rate me, 1 to 5?"},
            ]
        if message in {"1", "2", "3", "4", "5"}:
            with database.session(write=True) as db_session:
                feedback_service.save(
                    db_session=db_session,
                    request=RatingCreate(
                        conversation_id=sender, score=int(message), channel="rest"
                    ),
                    customer_id=None,
                    now=clock.now,
                    actor="service:actions",
                )
            return [
                {"recipient_id": sender, "text": "Thank you for your feedback!"},
                {"recipient_id": sender, "text": "Goodbye!"},
            ]
        return [{"recipient_id": sender, "text": f"You said: {message}"}]

    rasa.script = script
    return rasa


def answers(database) -> list[NpsAnswer]:
    with database.session() as s:
        return list(s.scalars(select(NpsAnswer)))


def test_the_question_follows_the_bots_feedback_and_the_answer_stays_with_the_hub(
    hub_client, feedback_bot, database
):
    say(hub_client, "that's all")

    replies = say(hub_client, "5")
    answered = say(hub_client, '/nps{"score":10}')

    assert [r["text"] for r in replies[:2]] == ["Thank you for your feedback!", "Goodbye!"]
    assert "how likely" in replies[2]["text"] and len(replies[2]["buttons"]) == 11
    assert [r["text"] for r in answered] == [NPS_THANKS]
    assert feedback_bot.messages_from(CID) == ["that's all", "5"]
    [answer] = answers(database)
    assert (answer.score, answer.agent_id, answer.conversation_id) == (10, None, CID)
    assert conversation(database, CID).owner == "bot"
    assert events(database, CID).count("nps_submitted") == 1


def test_a_typed_answer_is_stored_and_never_reaches_the_bot(hub_client, feedback_bot, database):
    say(hub_client, "that's all")
    say(hub_client, "4")

    replies = say(hub_client, "9 i guess")

    assert [r["text"] for r in replies] == [NPS_THANKS]
    assert feedback_bot.messages_from(CID) == ["that's all", "4"]
    [answer] = answers(database)
    assert (answer.score, answer.conversation_id) == (9, CID)
    assert conversation(database, CID).nps_asked_at is None
    assert events(database, CID).count("nps_submitted") == 1


def test_no_thanks_closes_the_question_without_the_bot(hub_client, feedback_bot, database):
    say(hub_client, "that's all")
    say(hub_client, "4")

    replies = say(hub_client, "no thanks")
    after = say(hub_client, "where is my other order?")

    assert [r["text"] for r in replies] == [NPS_DECLINED]
    assert [r["text"] for r in after] == ["You said: where is my other order?"]
    assert feedback_bot.messages_from(CID) == ["that's all", "4", "where is my other order?"]
    kinds = events(database, CID)
    assert kinds.count("nps_skipped") == 1 and "reopened" not in kinds
    assert answers(database) == []


@pytest.mark.parametrize(
    "typed", ["where is my order?", "actually, where is my other order?", "order 10410 is late"]
)
def test_writing_something_else_goes_to_the_bot_without_a_reopen(
    hub_client, feedback_bot, database, typed
):
    say(hub_client, "that's all")
    say(hub_client, "4")

    replies = say(hub_client, typed)

    assert replies[0]["text"] == f"You said: {typed}"
    assert feedback_bot.messages_from(CID)[-1] == typed
    kinds = events(database, CID)
    assert "nps_skipped" in kinds and "reopened" not in kinds
    assert conversation(database, CID).nps_asked_at is None
    assert answers(database) == []


def test_no_question_without_a_rating(hub_client, feedback_bot, database):
    say(hub_client, "that's all")

    replies = say(hub_client, "no thanks")

    assert [r["text"] for r in replies] == ["You said: no thanks"]
    assert "nps_requested" not in events(database, CID)
