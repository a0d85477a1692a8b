"""Exchanges: the eligibility of an exchange (its own, longer window), what the customer wants
instead (size and/or colour, kept as the return's note), and a refused return that an exchange
can still replace."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from actions.confirmations import ActionConfirm, ActionDecline
from actions.tasks import exchanges
from tests.actions.helpers import body, eligibility_json, only, requests, return_json, writes
from tests.actions.order_lines_data import (
    DETAILS,
    ELIGIBILITY_PATH,
    RETURNS_PATH,
    answer,
    backend,
    lines_eligibility,
    request_history,
    run_task,
)

EXCHANGE: dict[str, Any] = {**DETAILS, "resolution": "exchange"}
WINDOW_CLOSED = "Order 10234 was delivered 40 days ago; returns are accepted within 30 days."


def test_an_exchange_asks_the_eligibility_of_an_exchange(api: respx.MockRouter) -> None:
    backend(api)
    run_task(task="exchange_item", item="hoodie")
    [request] = requests(api)
    assert request.url.path == ELIGIBILITY_PATH
    assert request.url.params["resolution"] == "exchange"


def test_a_return_asks_the_eligibility_of_a_refund(api: respx.MockRouter) -> None:
    backend(api)
    run_task(item="hoodie")
    assert "resolution" not in requests(api)[0].url.params


def test_an_exchange_asks_what_instead_after_the_details(api: respx.MockRouter) -> None:
    backend(api)
    outcome = run_task(task="exchange_item", item="hoodie", **EXCHANGE)
    assert outcome.next_step == "details"
    assert "pending_confirmation" not in outcome.slots


def test_the_wish_in_the_request_needs_no_question(api: respx.MockRouter) -> None:
    backend(api)
    history = request_history("I want to exchange the hoodie for a size L", "exchange_item")
    outcome = run_task(task="exchange_item", history=history, item="hoodie", **EXCHANGE)
    assert outcome.slots["exchange_for"] == "size L"
    assert outcome.texts == [
        "Shall I open a return of 1 × Zip hoodie, black, M from order 10234 (reason: does not "
        "fit, condition: like new) for an exchange (size L instead)?"
    ]


def test_a_yes_sends_the_wish_as_the_note(api: respx.MockRouter) -> None:
    backend(api)
    api.post(RETURNS_PATH).respond(201, json=return_json())
    slots = {"task": "exchange_item", **EXCHANGE, "exchange_for": "size L, blue"}
    outcome = answer(ActionConfirm, "yes", "return", item="1 × Zip hoodie, black, M", **slots)
    assert body(only(api, "POST", RETURNS_PATH)) == {
        "items": [{"item_id": 13, "quantity": 1}],
        "reason": "does_not_fit",
        "condition": "like_new",
        "resolution": "exchange",
        "note": "Exchange for: size L, blue",
    }
    assert only(api, "GET", ELIGIBILITY_PATH).url.params["resolution"] == "exchange"
    assert outcome.said("RMA-10234-1", "You asked for: size L, blue.")
    assert outcome.slots["exchange_for"] is None


def test_an_exchange_inside_its_window_is_not_refused(api: respx.MockRouter) -> None:
    """Return window closed, exchange window open: the API says eligible for the exchange."""
    api.get(ELIGIBILITY_PATH, params={"resolution": "exchange"}).respond(json=lines_eligibility())
    api.get(ELIGIBILITY_PATH).respond(
        json=eligibility_json(eligible=False, reason=WINDOW_CLOSED, code="outside_return_window")
    )
    outcome = run_task(task="exchange_item", item="hoodie", **EXCHANGE, exchange_for="size L")
    assert outcome.said("Shall I open a return of 1 × Zip hoodie, black, M")
    assert not outcome.said("returns are accepted within 30 days")


def test_a_return_outside_its_window_offers_the_exchange(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH, params={"resolution": "exchange"}).respond(
        json=lines_eligibility(window_days=45)
    )
    api.get(ELIGIBILITY_PATH).respond(
        json=eligibility_json(eligible=False, reason=WINDOW_CLOSED, code="outside_return_window")
    )
    outcome = run_task(item="hoodie", return_reason="does_not_fit")
    assert outcome.texts == [
        WINDOW_CLOSED,
        "An exchange is still possible (exchanges are accepted within 45 days). Shall I start "
        "an exchange instead?",
    ]
    assert outcome.pending == "exchange_instead"
    switched = answer(ActionConfirm, "yes", "exchange_instead", item="hoodie")
    assert switched.slots["task"] == "exchange_item"
    assert "item" not in switched.slots  # kept for the exchange
    assert switched.slots["resolution"] is None  # a refund no more
    assert switched.next_step == "run"
    assert writes(api) == []


@pytest.mark.parametrize(
    ("text", "strict", "expected"),
    [
        ("I want to exchange the blue sneakers", True, None),
        ("exchange my hoodie for a size M", True, "size M"),
        ("can I exchange an item for a different size", True, None),
        ("the shoes in EU 43 please", True, "size 43"),
        ("jeans 32/34", False, "size 32/34"),
        ("a smaller size", False, "one size down"),
        ("no", False, "the same item again"),
        ("💙", False, None),
        ("x" * 10_000, False, "x" * 199 + "…"),
    ],
)
def test_reading_the_wish(text: str, strict: bool, expected: str | None) -> None:
    assert exchanges.wish(text, strict=strict) == expected


HOODIE_EXCHANGE: dict[str, Any] = {
    "task": "exchange_item",
    **EXCHANGE,
    "item": "1 × Zip hoodie, black, M",
}


def test_no_another_size_asks_again_with_it(api: respx.MockRouter) -> None:
    backend(api)
    outcome = answer(
        ActionDecline, "no, a size L", "return", **HOODIE_EXCHANGE, exchange_for="size M"
    )
    assert outcome.said("for an exchange (size L instead)?")
    assert outcome.pending == "return_revised"
    assert writes(api) == []


def test_no_i_want_an_exchange_asks_what_instead(api: respx.MockRouter) -> None:
    backend(api)
    refund = {**HOODIE_EXCHANGE, "task": "return_item", "resolution": "refund"}
    outcome = answer(ActionDecline, "no, I want to exchange it", "return", **refund)
    assert outcome.responses == ["utter_ask_exchange_for"]
    assert outcome.slots["resolution"] == "exchange"
    assert outcome.pending == "return_change"
    then = run_task(
        "in blue", pending_confirmation="return_change", **{**refund, "resolution": "exchange"}
    )
    assert then.slots["exchange_for"] == "blue"
    assert then.said("for an exchange (blue instead)?")
    assert then.pending == "return_revised"
