"""validate_details_form: which details a task asks for, and how each answer is read."""

from __future__ import annotations

from typing import Any

import pytest

from actions.run_task import ValidateDetailsForm
from tests.actions.helpers import Outcome, form_tracker, run


def validate(task: str, slot: str, text: str, **slots: Any) -> Outcome:
    tracker = form_tracker(
        "details_form", {slot: text}, text, requested_slot=slot, slots={"task": task, **slots}
    )
    return run(ValidateDetailsForm(), tracker)


def test_a_valid_address_is_kept_and_the_form_ends() -> None:
    text = "Ann Smith, Gartenweg 3, 20095 Hamburg, DE"
    outcome = validate("change_shipping_address", "new_address", text)
    assert outcome.slots == {"new_address": text, "requested_slot": None}
    assert outcome.messages == []


@pytest.mark.parametrize(
    "text",
    [
        "Gartenweg 3 Hamburg",
        "Ann Smith, Gartenweg, 20095 Hamburg, DE",
        "Ann Smith, Gartenweg 3, 20095 Hamburg, Germany",
        "Ann Smith, Gartenweg 3, Hamburg, DE",
        "a, b, c, d, e, f",
        "",
        "🏠🏠🏠",
        "Ann Smith, " + "x" * 10_000 + " 3, 20095 Hamburg, DE",
    ],
    ids=lambda t: t[:30] or "empty",
)
def test_an_unreadable_address_is_asked_again(text: str) -> None:
    outcome = validate("change_shipping_address", "new_address", text)
    assert outcome.slots == {"new_address": None, "requested_slot": "new_address"}
    assert outcome.said("couldn't read that as an address")


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("return_reason", "they're too small", "does_not_fit"),
        ("return_reason", "it arrived broken", "damaged"),
        ("return_reason", "you sent me the wrong colour", "wrong_item"),
        ("return_reason", "I changed my mind", "changed_mind"),
        ("return_reason", "it took too long to arrive", "late_delivery"),
        ("return_reason", "no particular reason", "other"),
        ("return_reason", "does_not_fit", "does_not_fit"),
        ("item_condition", "still sealed", "unopened"),
        ("item_condition", "tried it on once", "like_new"),
        ("item_condition", "worn a few times", "used"),
        ("item_condition", "it's cracked", "damaged"),
        ("resolution", "I'd like my money back", "refund"),
        ("resolution", "a bigger size please", None),
        ("resolution", "swap it for another size", "exchange"),
        ("resolution", "a voucher is fine", "store_credit"),
    ],
)
def test_return_details(slot: str, text: str, expected: str | None) -> None:
    outcome = validate("return_item", slot, text, item="sneakers")
    assert outcome.slots[slot] == expected


def test_an_unreadable_condition_is_asked_again() -> None:
    outcome = validate(
        "return_item", "item_condition", "dunno", item="sneakers", return_reason="other"
    )
    assert outcome.slots == {"item_condition": None, "requested_slot": "item_condition"}
    assert outcome.said("unopened, like new, used or damaged")


def test_an_unreadable_resolution_is_asked_again() -> None:
    outcome = validate("return_item", "resolution", "whatever", item="sneakers")
    assert outcome.slots["resolution"] is None
    assert outcome.said("a refund, an exchange or store credit")


def test_the_form_asks_the_return_details_in_order() -> None:
    outcome = validate("return_item", "item", "the sneakers")
    assert outcome.slots == {"item": "the sneakers", "requested_slot": "return_reason"}


def test_a_long_item_name_is_clipped() -> None:
    outcome = validate("return_item", "item", "x" * 10_000)
    assert len(outcome.slots["item"]) == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("product quality", "product_quality"),
        ("logistics", "logistics"),
        ("after-sales service", "after_sales"),
        ("payment", "payment"),
        ("the staff were rude", "after_sales"),
        ("the courier never came", "logistics"),
        ("something else", "other"),
        ("🤷", "other"),
    ],
)
def test_complaint_category(text: str, expected: str) -> None:
    outcome = validate("complaint", "complaint_category", text)
    assert outcome.slots["complaint_category"] == expected
    assert outcome.slots["requested_slot"] == "complaint_description"


@pytest.mark.parametrize("text", ["", "ok", "  "])
def test_a_too_short_complaint_is_asked_again(text: str) -> None:
    outcome = validate("complaint", "complaint_description", text, complaint_category="other")
    assert outcome.slots["complaint_description"] is None
    assert outcome.said("tell me a bit more")


def test_a_long_complaint_is_kept_up_to_5000_characters() -> None:
    outcome = validate(
        "complaint", "complaint_description", "😡" * 10_000, complaint_category="other"
    )
    assert len(outcome.slots["complaint_description"]) == 5000
    assert outcome.slots["requested_slot"] is None


@pytest.mark.parametrize(
    ("task", "required"),
    [
        ("order_status", []),
        ("change_shipping_address", ["new_address"]),
        ("return_item", ["item", "return_reason", "item_condition", "resolution"]),
        ("exchange_item", ["item", "return_reason", "item_condition", "resolution"]),
        ("complaint", ["complaint_category", "complaint_description"]),
        ("None", []),
    ],
)
def test_required_slots_follow_the_task(task: str, required: list[str]) -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from tests.actions.helpers import DOMAIN, make_tracker

    tracker = make_tracker("", slots={"task": task})
    found = asyncio.run(
        ValidateDetailsForm().required_slots([], CollectingDispatcher(), tracker, DOMAIN)
    )
    assert found == required
