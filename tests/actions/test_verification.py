"""Proving an order is yours: validate_verify_form and action_verify_customer."""

from __future__ import annotations

import httpx
import pytest
import respx
from httpx import Response

from actions.handoff import DOWN
from actions.verification import ActionVerifyCustomer, ValidateVerifyForm
from tests.actions.helpers import (
    API_KEY,
    CONVERSATION,
    ORDER,
    TOKEN,
    body,
    error_json,
    form_tracker,
    handoff_json,
    make_tracker,
    only,
    run,
    sent,
    verification_json,
)

FAILED = (
    "We couldn't verify those details. Please check the order number and use the email "
    "address or phone number you gave when ordering."
)


def verify(slots: dict[str, object], text: str = "ann@example.com"):  # type: ignore[no-untyped-def]
    return run(ActionVerifyCustomer(), make_tracker(text, "inform", slots=slots))


# action_verify_customer
def test_a_match_stores_the_token_and_runs_the_task(api: respx.MockRouter) -> None:
    route = api.post("/api/verifications").respond(200, json=verification_json())
    outcome = verify({"order_number": ORDER, "contact": "ann@example.com", "task": "cancel_order"})
    assert route.call_count == 1
    request = only(api, "POST", "/api/verifications")
    assert request.headers["X-Api-Key"] == API_KEY
    assert "X-Verification-Token" not in request.headers
    assert body(request) == {
        "order_number": ORDER,
        "conversation_id": CONVERSATION,
        "email": "ann@example.com",
    }
    assert outcome.slots["verified_order"] == ORDER
    assert outcome.slots["order_number"] == ORDER
    assert outcome.slots["verification_token"] == TOKEN
    assert outcome.slots["customer_name"] == "Ann"
    assert outcome.slots["verify_failures"] == 0
    assert outcome.next_step == "run"
    assert outcome.said("Thanks, Ann")


