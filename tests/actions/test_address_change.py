"""The address change: the backend reads the typed address, the bot reads it back, a 422 says
which field is missing and the customer retypes, an address in the request is used."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from actions.confirmations import ActionConfirm
from actions.run_task import ActionRunTask, ValidateDetailsForm
from actions.tasks.address_change import address_in_request, parsed_slot
from tests.actions.helpers import (
    ORDER,
    TOKEN,
    VERIFIED,
    Outcome,
    address_json,
    address_slot,
    body,
    error_json,
    form_tracker,
    make_tracker,
    order_json,
    parsed_address_json,
    requests,
    run,
    sent,
    user_event,
    writes,
)

ORDER_PATH = f"/api/orders/{ORDER}"
PARSE_PATH = f"{ORDER_PATH}/shipping-address/parse"
NO_POSTAL = (
    "I couldn't find a postal code in that: “Hauptstraße 88 Heidelberg”. In Germany it has "
    "5 digits (like 69117); for another country, add its name."
)
HEIDELBERG = parsed_address_json(
    name="Ann Smith", line1="Hauptstraße 88", line2=None, postal_code="69117", city="Heidelberg"
)


def _validate(text: str, **slots: Any) -> Outcome:
    tracker = form_tracker(
        "details_form",
        {"new_address": text},
        text,
        requested_slot="new_address",
        slots={"task": "change_shipping_address", **slots},
    )
    return run(ValidateDetailsForm(), tracker)


def _verified_form(text: str) -> Outcome:
    return _validate(text, **VERIFIED)


def _run_task(history: list[dict[str, Any]] | None = None, **slots: Any) -> Outcome:
    tracker = make_tracker(
        "",
        "inform",
        verified=True,
        slots={"task": "change_shipping_address", **slots},
        history=history or [],
    )
    return run(ActionRunTask(), tracker)


def test_the_form_keeps_the_backends_reading(api: respx.MockRouter) -> None:
    api.post(PARSE_PATH).respond(json=HEIDELBERG)
    outcome = _verified_form("Hauptstraße 88, 69117 Heidelberg")
    assert parsed_slot(outcome.slots["new_address"]) == HEIDELBERG
    assert outcome.slots["requested_slot"] is None
    assert outcome.messages == []
    [request] = requests(api)
    assert body(request) == {"text": "Hauptstraße 88, 69117 Heidelberg"}
    assert request.headers["X-Verification-Token"] == TOKEN
    assert "Idempotency-Key" not in request.headers


def test_the_form_says_which_field_is_missing_and_asks_again(api: respx.MockRouter) -> None:
    api.post(PARSE_PATH).respond(422, json=error_json(NO_POSTAL, "address_postal_code_missing"))
    outcome = _verified_form("Hauptstraße 88 Heidelberg")
    assert outcome.slots == {"new_address": None, "requested_slot": "new_address"}
    assert outcome.texts == [f'{NO_POSTAL} Say "stop" to leave it.']


@pytest.mark.parametrize("down", ["503", "refused"])
def test_without_the_backend_the_form_keeps_the_text(api: respx.MockRouter, down: str) -> None:
    route = api.post(PARSE_PATH)
    if down == "refused":
        route.mock(side_effect=httpx.ConnectError("refused"))
    else:
        route.respond(503)
    outcome = _verified_form("Hauptstraße 88, 69117 Heidelberg")
    assert outcome.slots["new_address"] == "Hauptstraße 88, 69117 Heidelberg"
    assert outcome.messages == []


def test_a_read_address_is_read_back_without_asking_the_backend_again(
    api: respx.MockRouter,
) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    outcome = _run_task(new_address=address_slot())
    assert outcome.texts == [
        f"I'll change the delivery address of order {ORDER} to: Ann Smith, Gartenweg 3, "
        "2nd floor, 20095 Hamburg, Germany. Shall I?"
    ]
    assert outcome.pending == "address"
    assert outcome.buttons == ["/affirm", "/deny"]
    assert sent(api) == [("GET", ORDER_PATH)]


def test_typed_text_in_the_slot_is_read_first(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    api.post(PARSE_PATH).respond(json=HEIDELBERG)
    outcome = _run_task(new_address="Hauptstraße 88, 69117 Heidelberg")
    assert outcome.said("to: Ann Smith, Hauptstraße 88, 69117 Heidelberg, Germany. Shall I?")
    assert parsed_slot(outcome.slots["new_address"]) == HEIDELBERG
    assert outcome.pending == "address"


FIRST = "change the address of 10234 to Hauptstraße 88, 69117 Heidelberg"


def test_an_address_in_the_request_is_used(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    api.post(PARSE_PATH).respond(json=HEIDELBERG)
    history = [user_event(FIRST, "change_shipping_address"), user_event("ann@example.com")]
    outcome = _run_task(history)
    assert body(requests(api)[-1]) == {"text": "Hauptstraße 88, 69117 Heidelberg"}
    assert outcome.said(f"I'll change the delivery address of order {ORDER} to: Ann Smith")
    assert outcome.pending == "address"
    assert "next_step" not in outcome.slots or outcome.next_step == "none"


def test_an_unreadable_address_in_the_request_says_why_then_asks(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    api.post(PARSE_PATH).respond(422, json=error_json(NO_POSTAL, "address_postal_code_missing"))
    history = [user_event("change it to Hauptstraße 88 Heidelberg", "change_shipping_address")]
    outcome = _run_task(history)
    assert outcome.texts == [f'{NO_POSTAL} Say "stop" to leave it.']
    assert outcome.next_step == "details"
    assert outcome.slots["new_address"] is None
    assert "pending_confirmation" not in outcome.slots


def test_a_request_without_an_address_asks_for_it(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    history = [user_event("I need to change my delivery address", "change_shipping_address")]
    outcome = _run_task(history)
    assert outcome.next_step == "details"
    assert outcome.messages == []
    assert sent(api) == [("GET", ORDER_PATH)]


def test_a_yes_sends_the_fields_the_backend_read(api: respx.MockRouter) -> None:
    api.put(f"{ORDER_PATH}/shipping-address").respond(json=address_json())
    tracker = make_tracker(
        "yes",
        "affirm",
        verified=True,
        slots={
            "task": "change_shipping_address",
            "pending_confirmation": "address",
            "new_address": json.dumps(HEIDELBERG),
        },
    )
    run(ActionConfirm(), tracker)
    [request] = requests(api)
    assert body(request) == {
        "name": "Ann Smith",
        "line1": "Hauptstraße 88",
        "postal_code": "69117",
        "city": "Heidelberg",
        "country": "DE",
    }
    assert writes(api) == [("PUT", f"{ORDER_PATH}/shipping-address")]


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        (FIRST, "Hauptstraße 88, 69117 Heidelberg"),
        ("please send order #10234 to: Anna Weber, Hauptstr. 5, 10115 Berlin",
         "Anna Weber, Hauptstr. 5, 10115 Berlin"),
        ("I moved to Berlin, my new address is Hauptstr. 5, 10115 Berlin",
         "Hauptstr. 5, 10115 Berlin"),
        ("new address for 10234:\n10 Downing Street\nLondon SW1A 2AA",
         "10 Downing Street\nLondon SW1A 2AA"),
        ("change the address of 10234 to Hauptstraße 88, 69117 Heidelberg, my email is "
         "ann@example.com", "Hauptstraße 88, 69117 Heidelberg"),
        ("I need to change the address of order 10234", None),
        ("change my address to the one in Berlin", None),
        ("change the delivery address please", None),
    ],
)  # fmt: skip
def test_the_address_in_a_request(text: str, typed: str | None) -> None:
    events = [user_event(text, "change_shipping_address"), user_event("ann@example.com", "inform")]
    assert address_in_request(events, ORDER) == typed


def test_only_a_request_for_an_address_change_is_read() -> None:
    events = [user_event("send it to Hauptstr. 5, 10115 Berlin", "order_status")]
    assert address_in_request(events, ORDER) is None


@pytest.mark.parametrize(
    "value", [None, "", "Hauptstraße 88", "{not json", '{"address": "x", "text": "y"}', "[]"]
)
def test_only_the_backends_reading_counts_as_read(value: Any) -> None:
    assert parsed_slot(value) is None
