"""validate_details_form: which details a task asks for, and how each answer is read."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.run_task import ASK_REASON_AGAIN, ValidateDetailsForm
from tests.actions.helpers import (
    DOMAIN,
    Outcome,
    bot_event,
    form_tracker,
    make_tracker,
    run,
    user_event,
)


def validate(task: str, slot: str, text: str, **slots: Any) -> Outcome:
    tracker = form_tracker(
        "details_form", {slot: text}, text, requested_slot=slot, slots={"task": task, **slots}
    )
    return run(ValidateDetailsForm(), tracker)


# The address answer: tests/actions/test_address_change.py


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("return_reason", "they're too small", "does_not_fit"),
        ("return_reason", "it arrived broken", "damaged"),
        ("return_reason", "you sent me the wrong colour", "wrong_item"),
        ("return_reason", "I changed my mind", "changed_mind"),
        ("return_reason", "it took too long to arrive", "late_delivery"),
        ("return_reason", "no particular reason", "other"),
        ("return_reason", "it came way too late", "late_delivery"),
        ("return_reason", "only need one", "changed_mind"),
        ("return_reason", "I ordered too many", "changed_mind"),
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
    outcome = validate("return_item", slot, text, item="1 × Blue Sneakers")
    assert outcome.slots[slot] == expected


def test_an_unreadable_reason_is_asked_again_with_the_choices() -> None:
    outcome = validate("return_item", "return_reason", "hmm well", item="1 × Blue Sneakers")
    assert outcome.slots["return_reason"] is None  # the form asks again, with the choices
    assert outcome.said("couldn't tell the reason")


def test_only_an_answer_to_the_second_question_is_noted_as_other() -> None:
    tracker = form_tracker(
        "details_form",
        {"return_reason": "my cat hates it"},
        "my cat hates it",
        requested_slot="return_reason",
        slots={"task": "return_item", "item": "1 × Blue Sneakers"},
    )
    # the turn before: the customer's first answer, the bot's "couldn't tell" and its question
    tracker.events[:0] = [
        user_event("my cat is weird", "inform"),
        bot_event(ASK_REASON_AGAIN),
        bot_event("What is the reason for the return?"),
    ]
    outcome = run(ValidateDetailsForm(), tracker)
    assert outcome.slots["return_reason"] == "other"
    assert outcome.messages == []


def test_a_reason_asked_again_long_ago_is_asked_again_now() -> None:
    """Only the bot's last turn counts: an earlier return's re-asked reason does not make
    this one `other` unasked."""
    tracker = form_tracker(
        "details_form",
        {"return_reason": "hmm"},
        "hmm",
        requested_slot="return_reason",
        slots={"task": "return_item", "item": "1 × Blue Sneakers"},
    )
    tracker.events[:0] = [
        bot_event(ASK_REASON_AGAIN),
        user_event("too small", "inform"),
        bot_event("What is the reason for the return?"),
    ]
    outcome = run(ValidateDetailsForm(), tracker)
    assert outcome.slots["return_reason"] is None


def test_an_unreadable_condition_is_asked_again() -> None:
    outcome = validate(
        "return_item", "item_condition", "dunno", item="1 × Blue Sneakers", return_reason="other"
    )
    assert outcome.slots == {"item_condition": None, "requested_slot": "item_condition"}
    assert outcome.said("unopened, like new, used or damaged")


def test_an_unreadable_resolution_is_asked_again() -> None:
    outcome = validate("return_item", "resolution", "whatever", item="1 × Blue Sneakers")
    assert outcome.slots["resolution"] is None
    assert outcome.said("a refund, an exchange or store credit")


def test_the_item_is_checked_against_the_order_before_anything_else_is_asked() -> None:
    outcome = validate("return_item", "item", "the sneakers")
    assert outcome.slots == {"item": "the sneakers", "requested_slot": None}


def test_the_form_asks_the_return_details_in_order() -> None:
    outcome = validate("return_item", "item", "1 × Blue Sneakers")
    assert outcome.slots == {"item": "1 × Blue Sneakers", "requested_slot": "return_reason"}


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


SETTLED = {"item": "1 × Blue Sneakers"}
DETAILS = ["item", "return_reason", "item_condition", "resolution"]


@pytest.mark.parametrize(
    ("task", "slots", "required"),
    [
        ("order_status", {}, []),
        ("change_shipping_address", {}, ["new_address"]),
        ("return_item", {}, ["item"]),
        ("return_item", {"item": "the candles"}, ["item"]),
        ("return_item", SETTLED, DETAILS),
        ("return_item", {**SETTLED, "resolution": "swap it please"}, [*DETAILS, "exchange_for"]),
        (
            "return_item",
            {"item": "Scented candle", "return_quantity_of": "2 × Scented candle"},
            ["item", "return_quantity"],
        ),
        ("exchange_item", SETTLED, [*DETAILS, "exchange_for"]),
        ("complaint", {}, ["complaint_category", "complaint_description"]),
        ("None", {}, []),
    ],
)
def test_required_slots_follow_the_task(
    task: str, slots: dict[str, Any], required: list[str]
) -> None:
    import asyncio

    from tests.actions.helpers import make_tracker

    tracker = make_tracker("", slots={"task": task, **slots})
    found = asyncio.run(
        ValidateDetailsForm().required_slots([], CollectingDispatcher(), tracker, DOMAIN)
    )
    assert found == required


@pytest.mark.parametrize(
    ("text", "expected", "said"),
    [
        ("1", 1, None),
        ("just one", 1, None),
        ("both", 2, None),
        ("all of them", 2, None),
        ("0", None, "A return needs at least 1. Please pick a number from 1 to 2."),
        ("5", None, "You can return at most 2."),
        ("🕯️🕯️", None, "Please answer with a number from 1 to 2."),
        ("x" * 10_000, None, "Please answer with a number from 1 to 2."),
    ],
    ids=lambda v: str(v)[:20],
)
def test_how_many(text: str, expected: int | None, said: str | None) -> None:
    outcome = validate(
        "return_item",
        "return_quantity",
        text,
        item="Scented candle",
        return_quantity_of="2 × Scented candle",
    )
    assert outcome.slots["return_quantity"] == expected
    assert outcome.texts == ([said] if said else [])
    assert outcome.slots["requested_slot"] == (None if expected else "return_quantity")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a size M", "size M"),
        ("in blue please", "blue"),
        ("one size up", "one size up"),
        ("size L in black", "size L, black"),
        ("EU 43", "size 43"),
        ("the same one, mine is broken", "the same item again"),
        ("something warmer", "something warmer"),
        ("🙂", None),
    ],
)
def test_the_exchange_wish(text: str, expected: str | None) -> None:
    details = {"return_reason": "does_not_fit", "item_condition": "like_new"}
    outcome = validate(
        "exchange_item", "exchange_for", text, **SETTLED, **details, resolution="exchange"
    )
    assert outcome.slots["exchange_for"] == expected
    if expected is None:
        assert outcome.said('the size or colour you\'d like instead (for example "size M"')
        assert outcome.slots["requested_slot"] == "exchange_for"


LINES = "1 × Leather sneakers, white, EU 42"


def _restarted_form(*, settled_by: str) -> Tracker:
    """The form starting again in the turn whose message the task already read: Rasa has
    extracted the message's raw "sneakers" again at activation, after the task's own answer."""
    after = [
        {"event": "slot", "timestamp": 1.0, "name": "item", "value": "sneakers"},
        {"event": "action", "timestamp": 1.0, "name": settled_by},
        {"event": "slot", "timestamp": 1.0, "name": "item", "value": LINES},
        {"event": "active_loop", "timestamp": 1.0, "name": "details_form"},
        {"event": "slot", "timestamp": 1.0, "name": "item", "value": "sneakers"},
        {"event": "slot", "timestamp": 1.0, "name": "requested_slot", "value": None},
        {"event": "action", "timestamp": 1.0, "name": "details_form"},
    ]
    slots = {"task": "return_item", "item": "sneakers", "requested_slot": None}
    return make_tracker(
        "Leather sneakers, white, EU 42", "inform", slots=slots, after=after,
        active_loop="details_form",
    )  # fmt: skip


def test_a_restarted_form_keeps_the_lines_the_task_settled_this_turn() -> None:
    outcome = run(ValidateDetailsForm(), _restarted_form(settled_by="action_run_task"))
    assert outcome.slots["item"] == LINES
    assert outcome.slots["requested_slot"] == "return_reason"


def test_lines_from_an_earlier_turn_give_way_to_what_the_customer_says_now() -> None:
    tracker = _restarted_form(settled_by="action_listen")  # not a task's answer
    outcome = run(ValidateDetailsForm(), tracker)
    assert "item" not in outcome.slots or outcome.slots["item"] != LINES