def test_a_phone_is_sent_as_phone(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(200, json=verification_json())
    verify({"order_number": ORDER, "contact": "+49 170 1234567"})
    assert body(only(api, "POST", "/api/verifications")) == {
        "order_number": ORDER,
        "conversation_id": CONVERSATION,
        "phone": "+49 170 1234567",
    }


@pytest.mark.parametrize(
    ("status", "api_message"),
    [
        (401, FAILED),
        (404, "Order 10234 does not exist"),
        (403, "Order 10234 belongs to someone else"),
        (422, "order_number: String should have at most 64 characters"),
    ],
)
def test_a_wrong_pair_gets_one_message_that_never_says_whether_the_order_exists(
    api: respx.MockRouter, status: int, api_message: str
) -> None:
    api.post("/api/verifications").respond(status, json=error_json(api_message))
    outcome = verify({"order_number": ORDER, "contact": "bob@example.com"})
    assert outcome.texts == [
        "I couldn't verify those details. Please type the email address or phone number you "
        "gave when ordering (2 more tries), or another order number if this one was mistyped."
    ]
    lowered = outcome.all_text.lower()
    for leak in ("exist", "not found", "someone else", "belongs", "no order", "unknown", ORDER):
        assert leak not in lowered
    assert "order_number" not in outcome.slots  # kept: only the contact is asked again
    assert outcome.slots["contact"] is None
    assert outcome.slots["verify_failures"] == 1
    assert "verified_order" not in outcome.slots
    assert "verification_token" not in outcome.slots
    assert outcome.next_step == "verify"
    assert sent(api) == [("POST", "/api/verifications")]  # no handoff yet


def test_the_second_failure_says_one_try_is_left(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(401, json=error_json(FAILED))
    outcome = verify({"order_number": ORDER, "contact": "bob@example.com", "verify_failures": 1.0})
    assert outcome.said("(1 more try)")
    assert outcome.next_step == "verify"


def test_asked_again_an_order_number_replaces_the_kept_one(api: respx.MockRouter) -> None:
    """After a refusal the customer may have mistyped the order, not the email."""
    tracker = make_tracker(
        "10235",
        "inform",
        slots={"order_number": ORDER, "verify_failures": 1.0, "requested_slot": "contact"},
        after=[{"event": "slot", "timestamp": 1.0, "name": "contact", "value": "10235"}],
        active_loop="verify_form",
    )
    outcome = run(ValidateVerifyForm(), tracker)
    assert outcome.slots == {"order_number": "10235", "contact": None}
    assert outcome.messages == []


def test_the_third_failure_offers_a_person(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(401, json=error_json(FAILED))
    outcome = verify({"order_number": ORDER, "contact": "bob@example.com", "verify_failures": 2.0})
    assert outcome.slots["verify_failures"] == 3
    assert outcome.said("couldn't verify")
    assert outcome.said("colleague")
    assert outcome.pending == "handoff"
    assert outcome.buttons == ["/affirm", "/deny"]
    assert outcome.next_step == "none"
    assert outcome.slots["order_number"] is None and outcome.slots["contact"] is None
    assert sent(api) == [("POST", "/api/verifications")]


def test_a_lock_out_says_the_apis_message_and_offers_a_person(api: respx.MockRouter) -> None:
    message = (
        "Too many failed verification attempts. Please wait 15 minutes or ask for a human agent."
    )
    api.post("/api/verifications").respond(
        429, json=error_json(message, "rate_limited"), headers={"Retry-After": "900"}
    )
    outcome = verify({"order_number": ORDER, "contact": "bob@example.com"})
    assert outcome.texts[0] == message
    assert outcome.pending == "handoff"
    assert outcome.next_step == "none"
    assert outcome.slots["verify_failures"] == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        Response(500),
        Response(503, json=error_json("maintenance")),
        Response(200, text="<html>gateway</html>"),
    ],
    ids=["refused", "connect-timeout", "read-timeout", "500", "503", "not-json"],
)
def test_the_backend_down_apologises_and_hands_over(api: respx.MockRouter, failure: object) -> None:
    route = api.post("/api/verifications")
    if isinstance(failure, Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)
    handoff = api.post("/api/handoffs").respond(201, json=handoff_json(reason="backend_down"))
    outcome = verify({"order_number": ORDER, "contact": "ann@example.com"})
    assert outcome.texts[0] == DOWN
    assert handoff.call_count == 1
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "backend_down"
    assert outcome.slots["handed_off"] is True
    assert outcome.next_step == "none"
    assert "verify_failures" not in outcome.slots  # the customer did nothing wrong


def test_backend_and_handoff_down_still_answer(api: respx.MockRouter) -> None:
    api.post("/api/verifications").mock(side_effect=httpx.ConnectError("refused"))
    api.post("/api/handoffs").mock(side_effect=httpx.ConnectError("refused"))
    outcome = verify({"order_number": ORDER, "contact": "ann@example.com"})
    assert outcome.texts[0] == DOWN
    assert outcome.said("support@demo-shop.example")
    assert "handed_off" not in outcome.slots
    assert outcome.next_step == "none"


def test_an_unexpected_refusal_hands_over(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(409, json=error_json("conflict"))
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="other"))
    outcome = verify({"order_number": ORDER, "contact": "ann@example.com"})
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "other"
    assert outcome.texts
    assert outcome.next_step == "none"


# validate_verify_form
def validate(filled: dict[str, object], text: str, requested: str, slots=None):  # type: ignore[no-untyped-def]
    tracker = form_tracker("verify_form", filled, text, requested_slot=requested, slots=slots)
    return run(ValidateVerifyForm(), tracker)


ORDER_NUMBERS = [
    ("10234", "10234"),
    ("#10234", "10234"),
    ("order no. 10234", "10234"),
    ("order nr10234", "10234"),
    ("Order #10234!", "10234"),
    ("it's 10234 I think", "10234"),
    ("my order number is: 10234.", "10234"),
    ("😀 #10234 😀", "10234"),
    ("1234", "1234"),
    ("123456789012", "123456789012"),
]


