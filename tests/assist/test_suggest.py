"""Ranking suggestions over a fixed small history with a word-overlap embedder: which replies
come first, the bot's policy answer for a policy question, no history, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import policy_faq
from tests.assist.fakes import WordEmbedder
from ticketing.assist.past_replies import PastReply
from ticketing.assist.policy_answers import PolicyAnswers
from ticketing.assist.reply_index import ReplyIndex
from ticketing.assist.suggest import suggest
from ticketing.policy.service import load_file

ROOT = Path(__file__).resolve().parents[2]
RESENT = "I've sent the refund again; it reaches you within 3 days."
TAKES = "Refunds take 5 business days after the return arrives."
PHOTO = "Could you send me a photo of the damage?"
WELCOME = "You're welcome!"

HISTORY = [
    PastReply("c1", "my refund has not arrived", RESENT),
    PastReply("c2", "my refund has not arrived", RESENT),
    PastReply("c3", "my refund is late", TAKES),
    PastReply("c4", "the parcel is damaged", PHOTO),
    PastReply("c5", "thank you", WELCOME),
]


@pytest.fixture
def embedder() -> WordEmbedder:
    return WordEmbedder()


@pytest.fixture
def policy_document() -> dict:
    return load_file(ROOT / "policy.yml").model_dump(mode="json")


def policy_answer(document: dict, topic: str) -> str:
    return next(e.answer for e in policy_faq.entries(document) if e.topic == topic)


def test_the_closest_past_replies_come_first(embedder):
    index = ReplyIndex.of(embedder, HISTORY)

    found = suggest("my refund is not here", embedder=embedder, replies=index, policy=None)

    # "my refund has not arrived": 3 of 5 words shared; "my refund is late": 3 of 4
    assert [s.text for s in found] == [TAKES, RESENT]
    assert [s.source for s in found] == ["past_reply", "past_reply"]
    assert found[0].score > found[1].score
    assert found[0].example == "my refund is late"


def test_a_reply_given_to_several_similar_messages_counts_them(embedder):
    index = ReplyIndex.of(embedder, HISTORY)

    found = suggest("my refund has not arrived", embedder=embedder, replies=index, policy=None)

    assert found[0].text == RESENT
    assert found[0].uses == 2
    assert found[0].score == pytest.approx(1.0)
    assert [s.text for s in found].count(RESENT) == 1  # never the same text twice


def test_unrelated_past_messages_are_not_suggested(embedder):
    index = ReplyIndex.of(embedder, HISTORY)

    found = suggest("thank you", embedder=embedder, replies=index, policy=None)

    assert [s.text for s in found] == [WELCOME]


def test_the_bots_policy_answer_has_a_place_for_a_policy_question(embedder, policy_document):
    question = "how long does a refund take please"
    history = [PastReply(f"p{n}", question, f"Past answer number {n}.") for n in range(4)]
    index = ReplyIndex.of(embedder, history)
    policy = PolicyAnswers(policy_document, embedder)

    found = suggest(question, embedder=embedder, replies=index, policy=policy)

    # four past replies to the very same words score 1.0; the policy question scores less,
    # and still the bot's answer is one of the three
    assert len(found) == 3
    assert [s.source for s in found] == ["past_reply", "past_reply", "policy"]
    assert found[2].text == policy_answer(policy_document, "refund_time")
    assert found[2].topic == "refund_time"


def test_without_history_the_suggestions_are_the_policy_answers(embedder, policy_document):
    policy = PolicyAnswers(policy_document, embedder)
    empty = ReplyIndex.of(embedder, [])

    found = suggest("Can I cancel my order?", embedder=embedder, replies=empty, policy=policy)

    assert found
    assert {s.source for s in found} == {"policy"}
    assert found[0].text == policy_answer(policy_document, "cancellation")
    assert len(found) <= 3


def test_a_message_unlike_any_policy_question_gets_no_policy_answer(embedder, policy_document):
    policy = PolicyAnswers(policy_document, embedder)
    index = ReplyIndex.of(embedder, HISTORY)

    found = suggest("the parcel is damaged", embedder=embedder, replies=index, policy=policy)

    assert [s.text for s in found][:1] == [PHOTO]
    assert all(s.score >= policy_faq.MIN_SIMILARITY for s in found if s.source == "policy")


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_an_empty_message_gets_no_suggestion_and_embeds_nothing(embedder, message):
    index = ReplyIndex.of(embedder, HISTORY)
    before = len(embedder.embedded)

    assert suggest(message, embedder=embedder, replies=index, policy=None) == []
    assert len(embedder.embedded) == before


def test_a_ten_thousand_character_message_is_read_in_part(embedder, policy_document):
    index = ReplyIndex.of(embedder, HISTORY)
    policy = PolicyAnswers(policy_document, embedder)
    message = "my refund has not arrived " + "x" * 10_000

    found = suggest(message, embedder=embedder, replies=index, policy=policy)

    assert len(found) <= 3
    assert max(len(text) for text in embedder.embedded[-1:]) <= 1000
    assert embedder.embedded[-1].startswith("my refund has not arrived")


def test_never_more_than_the_limit(embedder):
    history = [PastReply(f"c{n}", "where is my parcel", f"Reply {n}.") for n in range(10)]
    index = ReplyIndex.of(embedder, history)

    assert len(suggest("where is my parcel", embedder=embedder, replies=index, policy=None)) == 3
    found = suggest("where is my parcel", embedder=embedder, replies=index, policy=None, limit=1)
    assert len(found) == 1
    assert (
        suggest("where is my parcel", embedder=embedder, replies=index, policy=None, limit=0) == []
    )


def test_the_same_question_gets_the_same_suggestions_in_the_same_order(embedder):
    history = [PastReply(f"c{n}", "where is my parcel", f"Reply {n % 4}.") for n in range(12)]
    index = ReplyIndex.of(embedder, list(reversed(history)))
    again = ReplyIndex.of(embedder, history)

    first = suggest("where is my parcel", embedder=embedder, replies=index, policy=None)
    second = suggest("where is my parcel", embedder=embedder, replies=again, policy=None)

    assert (
        [s.text for s in first] == [s.text for s in second] == ["Reply 0.", "Reply 1.", "Reply 2."]
    )
    assert {s.uses for s in first} == {3}
