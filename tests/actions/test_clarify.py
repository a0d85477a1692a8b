"""Asking instead of guessing: an unsure NLU result offers the likely requests as buttons."""

from __future__ import annotations

import respx
from rasa_sdk import Tracker

from actions import clarify
from actions.confirmations import ActionConfirm, ActionDecline
from actions.handoff import ActionHandleFallback
from actions.start import ActionStartTask
from tests.actions.helpers import body, entity, handoff_json, make_tracker, only, run, sent


def unsure(text: str, ranking: list[tuple[str, float]], **kwargs: object) -> Tracker:
    """The tracker of a message the FallbackClassifier turned into nlu_fallback."""
    tracker = make_tracker(text, "nlu_fallback", **kwargs)  # type: ignore[arg-type]
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        *({"name": name, "confidence": score} for name, score in ranking),
    ]
    return tracker


def test_an_unsure_message_offers_the_two_likely_requests(api: respx.MockRouter) -> None:
    tracker = unsure(
        "my parcel 10234 hmm",
        [("order_status", 0.38), ("late_delivery", 0.33), ("inform", 0.2), ("greet", 0.05)],
        entities=[entity("order_number", "10234")],
    )
    outcome = run(ActionHandleFallback(), tracker)
    assert outcome.said("not sure I understood", "Do you want to")
    assert outcome.buttons == [
        '/order_status{"order_number":"10234"}',
        '/late_delivery{"order_number":"10234"}',
        "/deny",
    ]
    titles = [b["title"] for m in outcome.messages for b in m.get("buttons") or []]
    assert titles == ["Track an order", "Report a late or missing parcel", "Something else"]
    assert outcome.slots["pending_confirmation"] == "clarify:order_status,late_delivery"
    assert outcome.slots["fallback_count"] == 1
    assert sent(api) == []


def test_at_most_three_requests_and_never_small_talk_or_weak_ones() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "return_item", "confidence": 0.25},
        {"name": "exchange_item", "confidence": 0.2},
        {"name": "refund_request", "confidence": 0.15},
        {"name": "complaint", "confidence": 0.12},
        {"name": "payment_issue", "confidence": 0.05},
    ]
    assert clarify.candidates({"intent_ranking": ranking}) == [
        "return_item",
        "exchange_item",
        "refund_request",
    ]
    assert clarify.candidates({"intent_ranking": ranking[:2]}) == []
    assert clarify.candidates({}) == []


def test_a_carried_entity_is_quoted_safely() -> None:
    found = [entity("item", 'the "blue" mug 🙂'), entity("email", "a@b.example")]
    made = clarify.payload("return_item", found)
    assert made == '/return_item{"item":"the \\"blue\\" mug 🙂","email":"a@b.example"}'
    assert clarify.payload("order_status", [entity("greeting", "hi")]) == "/order_status"


def test_nothing_likely_asks_to_rephrase(api: respx.MockRouter) -> None:
    outcome = run(ActionHandleFallback(), unsure("blorp", [("greet", 0.3), ("inform", 0.2)]))
    assert outcome.said("say it another way")
    assert outcome.responses == ["utter_help"]


def test_a_typed_yes_starts_the_first_request_verifying_first(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        "yes", "affirm", slots={"pending_confirmation": "clarify:return_item,refund_request"}
    )
    outcome = run(ActionConfirm(), tracker)
    assert outcome.slots["task"] == "return_item"
    assert outcome.next_step == "verify"
    assert outcome.slots["pending_confirmation"] is None
    assert sent(api) == []


def test_a_typed_yes_on_a_verified_order_runs_the_request(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        "yes", "affirm", verified=True, slots={"pending_confirmation": "clarify:order_status"}
    )
    assert run(ActionConfirm(), tracker).next_step == "run"


def test_a_typed_yes_to_a_person_hands_over(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    tracker = make_tracker(
        "yes", "affirm", slots={"pending_confirmation": "clarify:human_agent,complaint"}
    )
    assert run(ActionConfirm(), tracker).slots["handed_off"] is True


def test_something_else_asks_for_other_words_and_keeps_the_miss(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        "/deny",
        "deny",
        slots={"pending_confirmation": "clarify:order_status", "fallback_count": 1.0},
    )
    outcome = run(ActionDecline(), tracker)
    assert outcome.said("in a few words")
    assert outcome.responses == ["utter_help"]
    assert "fallback_count" not in outcome.slots
    assert outcome.next_step == "none"


def test_no_to_a_person_asks_for_other_words(api: respx.MockRouter) -> None:
    tracker = make_tracker("no", "deny", slots={"pending_confirmation": "fallback_handoff"})
    outcome = run(ActionDecline(), tracker)
    assert outcome.said("in a few words")
    assert sent(api) == []


def test_yes_to_the_person_offered_after_two_misses_hands_over_as_a_fallback(
    api: respx.MockRouter,
) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="fallback"))
    tracker = make_tracker("yes", "affirm", slots={"pending_confirmation": "fallback_handoff"})
    outcome = run(ActionConfirm(), tracker)
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "fallback"
    assert outcome.slots["handed_off"] is True


def test_a_detail_with_no_request_is_a_miss_that_asks(api: respx.MockRouter) -> None:
    tracker = unsure("the blue one, size 9", [("inform", 0.5), ("exchange_item", 0.3)])
    tracker.latest_message["intent"] = {"name": "inform", "confidence": 0.5}
    outcome = run(ActionStartTask(), tracker)
    assert outcome.said("Do you want to")
    assert outcome.buttons == ["/exchange_item", "/deny"]
    assert outcome.slots["fallback_count"] == 1
    assert outcome.next_step == "none"
    assert sent(api) == []


def test_after_an_earlier_miss_likely_requests_still_get_buttons_and_a_person_is_one(
    api: respx.MockRouter,
) -> None:
    """An out-of-scope question, then "hi, order 10753, email ...: where is it?" read as half
    inform, half order status: the order status button (with the number and email) and a
    person, not "I still don't understand"."""
    tracker = unsure(
        "hi, order 10753, email harry@example.net: where is it?",
        [("inform", 0.55), ("order_status", 0.45)],
        entities=[entity("order_number", "10753"), entity("email", "harry@example.net")],
        slots={"fallback_count": 1.0},
    )
    outcome = run(ActionHandleFallback(), tracker)
    assert not outcome.said("still don't understand")
    assert outcome.buttons == [
        '/order_status{"order_number":"10753","email":"harry@example.net"}',
        '/human_agent{"order_number":"10753","email":"harry@example.net"}',
        "/deny",
    ]
    assert outcome.slots["pending_confirmation"] == "clarify:order_status,human_agent"
    assert outcome.slots["fallback_count"] == 2
    assert sent(api) == []


def test_after_an_earlier_miss_with_nothing_likely_a_person_is_offered(
    api: respx.MockRouter,
) -> None:
    tracker = unsure("blorp", [("inform", 0.05)], slots={"fallback_count": 1.0})
    outcome = run(ActionHandleFallback(), tracker)
    assert outcome.said("still don't understand", "pass you to a colleague?")
    assert outcome.buttons == ["/affirm", "/deny"]
    assert sent(api) == []
