"""A refused return stays refused: insisting ("but I really want to return it", "yes please
return it", "please") gets a short explanation and the offer of a person, never a question to
open the refused return, and no loop."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from actions.confirmations import ActionConfirm
from tests.actions.helpers import (
    ORDER,
    body,
    bot_event,
    eligibility_json,
    handoff_json,
    only,
    sent,
    user_event,
    writes,
)
from tests.actions.order_lines_data import (
    FINAL_SALE,
    answer,
    backend,
    request_history,
    run_task,
)

ANYTHING_ELSE = "Is there anything else I can help you with?"
STILL = (
    "(These items can still be returned: 2 × Scented candle, cedarwood, "
    "3 × Ceramic mug, white, 350 ml, 1 × Zip hoodie, black, M.)"
)
INSIST = (
    f"I understand, and I'm sorry. {FINAL_SALE} I can't make an exception myself, but a "
    "colleague can look at it with you."
)


def _refused(**changes: Any) -> dict[str, Any]:
    record = {"order": ORDER, "items": ["Swimsuit, blue, 38"], "reason": FINAL_SALE}
    return {**record, "resolution": "refund", "times": 0, **changes}


def _asks_to_open_a_return(texts: list[str]) -> bool:
    return any("shall i open a return" in t.lower() for t in texts)


def test_a_final_sale_item_is_refused_with_the_reason(api: respx.MockRouter) -> None:
    backend(api)
    outcome = run_task(history=request_history("I want to return the swimsuit"), item="swimsuit")
    assert outcome.texts[0].startswith(FINAL_SALE)
    assert "These items of order 10234 can be returned: 2 × Scented candle" in outcome.texts[0]
    assert outcome.slots["return_refused"] == _refused()
    assert outcome.pending == "anything_else"
    assert not _asks_to_open_a_return(outcome.texts)


@pytest.mark.parametrize(
    "text", ["but I really want to return it", "please return it!", "return it anyway"]
)
def test_asking_again_offers_a_person(api: respx.MockRouter, text: str) -> None:
    backend(api)
    outcome = run_task(
        text,
        "return_item",
        history=request_history(text),
        return_refused=_refused(),
    )
    assert outcome.texts == [f"{INSIST} {STILL} Shall I pass you to a person?"]
    assert outcome.pending == "handoff"
    assert outcome.slots["return_refused"]["times"] == 1
    assert writes(api) == []
    again = run_task(
        text, "return_item", history=request_history(text), return_refused=_refused(times=1)
    )
    assert again.texts == [
        f"I'm sorry, I can't open that return myself. {STILL} Shall I pass you to a person?"
    ]
    assert not _asks_to_open_a_return(again.texts)


def test_another_item_is_still_returned(api: respx.MockRouter) -> None:
    backend(api)
    outcome = run_task(
        history=request_history("ok then the hoodie"),
        item="hoodie",
        return_reason="changed_mind",
        item_condition="unopened",
        resolution="refund",
        return_refused=_refused(),
    )
    assert outcome.said("Shall I open a return of 1 × Zip hoodie, black, M")


REFUSAL_REPLY = [
    user_event("I want to return the swimsuit", "return_item"),
    bot_event(f"{FINAL_SALE} These items of order 10234 can be returned: ..."),
    bot_event(ANYTHING_ELSE),
]


@pytest.mark.parametrize("text", ["yes", "yes please return it", "please"])
def test_a_yes_right_after_the_refusal_is_insisting(api: respx.MockRouter, text: str) -> None:
    outcome = answer(
        ActionConfirm, text, "anything_else", history=REFUSAL_REPLY, return_refused=_refused()
    )
    assert outcome.texts == [f"{INSIST} Shall I pass you to a person?"]
    assert outcome.pending == "handoff"
    assert sent(api) == []
    api.post("/api/handoffs").respond(201, json=handoff_json())
    person = answer(ActionConfirm, "yes", "handoff", history=REFUSAL_REPLY)
    assert person.said("passed you to a colleague")
    assert body(only(api, "POST", "/api/handoffs"))["reason"] == "requested"


def test_a_yes_later_is_a_yes_to_anything_else(api: respx.MockRouter) -> None:
    later = [*REFUSAL_REPLY, user_event("what is your address", "ask_policy"), bot_event("...")]
    outcome = answer(
        ActionConfirm, "yes", "anything_else", history=later, return_refused=_refused()
    )
    assert outcome.responses == ["utter_what_else"]


def test_a_closed_window_stays_closed(api: respx.MockRouter) -> None:
    reason = "Order 10234 was delivered 50 days ago; returns are accepted within 30 days."
    api.get(f"/api/orders/{ORDER}/return-eligibility").respond(
        json=eligibility_json(eligible=False, reason=reason, code="outside_return_window")
    )
    first = run_task(history=request_history("return my order"))
    assert first.texts == [reason]  # and no exchange: its window is closed too
    refused = first.slots["return_refused"]
    assert refused == {**_refused(items=[], reason=reason)}
    insisting = run_task(
        "but I want to return it",
        "return_item",
        history=request_history("but I want to return it"),
        return_refused=refused,
    )
    assert insisting.texts == [
        f"I understand, and I'm sorry. {reason} I can't make an exception myself, but a "
        "colleague can look at it with you. Shall I pass you to a person?"
    ]
    assert insisting.pending == "handoff"
    assert writes(api) == []


def test_a_refusal_for_another_order_is_not_this_orders(api: respx.MockRouter) -> None:
    backend(api)
    outcome = run_task(
        history=request_history("return the candles"),
        item="hoodie",
        return_refused=_refused(order="10555"),
    )
    assert outcome.slots["item"] == "1 × Zip hoodie, black, M"
