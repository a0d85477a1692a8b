"""action_start_task: what comes after a new request or a detail given on its own."""

from __future__ import annotations

import pytest
import respx
from httpx import Response

from actions.start import NEEDS_ORDER, ActionStartTask
from tests.actions.helpers import (
    API_KEY,
    CONVERSATION,
    ORDER,
    OTHER_ORDER,
    TOKEN,
    body,
    bot_event,
    entity,
    handoff_json,
    make_tracker,
    only,
    run,
    sent,
    user_event,
)


def start(tracker):  # type: ignore[no-untyped-def]
    return run(ActionStartTask(), tracker)


@pytest.mark.parametrize("task", sorted(NEEDS_ORDER))
def test_an_unverified_customer_is_verified_first(api: respx.MockRouter, task: str) -> None:
    outcome = start(make_tracker("I need help with my order", task))
    assert outcome.slots["task"] == task
    assert outcome.next_step == "verify"
    assert outcome.pending is None and "pending_confirmation" in outcome.slots
    assert "verified_order" not in outcome.slots
    assert outcome.messages == []
    assert sent(api) == []


def test_an_order_number_in_the_request_is_kept_for_the_verify_form(
    api: respx.MockRouter,
) -> None:
    tracker = make_tracker(
        f"where is order #{ORDER}",
        "order_status",
        entities=[entity("order_number", ORDER)],
        slots={"order_number": ORDER},
    )
    outcome = start(tracker)
    assert outcome.slots["order_number"] == ORDER
    assert outcome.next_step == "verify"
    assert sent(api) == []


def test_a_number_only_in_the_text_is_kept_too(api: respx.MockRouter) -> None:
    outcome = start(make_tracker(f"cancel order no. {ORDER} please", "cancel_order"))
    assert outcome.slots["order_number"] == ORDER
    assert outcome.next_step == "verify"


@pytest.mark.parametrize("task", sorted(NEEDS_ORDER | {"complaint"}))
def test_a_verified_customer_goes_straight_to_the_task(api: respx.MockRouter, task: str) -> None:
    outcome = start(make_tracker("and another thing", task, verified=True))
    assert outcome.slots["task"] == task
    assert outcome.next_step == "run"
    assert "verified_order" not in outcome.slots
    assert outcome.messages == []
    assert sent(api) == []


def test_another_order_of_a_verified_customer_runs_on_that_order(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        f"and what about order {OTHER_ORDER}?",
        "order_status",
        entities=[entity("order_number", OTHER_ORDER)],
        slots={"order_number": OTHER_ORDER},
        verified=True,
    )
    outcome = start(tracker)
    assert outcome.slots["verified_order"] == OTHER_ORDER
    assert outcome.slots["order_number"] == OTHER_ORDER
    assert outcome.next_step == "run"
    assert "verification_token" not in outcome.slots  # the token covers every order of theirs
    assert sent(api) == []


def test_another_order_given_with_its_email_is_checked_first(api: respx.MockRouter) -> None:
    """Seen on make run: a verified Hugo wrote "the zipper ... in my order 10807 is broken,
    sophie...@example.org"; the bot ignored the email, offered a ticket on 10807, then said it
    could not find the order."""
    tracker = make_tracker(
        f"the zipper of the jacket in my order {OTHER_ORDER} is broken, sophie.f@example.org",
        "damaged_or_wrong_item",
        entities=[entity("order_number", OTHER_ORDER)],
        slots={"order_number": OTHER_ORDER},
        verified=True,
    )
    outcome = start(tracker)
    assert outcome.next_step == "verify"
    assert outcome.slots["order_number"] == OTHER_ORDER
    assert outcome.slots["contact"] == "sophie.f@example.org"
    assert "verified_order" not in outcome.slots
    assert outcome.messages == []  # nothing offered on an order not proven yet
    assert sent(api) == []


def test_another_order_without_a_token_needs_a_new_check(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        f"and order {OTHER_ORDER}?",
        "order_status",
        entities=[entity("order_number", OTHER_ORDER)],
        slots={"order_number": OTHER_ORDER, "verified_order": ORDER},
    )
    outcome = start(tracker)
    assert outcome.slots["order_number"] == OTHER_ORDER
    assert "verified_order" not in outcome.slots
    assert outcome.next_step == "verify"


def test_a_complaint_needs_no_order(api: respx.MockRouter) -> None:
    outcome = start(make_tracker("I want to complain about your service", "complaint"))
    assert outcome.slots["task"] == "complaint"
    assert outcome.next_step == "run"
    assert sent(api) == []


def test_a_complaint_about_an_order_verifies_it(api: respx.MockRouter) -> None:
    outcome = start(make_tracker(f"I want to complain about order {ORDER}", "complaint"))
    assert outcome.slots["order_number"] == ORDER
    assert outcome.next_step == "verify"


