"""The NPS question after a finished rating, over the REST channel: asked once when the policy
turns it on, at most once per customer per cooldown, answered by a button or a typed score and
stored once; bad answers are asked again, a "no thanks" closes it without the bot, anything else
skips it and reopens to the bot."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from tests.factories import make_customer, make_online_agent
from tests.hub.helpers import conversation, events, handed_over, rest_id, rest_say
from ticketing.conversations.hub_core import (
    CSAT_THANKS,
    CSAT_THANKS_BEFORE_NPS,
    NPS_ALREADY_ANSWERED,
    NPS_CLOSED,
    NPS_DECLINED,
    NPS_INVALID,
    NPS_THANKS,
)
from ticketing.conversations.models import Conversation
from ticketing.conversations.rest_channel import integration_external_id
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.policy import service as policy_service
from ticketing.settings import REPO_ROOT

QUESTION = "how likely are you to recommend Demo Shop"


def say(client, text: str, sender: str = "ada") -> list[dict[str, Any]]:
    response = rest_say(client, sender, text)
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()
    return replies


def press(client, score: Any, sender: str = "ada") -> list[dict[str, Any]]:
    return say(client, "/nps" + json.dumps({"score": score}, separators=(",", ":")), sender)


@pytest.fixture
def agent(database):
    with database.session() as s:
        return make_online_agent(s, "grace", capacity=5)


def rated(client, agent, sender: str = "ada") -> list[dict[str, Any]]:
    """The agent resolves the conversation (whoever has it), the customer rates and comments:
    the replies to the comment."""
    hub = client.app.state.hub
    client.portal.call(hub.resolve, rest_id(sender), agent.id)
    assert "anything you'd like to add" in say(client, "/csat 4", sender)[0]["text"]
    return say(client, "Quick and friendly", sender)


def answers(database) -> list[NpsAnswer]:
    with database.session() as s:
        return list(s.scalars(select(NpsAnswer).order_by(NpsAnswer.id)))


def asked_count(database, cid: str) -> int:
    return events(database, cid).count("nps_requested")


def is_question(reply: dict[str, Any]) -> bool:
    return QUESTION in reply.get("text", "")


def test_after_the_comment_the_question_comes_with_buttons_0_to_10(
    hub_client, service_headers, database, agent
):
    cid = handed_over(hub_client, service_headers)

    thanks, question = rated(hub_client, agent)

    assert thanks["text"] == CSAT_THANKS_BEFORE_NPS
    assert is_question(question)
    assert [b["title"] for b in question["buttons"]] == [str(n) for n in range(11)]
    assert question["buttons"][7]["payload"] == '/nps{"score":7}'
    assert question["custom"] == {"type": "nps", "min": 0, "max": 10}
    stored = conversation(database, cid)
    assert (stored.owner, stored.csat_state) == ("closed", "done")
    assert stored.nps_asked_at is not None
    assert asked_count(database, cid) == 1
    assert answers(database) == []


def test_a_button_answer_is_stored_once_with_the_agent_and_thanked(
    hub_client, service_headers, database, agent, rasa, clock
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    asked_at = clock.now
    clock.advance(minutes=1)
    to_rasa = len(rasa.messages_from(cid))

    first = press(hub_client, 9)
    second = press(hub_client, 9)  # a double submit
    third = say(hub_client, '/nps{"score":3}')  # a late change of mind

    assert [r["text"] for r in first + second + third] == [
        NPS_THANKS,
        NPS_ALREADY_ANSWERED,
        NPS_ALREADY_ANSWERED,
    ]
    [answer] = answers(database)
    assert (answer.score, answer.conversation_id, answer.agent_id) == (9, cid, agent.id)
    assert (answer.channel, answer.external_id, answer.customer_id) == (
        "rest",
        integration_external_id("ada"),
        None,
    )
    assert (answer.asked_at, answer.created_at) == (asked_at, clock.now)
    stored = conversation(database, cid)
    assert (stored.owner, stored.nps_asked_at) == ("closed", None)
    assert events(database, cid).count("nps_submitted") == 1
    assert "reopened" not in events(database, cid)
    assert len(rasa.messages_from(cid)) == to_rasa  # none of it went to the bot


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        ("7", 7),
        ("0", 0),
        ("10", 10),
        (" 8/10 ", 8),
        ("9 out of 10!", 9),
        ("9 i guess", 9),
        ("I'd say 8", 8),
        ("probably a 7!", 7),
        ("nine", 9),
    ],
)
def test_a_typed_number_is_an_answer(
    hub_client, service_headers, database, agent, rasa, typed, score
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    to_rasa = len(rasa.messages_from(cid))

    assert [r["text"] for r in say(hub_client, typed)] == [NPS_THANKS]

    assert [a.score for a in answers(database)] == [score]
    assert len(rasa.messages_from(cid)) == to_rasa
    assert "reopened" not in events(database, cid)


@pytest.mark.parametrize(
    "bad",
    [
        "11",
        "-1",
        "7.5",
        "100",
        "maybe 6 or 7",
        "between 7 and 8",
        '/nps{"score":12}',
        '/nps{"score":"7"}',
        "/nps{oops",
        "/nps",
    ],
)
def test_a_bad_answer_is_asked_again_and_stores_nothing(
    hub_client, service_headers, database, agent, rasa, bad
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    to_rasa = len(rasa.messages_from(cid))

    [again] = say(hub_client, bad)

    assert again["text"] == NPS_INVALID
    assert len(again["buttons"]) == 11
    assert answers(database) == []
    assert conversation(database, cid).nps_asked_at is not None  # still waiting
    assert len(rasa.messages_from(cid)) == to_rasa
    assert say(hub_client, "6")[0]["text"] == NPS_THANKS
    assert [a.score for a in answers(database)] == [6]


def test_anything_else_skips_the_question_and_reopens_to_the_bot(
    hub_client, service_headers, database, agent, rasa
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)

    replies = say(hub_client, "Actually, where is my refund?")
    late = press(hub_client, 10)  # the old button, pressed after writing something else

    assert replies[0]["text"] == "You said: Actually, where is my refund?"
    assert [r["text"] for r in late] == [NPS_CLOSED]
    assert rasa.messages_from(cid)[-1] == "Actually, where is my refund?"
    stored = conversation(database, cid)
    assert (stored.owner, stored.nps_asked_at) == ("bot", None)
    kinds = events(database, cid)
    assert kinds[kinds.index("nps_requested") :].count("reopened") == 1
    assert "nps_skipped" in kinds
    assert answers(database) == []


@pytest.mark.parametrize("typed", ["where is order 10410", "it cost 30 euros", "24/7?", "x9" * 60])
def test_numbers_that_are_not_scores_go_to_the_bot(
    hub_client, service_headers, database, agent, rasa, typed
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)

    replies = say(hub_client, typed)

    assert replies[0]["text"] == f"You said: {typed}"
    assert rasa.messages_from(cid)[-1] == typed
    assert conversation(database, cid).nps_asked_at is None
    assert answers(database) == []


@pytest.mark.parametrize("typed", ["No thanks", "skip", "I'd rather not", "later"])
def test_a_decline_closes_the_question_without_the_bot(
    hub_client, service_headers, database, agent, rasa, clock, typed
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    to_rasa = len(rasa.messages_from(cid))

    replies = say(hub_client, typed)
    late = press(hub_client, 8)

    assert [r["text"] for r in replies + late] == [NPS_DECLINED, NPS_CLOSED]
    assert len(rasa.messages_from(cid)) == to_rasa
    stored = conversation(database, cid)
    assert (stored.owner, stored.nps_asked_at) == ("closed", None)
    kinds = events(database, cid)
    assert "nps_skipped" in kinds and "reopened" not in kinds
    assert answers(database) == []
    assert say(hub_client, "one more question")[0]["text"] == "You said: one more question"
    clock.advance(days=3)
    assert [r["text"] for r in rated(hub_client, agent)] == [CSAT_THANKS]  # the cooldown


def test_a_skipped_question_is_not_asked_again_within_the_cooldown(
    hub_client, service_headers, database, agent, clock
):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    say(hub_client, "one more thing")  # skips it
    clock.advance(days=3)

    replies = rated(hub_client, agent)

    assert [r["text"] for r in replies] == [CSAT_THANKS]
    assert asked_count(database, cid) == 1


def linked(database, *cids: str) -> int:
    """Link the conversations to one customer record (as a verified order or a handoff would)."""
    with database.session() as s:
        customer = make_customer(s)
        for cid in cids:
            s.get(Conversation, cid).customer_id = customer.id
        return customer.id


def test_the_same_customer_is_asked_again_only_after_90_days(
    hub_client, service_headers, database, agent, clock
):
    first, second, third = (
        handed_over(hub_client, service_headers, sender) for sender in ("a1", "a2", "a3")
    )
    customer_id = linked(database, first, second, third)
    rated(hub_client, agent, "a1")
    press(hub_client, 8, "a1")

    clock.advance(days=89, hours=23)
    within = rated(hub_client, agent, "a2")
    clock.advance(hours=1)  # 90 days after the first question
    after = rated(hub_client, agent, "a3")

    assert [r["text"] for r in within] == [CSAT_THANKS]
    assert after[0]["text"] == CSAT_THANKS_BEFORE_NPS and is_question(after[1])
    assert [asked_count(database, cid) for cid in (first, second, third)] == [1, 0, 1]
    press(hub_client, 10, "a3")
    assert [(a.customer_id, a.score) for a in answers(database)] == [
        (customer_id, 8),
        (customer_id, 10),
    ]


def test_the_policy_sets_the_cooldown_for_a_channel_identity(
    hub_client, service_headers, database, agent, clock
):
    document = yaml.safe_load((REPO_ROOT / "policy.yml").read_text(encoding="utf-8"))
    document["nps"]["cooldown_days"] = 5
    with database.session(write=True) as s:
        policy_service.update(db_session=s, document=document, actor="test")
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)
    press(hub_client, 8)

    clock.advance(days=4, hours=23)
    say(hub_client, "hello again")  # reopens; the agent resolves it again
    within = rated(hub_client, agent)
    clock.advance(hours=1)
    say(hub_client, "and again")
    after = rated(hub_client, agent)

    assert [r["text"] for r in within] == [CSAT_THANKS]
    assert is_question(after[-1])
    assert asked_count(database, cid) == 2


def test_a_different_customer_is_asked(hub_client, service_headers, database, agent):
    handed_over(hub_client, service_headers, "ada")
    rated(hub_client, agent, "ada")
    press(hub_client, 9, "ada")
    handed_over(hub_client, service_headers, "bob")

    replies = rated(hub_client, agent, "bob")

    assert is_question(replies[-1])
    press(hub_client, 4, "bob")
    assert [(a.external_id, a.score) for a in answers(database)] == [
        (integration_external_id("ada"), 9),
        (integration_external_id("bob"), 4),
    ]


def test_not_asked_when_the_policy_turns_it_off(
    hub_client, service_headers, database, agent, settings
):
    document = yaml.safe_load((REPO_ROOT / "policy.yml").read_text(encoding="utf-8"))
    document["nps"]["enabled"] = False
    with database.session(write=True) as s:
        policy_service.update(db_session=s, document=document, actor="test")
    cid = handed_over(hub_client, service_headers)

    replies = rated(hub_client, agent)

    assert [r["text"] for r in replies] == [CSAT_THANKS]
    assert asked_count(database, cid) == 0
    assert conversation(database, cid).nps_asked_at is None


def test_the_question_text_comes_from_the_policy(hub_client, service_headers, database, agent):
    document = yaml.safe_load((REPO_ROOT / "policy.yml").read_text(encoding="utf-8"))
    document["nps"]["question"] = "  Would you recommend us? 0-10  "
    with database.session(write=True) as s:
        policy_service.update(db_session=s, document=document, actor="test")
    handed_over(hub_client, service_headers)

    replies = rated(hub_client, agent)

    assert replies[-1]["text"] == "Would you recommend us? 0-10"


def test_a_handoff_while_the_question_waits_closes_it(hub_client, service_headers, database, agent):
    cid = handed_over(hub_client, service_headers)
    rated(hub_client, agent)

    hub = hub_client.app.state.hub
    hub_client.portal.call(hub.request_human, cid)
    say(hub_client, "7")  # now a message for the agent, not an answer

    assert conversation(database, cid).nps_asked_at is None
    assert answers(database) == []
