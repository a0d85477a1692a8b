"""The actions report what the bot did not understand to the training inbox: a fallback, an
out-of-scope request, a rejected clarification, a handoff after misunderstandings; with the
NLU's ranking, personal entities and context; never holding the customer's answer up."""

from __future__ import annotations

import httpx
import pytest
import respx
from rasa_sdk import Tracker

from actions.confirmations import ActionConfirm, ActionDecline
from actions.handoff import ActionHandleFallback
from tests.actions.helpers import (
    API_KEY,
    CONVERSATION,
    body,
    bot_event,
    entity,
    handoff_json,
    make_tracker,
    run,
    user_event,
)

PATH = "/api/training/misunderstandings"
PROOF = "proof-of-the-latest-message"
METADATA = {"channel": "web", "conversation_proof": PROOF}
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.4},
    {"name": "order_status", "confidence": 0.38},
    {"name": "late_delivery", "confidence": 0.33},
]


def reports(api: respx.MockRouter) -> list[httpx.Request]:
    return [call.request for call in api.calls if call.request.url.path == PATH]


def unsure(text: str, intent: str = "nlu_fallback", **kwargs: object) -> Tracker:
    history = [user_event("hi there", "greet"), bot_event("Hi! How can I help?")]
    tracker = make_tracker(text, intent, history=history, metadata=METADATA, **kwargs)  # type: ignore[arg-type]
    tracker.latest_message["intent_ranking"] = RANKING
    return tracker


def test_a_fallback_is_reported_with_ranking_entities_and_context(api):
    api.post(PATH).respond(201, json={"id": 1, "created": True, "reasons": ["fallback"]})
    tracker = unsure(
        "parcel 10234 for jo@example.org hmm",
        entities=[
            entity("order_number", "10234"),
            entity("email", "jo@example.org"),
            entity("item", "mug"),
        ],
    )
    outcome = run(ActionHandleFallback(), tracker)
    [request] = reports(api)
    assert request.headers["X-Conversation-Proof"] == PROOF
    assert request.headers["X-Api-Key"] == API_KEY
    assert body(request) == {
        "conversation_id": CONVERSATION,
        "text": "parcel 10234 for jo@example.org hmm",
        "reason": "fallback",
        "guesses": [
            {"intent": "nlu_fallback", "confidence": 0.4},
            {"intent": "order_status", "confidence": 0.38},
            {"intent": "late_delivery", "confidence": 0.33},
        ],
        "previous_bot_text": "Hi! How can I help?",
        "previous_customer_text": "hi there",
        "entities": [
            {"entity": "order_number", "value": "10234"},
            {"entity": "email", "value": "jo@example.org"},
        ],
    }
    assert outcome.said("Do you want to")  # the customer's answer is the same


def test_out_of_scope_is_reported_as_such(api):
    api.post(PATH).respond(201, json={})
    run(ActionHandleFallback(), unsure("can you book me a taxi", "out_of_scope"))
    assert body(reports(api)[0])["reason"] == "out_of_scope"


def test_nothing_is_reported_without_the_hubs_proof_or_for_a_button(api):
    route = api.post(PATH).respond(201, json={})
    run(ActionHandleFallback(), make_tracker("hmm what", "nlu_fallback"))
    run(ActionHandleFallback(), unsure("/deny"))
    assert not route.called


@pytest.mark.parametrize("failure", [httpx.Response(500), httpx.ConnectTimeout("slow")])
def test_a_failing_report_does_not_change_the_answer(api, failure):
    if isinstance(failure, httpx.Response):
        api.post(PATH).mock(return_value=failure)
    else:
        api.post(PATH).mock(side_effect=failure)
    outcome = run(ActionHandleFallback(), unsure("hmm parcel"))
    assert outcome.said("Do you want to")
    assert outcome.slots["pending_confirmation"] == "clarify:order_status,late_delivery"


def test_something_else_reports_the_message_the_clarification_was_about(api):
    api.post(PATH).respond(200, json={})
    earlier = user_event("parcel thing hmm", "nlu_fallback")
    tracker = make_tracker(
        "Something else",
        "deny",
        history=[earlier, bot_event("Sorry, I'm not sure I understood. Do you want to:")],
        slots={"pending_confirmation": "clarify:order_status,late_delivery"},
        metadata=METADATA,
    )
    run(ActionDecline(), tracker)
    [request] = reports(api)
    sent = body(request)
    assert (sent["text"], sent["reason"]) == ("parcel thing hmm", "clarification_rejected")
    assert sent["previous_customer_text"] is None


def test_yes_to_a_person_after_misses_reports_the_missed_message_as_handed_off(api):
    api.post(PATH).respond(200, json={})
    api.post("/api/handoffs").respond(201, json=handoff_json())
    missed = user_event("zzz parcel blorp", "nlu_fallback")
    tracker = make_tracker(
        "yes",
        "affirm",
        history=[
            missed,
            bot_event("Sorry, I still don't understand. Shall I pass you to a colleague?"),
        ],
        slots={"pending_confirmation": "fallback_handoff"},
        metadata=METADATA,
    )
    run(ActionConfirm(), tracker)
    [request] = reports(api)
    assert (body(request)["text"], body(request)["reason"]) == ("zzz parcel blorp", "handoff")


def test_the_third_miss_is_reported_as_missed_and_handed_off(api):
    api.post(PATH).respond(200, json={})
    api.post("/api/handoffs").respond(201, json=handoff_json())
    run(ActionHandleFallback(), unsure("blorp again", slots={"fallback_count": 2.0}))
    assert [body(r)["reason"] for r in reports(api)] == ["fallback", "handoff"]


def test_no_handoff_report_when_the_handoff_failed(api):
    api.post(PATH).respond(200, json={})
    api.post("/api/handoffs").respond(503)
    run(ActionHandleFallback(), unsure("blorp again", slots={"fallback_count": 2.0}))
    assert [body(r)["reason"] for r in reports(api)] == ["fallback"]


def test_what_the_bot_knows_about_the_customer_is_sent_for_masking(api):
    api.post(PATH).respond(201, json={})
    run(ActionHandleFallback(), unsure("Ann again, blorp", verified=True))
    assert body(reports(api)[0])["entities"] == [
        {"entity": "name", "value": "Ann"},
        {"entity": "order_number", "value": "10234"},
        {"entity": "order_number", "value": "10234"},
        {"entity": "email", "value": "ann@example.com"},
    ]