def test_an_angry_customer_is_handed_to_a_person(api: respx.MockRouter) -> None:
    route = api.post("/api/handoffs").respond(201, json=handoff_json(reason="angry"))
    history = [user_event("where is my parcel", "late_delivery"), bot_event("Let me check.")]
    text = "This is RIDICULOUS, the worst shop ever!!"
    outcome = start(make_tracker(text, "late_delivery", history=history, channel="telegram"))
    assert route.call_count == 1
    request = only(api, "POST", "/api/handoffs")
    assert request.headers["X-Api-Key"] == API_KEY
    assert "X-Verification-Token" not in request.headers
    assert request.headers["Idempotency-Key"].startswith("bot-")
    sent_body = body(request)
    assert sent_body["conversation_id"] == CONVERSATION
    assert sent_body["reason"] == "angry"
    assert sent_body["channel"] == "telegram"
    assert sent_body["summary"]["intent"] == "late_delivery"
    assert [m["text"] for m in sent_body["summary"]["last_messages"]] == [
        "where is my parcel",
        "Let me check.",
        text,
    ]
    assert outcome.said("sorry", "colleague")
    assert outcome.slots["handed_off"] is True
    assert outcome.slots["ticket_number"] == "T-2001"
    assert outcome.next_step == "none"
    assert "task" not in outcome.slots  # nothing else is started


def test_an_angry_verified_customer_hands_over_with_the_order(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="angry"))
    start(make_tracker("this is unacceptable, I am furious", "cancel_order", verified=True))
    request = only(api, "POST", "/api/handoffs")
    assert request.headers["X-Verification-Token"] == TOKEN
    assert body(request)["summary"]["order_number"] == ORDER
    assert "verification_token" not in body(request)["summary"]["slots"]


def test_an_annoyed_customer_gets_an_apology_and_the_task(api: respx.MockRouter) -> None:
    outcome = start(make_tracker("this is a joke, where is my order", "order_status"))
    assert outcome.said("sorry for the trouble")
    assert outcome.next_step == "verify"
    assert sent(api) == []


@pytest.mark.parametrize("text", ["the blue one", "it's too small", "yesterday", ""])
def test_a_detail_without_a_task_gets_help(api: respx.MockRouter, text: str) -> None:
    outcome = start(make_tracker(text, "inform"))
    assert outcome.responses == ["utter_help"]
    assert outcome.next_step == "none"
    assert "task" not in outcome.slots
    assert sent(api) == []


def test_an_order_number_on_its_own_means_order_status(api: respx.MockRouter) -> None:
    outcome = start(make_tracker(f"#{ORDER}", "inform"))
    assert outcome.slots["task"] == "order_status"
    assert outcome.slots["order_number"] == ORDER
    assert outcome.next_step == "verify"


def test_a_detail_continues_the_current_task(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        "the sneakers",
        "inform",
        verified=True,
        slots={"task": "return_item", "item": "the sneakers", "return_reason": "does_not_fit"},
    )
    outcome = start(tracker)
    assert outcome.next_step == "run"
    assert "task" not in outcome.slots
    assert "item" not in outcome.slots and "return_reason" not in outcome.slots


def test_a_new_request_forgets_the_old_details_but_keeps_the_new_ones(
    api: respx.MockRouter,
) -> None:
    tracker = make_tracker(
        "I want to return the sneakers, they're too small",
        "return_item",
        entities=[entity("item", "sneakers"), entity("return_reason", "does_not_fit")],
        verified=True,
        slots={
            "task": "change_shipping_address",
            "new_address": "Ann Smith, Gartenweg 3, 20095 Hamburg, DE",
            "pending_confirmation": "address",
            "item": "sneakers",
            "return_reason": "does_not_fit",
        },
    )
    outcome = start(tracker)
    assert outcome.slots["task"] == "return_item"
    assert outcome.slots["new_address"] is None
    assert outcome.slots["pending_confirmation"] is None
    assert "item" not in outcome.slots and "return_reason" not in outcome.slots
    assert outcome.next_step == "run"


def test_a_request_inside_a_form_leaves_the_form(api: respx.MockRouter) -> None:
    tracker = make_tracker("actually, cancel it", "cancel_order", active_loop="verify_form")
    outcome = start(tracker)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in outcome.events
    ]
    assert outcome.next_step == "verify"


def test_the_handoff_failing_for_an_angry_customer_is_still_answered(
    api: respx.MockRouter,
) -> None:
    api.post("/api/handoffs").mock(return_value=Response(503))
    outcome = start(make_tracker("WTF this is a scam!!", "refund_request"))
    assert outcome.said("support@demo-shop.example")
    assert "handed_off" not in outcome.slots
    assert outcome.next_step == "none"
