"""Yes, no, stop and goodbye: a change is made only after a yes, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import respx

from actions.confirmations import WRITES, ActionConfirm, ActionDecline, ActionStop
from actions.feedback import BOT_RESOLVED, ActionStartFeedback, ActionWrapUp
from actions.tasks.problems import PROMISES
from actions.turn import DETAIL_SLOTS
from tests.actions.helpers import (
    API_KEY,
    CONVERSATION,
    ORDER,
    TOKEN,
    Outcome,
    address_json,
    address_slot,
    body,
    bot_event,
    cancel_json,
    eligibility_json,
    handoff_json,
    make_tracker,
    refund_json,
    requests,
    return_json,
    run,
    sent,
    ticket_json,
    user_event,
    writes,
)

ORDER_PATH = f"/api/orders/{ORDER}"


@dataclass
class Write:
    """A pending confirmation, the state it needs, and the one write a yes makes."""

    slots: dict[str, Any]
    method: str
    path: str
    expected_body: dict[str, Any]
    said: str
    backend: Callable[[respx.MockRouter], None]
    history: list[dict[str, Any]] = field(default_factory=list)


def _cancel(api: respx.MockRouter) -> None:
    api.post(f"{ORDER_PATH}/cancel").respond(200, json=cancel_json())


def _address(api: respx.MockRouter) -> None:
    api.put(f"{ORDER_PATH}/shipping-address").respond(200, json=address_json())


def _return(api: respx.MockRouter) -> None:
    api.get(f"{ORDER_PATH}/return-eligibility").respond(json=eligibility_json())
    api.post(f"{ORDER_PATH}/returns").respond(201, json=return_json())


def _refund(api: respx.MockRouter) -> None:
    api.get(f"{ORDER_PATH}/refunds").respond(json=[])
    api.get(f"{ORDER_PATH}/returns").respond(json=[return_json(status="received")])
    api.post(f"{ORDER_PATH}/refunds").respond(201, json=refund_json(rma="RMA-10234-1"))


def _ticket(api: respx.MockRouter) -> None:
    api.post("/api/tickets").respond(201, json=ticket_json())


def _ticket_body(kind: str, category: str, subject: str, description: str) -> dict[str, Any]:
    return {
        "told_customer": PROMISES[kind],
        "category": category,
        "severity": "medium",
        "subject": f"{subject} (order {ORDER})",
        "description": description,
        "conversation_id": CONVERSATION,
        "channel": "rest",
        "order_number": ORDER,
    }


WRITE_CASES: dict[str, Write] = {
    "cancel": Write(
        {"task": "cancel_order"},
        "POST",
        f"{ORDER_PATH}/cancel",
        {"reason": "customer request via chat"},
        "Order 10234 is cancelled.",
        _cancel,
    ),
    "address": Write(
        {"task": "change_shipping_address", "new_address": address_slot()},
        "PUT",
        f"{ORDER_PATH}/shipping-address",
        {
            "name": "Ann Smith",
            "line1": "Gartenweg 3",
            "line2": "2nd floor",
            "postal_code": "20095",
            "city": "Hamburg",
            "country": "DE",
        },
        "will go to the new address",
        _address,
    ),
    "return": Write(
        {
            "task": "return_item",
            "item": "Blue Sneakers",
            "return_reason": "does_not_fit",
            "item_condition": "like_new",
            "resolution": "store_credit",
        },
        "POST",
        f"{ORDER_PATH}/returns",
        {
            "items": [{"item_id": 1, "quantity": 1}],
            "reason": "does_not_fit",
            "condition": "like_new",
            "resolution": "store_credit",
        },
        "your return number (RMA) is RMA-10234-1 and it is waiting for approval. Print the label",
        _return,
    ),
    "return_revised": Write(  # the same return, asked again after a change
        {
            "task": "return_item",
            "item": "1 × Blue Sneakers",
            "return_reason": "does_not_fit",
            "item_condition": "like_new",
            "resolution": "store_credit",
        },
        "POST",
        f"{ORDER_PATH}/returns",
        {
            "items": [{"item_id": 1, "quantity": 1}],
            "reason": "does_not_fit",
            "condition": "like_new",
            "resolution": "store_credit",
        },
        "your return number (RMA) is RMA-10234-1 and it is waiting for approval. Print the label",
        _return,
    ),
    "refund": Write(
        {"task": "refund_request"},
        "POST",
        f"{ORDER_PATH}/refunds",
        {"reason": "customer request via chat", "rma_number": "RMA-10234-1"},
        "Your refund of 49.90 EUR is on its way",
        _refund,
    ),
    "damage_ticket": Write(
        {"task": "damaged_or_wrong_item"},
        "POST",
        "/api/tickets",
        _ticket_body(
            "damage_ticket", "product_quality", "Damaged or wrong item", "the mug arrived smashed"
        ),
        "I've opened ticket T-1001",
        _ticket,
        [user_event("the mug arrived smashed", "damaged_or_wrong_item"), bot_event("So sorry")],
    ),
    "late_ticket": Write(
        {"task": "late_delivery"},
        "POST",
        "/api/tickets",
        _ticket_body("late_ticket", "logistics", "Late or lost delivery", "my parcel is late"),
        "I've opened ticket T-1001",
        _ticket,
        [user_event("my parcel is late", "late_delivery"), bot_event("It's past the date.")],
    ),
    "payment_ticket": Write(
        {"task": "payment_issue"},
        "POST",
        "/api/tickets",
        _ticket_body("payment_ticket", "payment", "Payment problem", "I was charged twice"),
        "I've opened ticket T-1001",
        _ticket,
        [user_event("I was charged twice", "payment_issue")],
    ),
    "complaint_ticket": Write(
        {
            "task": "complaint",
            "complaint_category": "logistics",
            "complaint_description": "The courier threw the parcel over the fence.",
        },
        "POST",
        "/api/tickets",
        _ticket_body(
            "complaint_ticket",
            "logistics",
            "Complaint",
            "The courier threw the parcel over the fence.",
        ),
        "I've opened ticket T-1001",
        _ticket,
        [user_event("I want to complain", "complaint")],
    ),
}


def test_every_write_is_covered() -> None:
    assert set(WRITE_CASES) == set(WRITES)


def confirm(
    case: Write,
    text: str = "yes",
    conversation: str = CONVERSATION,
    earlier: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> Outcome:
    """The customer says `text` (a yes) to the case's pending question."""
    kind = next(kind for kind, c in WRITE_CASES.items() if c is case)
    tracker = make_tracker(
        text,
        "affirm",
        verified=True,
        slots={**case.slots, "pending_confirmation": kind, **slots},
        history=[*(earlier or []), *case.history],
        sender_id=conversation,
    )
    return run(ActionConfirm(), tracker)


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_a_yes_makes_exactly_that_write(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    outcome = confirm(case)
    assert writes(api) == [(case.method, case.path)]
    write = next(r for r in requests(api) if r.method == case.method and r.url.path == case.path)
    assert write.headers["X-Api-Key"] == API_KEY
    assert write.headers["X-Verification-Token"] == TOKEN
    assert write.headers["Idempotency-Key"].startswith("bot-")
    sent_body = body(write)
    if case.path == "/api/tickets":
        context = sent_body.pop("context")
        assert context["order_number"] == ORDER
        assert context["intent"] == case.slots["task"]
    assert sent_body == case.expected_body
    for request in requests(api):
        if request is not write:
            assert request.method == "GET"
            assert "Idempotency-Key" not in request.headers
    assert outcome.said(case.said)
    assert outcome.slots["resolved"] is True
    assert outcome.slot_events("pending_confirmation")[0] is None
    assert outcome.next_step == "none"
    if kind == "complaint_ticket":
        assert outcome.pending == "handoff"
        assert outcome.said("talk to a person")
    else:
        assert outcome.pending == "anything_else"
        assert outcome.responses[-1] == "utter_anything_else"
    if case.path == "/api/tickets":
        assert outcome.slots["ticket_number"] == "T-1001"


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_a_retried_confirmation_repeats_the_same_request(api: respx.MockRouter, kind: str) -> None:
    """A retried webhook (the same tracker again) sends the same key and the same body, so the
    API replays its first answer instead of making the change twice."""
    case = WRITE_CASES[kind]
    case.backend(api)
    confirm(case)
    confirm(case)
    first, second = (
        r for r in requests(api) if r.method == case.method and r.url.path == case.path
    )
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.content == second.content


@pytest.mark.parametrize("kind", ["cancel", "address", "return", "refund"])
def test_the_words_of_the_yes_do_not_change_the_request(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    for text in ("yes", "yes please, go ahead", "/affirm", "👍"):
        confirm(case, text)
    made = [r for r in requests(api) if r.method == case.method and r.url.path == case.path]
    assert len(made) == 4
    assert len({r.headers["Idempotency-Key"] for r in made}) == 1
    assert len({r.content for r in made}) == 1


@pytest.mark.parametrize("kind", [k for k in sorted(WRITE_CASES) if k.endswith("_ticket")])
def test_a_ticket_in_a_later_turn_has_a_new_key(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    confirm(case)
    confirm(case, earlier=[user_event("hi", "greet"), bot_event("Hi!")])
    keys = {r.headers["Idempotency-Key"] for r in requests(api)}
    assert len(keys) == 2


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_another_conversation_has_another_key(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    confirm(case, conversation="conv-1")
    confirm(case, conversation="conv-2")
    keys = {r.headers["Idempotency-Key"] for r in requests(api) if r.method == case.method}
    assert len(keys) == 2


def test_another_address_has_another_key(api: respx.MockRouter) -> None:
    case = WRITE_CASES["address"]
    case.backend(api)
    confirm(case)
    confirm(case, new_address=address_slot(line1="Hafenstr. 9"))
    keys = {r.headers["Idempotency-Key"] for r in requests(api) if r.method == "PUT"}
    assert len(keys) == 2


@pytest.mark.parametrize(
    ("description", "severity"),
    [
        ("The courier threw the parcel over the fence.", "medium"),
        ("Your service is awful.", "high"),
        ("This is a scam, absolutely disgusting!!", "critical"),
    ],
)
def test_a_complaints_severity_follows_the_anger(
    api: respx.MockRouter, description: str, severity: str
) -> None:
    case = WRITE_CASES["complaint_ticket"]
    case.backend(api)
    confirm(case, complaint_description=description)
    assert body(requests(api)[0])["severity"] == severity


def test_a_complaint_without_an_order(api: respx.MockRouter) -> None:
    api.post("/api/tickets").respond(201, json=ticket_json())
    tracker = make_tracker(
        "yes",
        "affirm",
        slots={
            "task": "complaint",
            "pending_confirmation": "complaint_ticket",
            "complaint_category": "after-sales service",
            "complaint_description": "Nobody answered my emails.",
        },
    )
    run(ActionConfirm(), tracker)
    sent_body = body(requests(api)[0])
    assert sent_body["subject"] == "Complaint"
    assert sent_body["category"] == "after_sales"
    assert "order_number" not in sent_body
    assert "X-Verification-Token" not in requests(api)[0].headers


@pytest.mark.parametrize("kind", sorted(set(WRITE_CASES) - {"return", "return_revised"}))
def test_a_no_makes_no_write(api: respx.MockRouter, kind: str) -> None:
    """(A "no" to a return asks what to change: tests/actions/test_return_changes.py.)"""
    case = WRITE_CASES[kind]
    tracker = make_tracker(
        "no",
        "deny",
        verified=True,
        slots={**case.slots, "pending_confirmation": kind},
        history=case.history,
    )
    outcome = run(ActionDecline(), tracker)
    assert sent(api) == []
    assert outcome.said("haven't changed anything")
    for name in DETAIL_SLOTS:
        if case.slots.get(name) is not None:
            assert outcome.slots[name] is None
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert "resolved" not in outcome.slots


@pytest.mark.parametrize(
    ("pending", "task"), [("return_instead", "return_item"), ("cancel_instead", "cancel_order")]
)
def test_a_yes_to_an_offer_switches_the_task(
    api: respx.MockRouter, pending: str, task: str
) -> None:
    tracker = make_tracker(
        "yes",
        "affirm",
        verified=True,
        slots={"task": "refund_request", "pending_confirmation": pending, "item": "old"},
    )
    outcome = run(ActionConfirm(), tracker)
    assert outcome.slots["task"] == task
    assert outcome.slots["item"] is None
    assert outcome.pending is None
    assert outcome.next_step == "run"
    assert sent(api) == []


def test_a_yes_to_a_person_hands_over(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    tracker = make_tracker("yes", "affirm", slots={"pending_confirmation": "handoff"})
    outcome = run(ActionConfirm(), tracker)
    assert sent(api) == [("POST", "/api/handoffs")]
    assert body(requests(api)[0])["reason"] == "requested"
    assert outcome.slots["handed_off"] is True
    assert outcome.said("passed you to a colleague")
    assert outcome.next_step == "none"


def test_a_yes_to_anything_else_asks_what(api: respx.MockRouter) -> None:
    tracker = make_tracker("yes", "affirm", slots={"pending_confirmation": "anything_else"})
    outcome = run(ActionConfirm(), tracker)
    assert outcome.responses == ["utter_what_else"]
    assert outcome.next_step == "none"
    assert sent(api) == []


@pytest.mark.parametrize("pending", [None, "something_unknown"])
def test_a_yes_to_nothing_gets_help(api: respx.MockRouter, pending: str | None) -> None:
    tracker = make_tracker("yes", "affirm", slots={"pending_confirmation": pending})
    outcome = run(ActionConfirm(), tracker)
    assert outcome.responses == ["utter_help"]
    assert outcome.next_step == "none"
    assert sent(api) == []


@pytest.mark.parametrize("pending", ["handoff", "return_instead", "cancel_instead"])
def test_a_no_to_an_offer(api: respx.MockRouter, pending: str) -> None:
    tracker = make_tracker("no", "deny", slots={"pending_confirmation": pending})
    outcome = run(ActionDecline(), tracker)
    assert outcome.texts == ["Okay."]
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert sent(api) == []


def test_stop_forgets_the_request(api: respx.MockRouter) -> None:
    slots = {
        "task": "return_item",
        "item": "sneakers",
        "return_reason": "damaged",
        "pending_confirmation": "return",
        "requested_slot": "item_condition",
    }
    tracker = make_tracker("stop", "stop", verified=True, slots=slots, active_loop="details_form")
    outcome = run(ActionStop(), tracker)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in outcome.events
    ]
    for name in (*DETAIL_SLOTS, "task", "requested_slot"):
        assert outcome.slots[name] is None
    assert outcome.pending == "anything_else"
    assert outcome.responses == ["utter_stopped", "utter_anything_else"]
    assert "verified_order" not in outcome.slots  # the customer stays verified
    assert sent(api) == []


# the end of a conversation
@pytest.mark.parametrize(
    ("resolved", "rated", "handed_off", "asks"),
    [
        (True, False, False, True),
        (False, False, False, False),
        (True, True, False, False),
        (True, False, True, False),
    ],
)
@pytest.mark.parametrize("pending", ["anything_else", None])
def test_no_more_questions_asks_for_a_rating_only_when_earned(
    api: respx.MockRouter,
    resolved: bool,
    rated: bool,
    handed_off: bool,
    asks: bool,
    pending: str | None,
) -> None:
    slots = {
        "pending_confirmation": pending,
        "resolved": resolved,
        "feedback_done": rated,
        "handed_off": handed_off,
        "rating": "3",
    }
    outcome = run(ActionDecline(), make_tracker("no thanks", "deny", slots=slots))
    if asks:
        assert outcome.next_step == "feedback"
        assert outcome.slots["rating"] is None
        assert outcome.slots["feedback_comment"] is None
        # only the hub's "bot resolved" signal; the rating question comes from the form
        assert [m["custom"] for m in outcome.messages] == [BOT_RESOLVED]
    else:
        assert outcome.next_step == "none"
        assert outcome.responses == ["utter_goodbye"]
        assert "rating" not in outcome.slots
    assert sent(api) == []


def test_thanks_is_answered_then_wraps_up(api: respx.MockRouter) -> None:
    slots = {"resolved": True, "pending_confirmation": "anything_else"}
    outcome = run(ActionWrapUp(), make_tracker("thanks!", "thank", slots=slots))
    assert outcome.responses == ["utter_you_are_welcome"]
    assert outcome.slot_events("pending_confirmation") == [None]
    assert outcome.next_step == "feedback"


def test_goodbye_without_anything_solved(api: respx.MockRouter) -> None:
    outcome = run(ActionWrapUp(), make_tracker("bye", "goodbye"))
    assert outcome.responses == ["utter_goodbye"]
    assert outcome.next_step == "none"


def test_asking_to_give_feedback_is_always_welcome(api: respx.MockRouter) -> None:
    slots = {"feedback_done": True, "rating": "2", "feedback_comment": "meh"}
    outcome = run(
        ActionStartFeedback(), make_tracker("I want to leave feedback", "feedback", slots=slots)
    )
    assert outcome.slots == {"rating": None, "feedback_comment": None, "next_step": "feedback"}