@pytest.mark.parametrize(("text", "expected"), ORDER_NUMBERS)
def test_order_numbers_in_many_shapes(api: respx.MockRouter, text: str, expected: str) -> None:
    outcome = validate({"order_number": text}, text, "order_number")
    assert outcome.slots == {"order_number": expected}
    assert outcome.messages == []


def test_an_order_number_with_the_email_fills_both(api: respx.MockRouter) -> None:
    text = "order #10234, email Ann@Example.com"
    outcome = validate({"order_number": text}, text, "order_number")
    assert outcome.slots == {"order_number": "10234", "contact": "ann@example.com"}


def test_a_long_order_number_next_to_an_email_is_not_taken_for_a_phone(
    api: respx.MockRouter,
) -> None:
    text = "12345678, ann@example.com"
    outcome = validate({"order_number": text}, text, "order_number")
    assert outcome.slots == {"order_number": "12345678", "contact": "ann@example.com"}


def test_an_order_number_with_a_phone_fills_both(api: respx.MockRouter) -> None:
    text = "10234 +49 170 1234567"
    outcome = validate({"order_number": text}, text, "order_number")
    assert outcome.slots == {"order_number": "10234", "contact": "+49 170 1234567"}


def test_a_known_contact_is_not_replaced(api: respx.MockRouter) -> None:
    text = "10234 bob@example.com"
    outcome = validate(
        {"order_number": text}, text, "order_number", slots={"contact": "ann@example.com"}
    )
    assert outcome.slots == {"order_number": "10234"}


def test_the_entity_value_is_used_when_given(api: respx.MockRouter) -> None:
    outcome = validate({"order_number": "10234"}, "it is order number 10234 ok", "order_number")
    assert outcome.slots == {"order_number": "10234"}


JUNK_ORDER_NUMBERS = [
    "abc",
    "123",
    "I don't know",
    "",
    "10234 and 10235",
    "+49 170 1234567",
    "my phone is +49 170 1234567",
    "😀😀😀",
    "x" * 10_000,
]


@pytest.mark.parametrize("text", JUNK_ORDER_NUMBERS, ids=lambda t: t[:20] or "empty")
def test_junk_is_refused_as_an_order_number(api: respx.MockRouter, text: str) -> None:
    outcome = validate({"order_number": text}, text, "order_number")
    assert outcome.slots == {"order_number": None}
    assert outcome.said("doesn't look like an order number")


CONTACTS = [
    ("ann@example.com", "ann@example.com"),
    ("Ann@Example.COM", "ann@example.com"),
    ("my email is ann.smith+shop@mail.example.co.uk.", "ann.smith+shop@mail.example.co.uk"),
    ("+49 170 1234567", "+49 170 1234567"),
    ("+49 (0)30 1234-5678", "+49 (0)30 1234-5678"),
    ("+4917012345678", "+4917012345678"),
    ("0049 170 1234567", "0049 170 1234567"),
    ("call me on 0170 1234567", "0170 1234567"),
    ("(030) 1234 5678", "(030) 1234 5678"),
]


@pytest.mark.parametrize(("text", "expected"), CONTACTS)
def test_contacts_in_many_shapes(api: respx.MockRouter, text: str, expected: str) -> None:
    outcome = validate({"contact": text}, text, "contact")
    assert set(outcome.slots) == {"contact"}
    found = outcome.slots["contact"]
    if "@" in expected:
        assert found == expected
    else:  # the API compares phones by their digits
        assert found in text
        assert [c for c in found if c.isdigit()] == [c for c in expected if c.isdigit()]
    assert outcome.messages == []


JUNK_CONTACTS = [
    "ann@",
    "example.com",
    "ann at example dot com",
    "12345",
    "1234567",
    "no",
    "",
    "1" * 22,
    "☎️☎️☎️",
    "a" * 10_000,
]


@pytest.mark.parametrize("text", JUNK_CONTACTS, ids=lambda t: t[:20] or "empty")
def test_junk_is_refused_as_a_contact(api: respx.MockRouter, text: str) -> None:
    outcome = validate({"contact": text}, text, "contact")
    assert outcome.slots == {"contact": None}
    assert outcome.said("email address", "phone number")
