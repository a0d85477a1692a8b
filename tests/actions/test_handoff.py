"""action_handoff and action_handle_fallback: a person, with the whole context."""

from __future__ import annotations

import respx

from actions.handoff import ActionHandleFallback, ActionHandoff
from tests.actions.helpers import (
    CONVERSATION,
    ORDER,
    body,
    bot_event,
    handoff_json,
    make_tracker,
    only,
    run,
    sent,
    user_event,
)


def test_a_person_on_request_gets_the_whole_context(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    history = [
        user_event("I want to return my sneakers", "return_item"),
        bot_event("Which item is it about?"),
        user_event("x" * 20_000, "inform"),
    ]
    slots = {"task": "return_item", "item": "sneakers", "ticket_number": None}
    tracker = make_tracker(
        "let me talk to a human", "human_agent", verified=True, slots=slots, history=history
    )
    outcome = run(ActionHandoff(), tracker)
    request = only(api, "POST", "/api/handoffs")
    sent_body = body(request)
    assert sent_body["conversation_id"] == CONVERSATION
    assert sent_body["reason"] == "requested"
    assert sent_body["channel"] == "rest"
    summary = sent_body["summary"]
    assert summary["intent"] == "return_item"
    assert summary["order_number"] == ORDER
    assert summary["slots"]["item"] == "sneakers"
    assert "verification_token" not in summary["slots"]
    assert "ticket_number" not in summary["slots"]  # empty values are left out
    texts = [m["text"] for m in summary["last_messages"]]
    assert texts[0] == "I want to return my sneakers"
    assert len(texts[2]) == 10_000
    assert texts[-1] == "let me talk to a human"
    assert outcome.slots["handed_off"] is True
    assert outcome.slots["ticket_number"] == "T-2001"
    assert outcome.pending is None
    assert outcome.texts == [handoff_json()["message"]]
    assert outcome.next_step == "none"


def test_only_the_last_20_messages_are_sent(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    history = [user_event(f"message {n}", "inform") for n in range(30)]
    run(ActionHandoff(), make_tracker("agent", "human_agent", history=history))
    messages = body(only(api, "POST", "/api/handoffs"))["summary"]["last_messages"]
    assert len(messages) == 20
    assert messages[-1]["text"] == "agent"


def test_the_same_turn_retried_has_the_same_key(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    tracker = make_tracker("agent", "human_agent")
    run(ActionHandoff(), tracker)
    run(ActionHandoff(), tracker)
    later = make_tracker("agent!", "human_agent", history=[user_event("agent", "human_agent")])
    run(ActionHandoff(), later)
    keys = [call.request.headers["Idempotency-Key"] for call in api.calls]
    assert keys[0] == keys[1] != keys[2]


def test_an_angry_request_is_marked_angry(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="angry"))
    run(ActionHandoff(), make_tracker("GET ME A HUMAN NOW, THIS IS RIDICULOUS", "human_agent"))
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "angry"


def test_a_handoff_inside_a_form_leaves_the_form(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    outcome = run(ActionHandoff(), make_tracker("agent", "human_agent", active_loop="verify_form"))
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in outcome.events
    ]


def test_a_handoff_refused_by_the_backend_is_said_honestly(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(422, json={"detail": [{"msg": "bad", "code": "x"}]})
    outcome = run(ActionHandoff(), make_tracker("agent", "human_agent"))
    assert outcome.said("isn't answering", "support@demo-shop.example")
    assert "handed_off" not in outcome.slots
    assert outcome.next_step == "none"


def test_the_first_misunderstanding_asks_to_rephrase(api: respx.MockRouter) -> None:
    outcome = run(ActionHandleFallback(), make_tracker("blorp", "nlu_fallback"))
    assert outcome.said("say it another way")
    assert outcome.responses == ["utter_help"]
    assert outcome.slots == {"fallback_count": 1}
    assert sent(api) == []


def test_out_of_scope_says_what_the_bot_does_and_counts_as_a_miss(api: respx.MockRouter) -> None:
    outcome = run(ActionHandleFallback(), make_tracker("what's the weather", "out_of_scope"))
    assert outcome.responses == ["utter_out_of_scope", "utter_help"]
    assert outcome.slots == {"fallback_count": 1}
    assert sent(api) == []


def test_out_of_scope_after_a_miss_offers_a_person(api: respx.MockRouter) -> None:
    tracker = make_tracker("tell me a joke", "out_of_scope", slots={"fallback_count": 1.0})
    outcome = run(ActionHandleFallback(), tracker)
    assert outcome.said("still don't understand", "pass you to a colleague?")
    assert outcome.buttons == ["/affirm", "/deny"]
    assert outcome.slots["pending_confirmation"] == "fallback_handoff"
    assert sent(api) == []


def test_the_third_misunderstanding_hands_over(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="fallback"))
    tracker = make_tracker("blorp again", "nlu_fallback", slots={"fallback_count": 2.0})
    outcome = run(ActionHandleFallback(), tracker)
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "fallback"
    assert outcome.said("still don't understand")
    assert outcome.slots["handed_off"] is True
    assert outcome.slots["fallback_count"] == 0


def test_an_angry_misunderstanding_hands_over_at_once(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="angry"))
    outcome = run(ActionHandleFallback(), make_tracker("you useless stupid bot", "nlu_fallback"))
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "angry"
    assert outcome.said("not helping")
