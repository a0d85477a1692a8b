"""Returns of one line, several lines or a number of a line ("one of the two candles"); how many
is asked when the customer bought several; a "no" asks what to change, a second "no" stops;
counts of 0 or more than bought, items not on the order, emoji and 10,000 characters get a
clear answer and nothing is written."""

from __future__ import annotations

import pytest
import respx

from actions.confirmations import ActionConfirm, ActionDecline
from actions.run_task import ValidateDetailsForm
from actions.tasks.return_changes import ASK_CHANGE, LEFT
from tests.actions.helpers import DOMAIN, body, form_tracker, only, return_json, run, sent, writes
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

CANDLE_NAME = "Scented candle, cedarwood"
ASKED_1_CANDLE = (
    f"Shall I open a return of 1 × {CANDLE_NAME} from order 10234 (reason: does not fit, "
    "condition: like new) for a refund?"
)


@pytest.mark.parametrize(
    ("request_text", "item", "what"),
    [
        ("return one of the two candles", "candles", f"1 × {CANDLE_NAME}"),
        ("I want to return just one candle", "candle", f"1 × {CANDLE_NAME}"),
        ("can I send back 2 of the mugs", "mugs", "2 × Ceramic mug, white, 350 ml"),
        ("return the hoodie", "hoodie", "1 × Zip hoodie, black, M"),
        (
            "I'd like to return 1 candle and 2 mugs",
            "candle",
            f"1 × {CANDLE_NAME}, 2 × Ceramic mug, white, 350 ml",
        ),
        (
            "return everything",
            "all of it",
            f"2 × {CANDLE_NAME}, 3 × Ceramic mug, white, 350 ml, 1 × Zip hoodie, black, M",
        ),
    ],
)
def test_the_confirmation_says_exactly_what_is_returned(
    api: respx.MockRouter, request_text: str, item: str, what: str
) -> None:
    backend(api)
    outcome = run_task(history=request_history(request_text), item=item, **DETAILS)
    assert outcome.texts == [
        f"Shall I open a return of {what} from order 10234 (reason: does not fit, "
        "condition: like new) for a refund?"
    ]
    assert outcome.pending == "return"
    assert writes(api) == []
    if item == "all of it":
        assert outcome.slots["item"] == (
            f"2 × {CANDLE_NAME}; 3 × Ceramic mug, white, 350 ml; 1 × Zip hoodie, black, M"
        )


def test_several_bought_and_no_count_asks_how_many_first(api: respx.MockRouter) -> None:
    backend(api)
    outcome = run_task(history=request_history("I want to return the candles"), item="candles")
    assert outcome.slots["return_quantity_of"] == f"2 × {CANDLE_NAME}"
    assert outcome.slots["item"] == CANDLE_NAME
    assert outcome.next_step == "details"
    question = DOMAIN["responses"]["utter_ask_return_quantity"][-1]["text"]
    assert question.format(return_quantity_of=outcome.slots["return_quantity_of"]) == (
        f"How many of the 2 × {CANDLE_NAME} do you want to return?"
    )
    # the form asks it before the reason, the condition and the resolution
    form = form_tracker(
        "details_form",
        {"return_quantity": "1"},
        "1",
        requested_slot="return_quantity",
        slots={
            "task": "return_item",
            **{k: v for k, v in outcome.slots.items() if k != "next_step"},
        },
    )
    validated = run(ValidateDetailsForm(), form)
    assert validated.slots == {"return_quantity": 1, "requested_slot": None}
    then = run_task(item=CANDLE_NAME, return_quantity_of=f"2 × {CANDLE_NAME}", return_quantity=1)
    assert then.slots["item"] == f"1 × {CANDLE_NAME}"
    assert then.slots["return_quantity_of"] is None
    assert then.next_step == "details"  # now the reason and the rest
    done = run_task(item=f"1 × {CANDLE_NAME}", **DETAILS)
    assert done.texts == [ASKED_1_CANDLE]


def test_a_yes_returns_the_count_asked_about(api: respx.MockRouter) -> None:
    backend(api)
    create = api.post(RETURNS_PATH).respond(201, json=return_json())
    outcome = answer(ActionConfirm, "yes", "return", item=f"1 × {CANDLE_NAME}")
    assert create.call_count == 1
    assert body(only(api, "POST", RETURNS_PATH))["items"] == [{"item_id": 11, "quantity": 1}]
    assert outcome.said("your return number (RMA) is RMA-10234-1")


def test_no_just_one_asks_again_with_one(api: respx.MockRouter) -> None:
    backend(api)
    outcome = answer(ActionDecline, "no, just one", "return", item=f"2 × {CANDLE_NAME}")
    assert outcome.texts == [ASKED_1_CANDLE]
    assert outcome.pending == "return_revised"
    assert outcome.slots["item"] == f"1 × {CANDLE_NAME}"
    assert writes(api) == []


def test_a_plain_no_asks_what_to_change_and_a_second_no_stops(api: respx.MockRouter) -> None:
    first = answer(ActionDecline, "no", "return", item=f"2 × {CANDLE_NAME}")
    assert first.texts == [ASK_CHANGE]
    assert first.pending == "return_change"
    assert first.next_step == "none"
    assert sent(api) == []  # a plain "no" needs no lookup
    second = answer(ActionDecline, "no", "return_change", item=f"2 × {CANDLE_NAME}")
    assert second.texts == [LEFT]
    assert second.slots["item"] is None
    assert second.pending == "anything_else"
    assert sent(api) == []


@pytest.mark.parametrize("pending", ["return_change", "return"])  # "return": read as inform
def test_the_change_answers_the_question_what_to_change(
    api: respx.MockRouter, pending: str
) -> None:
    backend(api)
    outcome = run_task(
        "just one", pending_confirmation=pending, item=f"2 × {CANDLE_NAME}", **DETAILS
    )
    assert outcome.texts == [ASKED_1_CANDLE]
    assert outcome.pending == "return_revised"
    # a "no" to the changed question stops: no third question
    stop = answer(ActionDecline, "no", "return_revised", item=f"1 × {CANDLE_NAME}")
    assert stop.texts == [LEFT]
    assert writes(api) == []


def test_only_the_mug_instead(api: respx.MockRouter) -> None:
    backend(api)
    outcome = answer(ActionDecline, "no, only 2 of the mugs", "return", item=f"2 × {CANDLE_NAME}")
    assert outcome.said("Shall I open a return of 2 × Ceramic mug, white, 350 ml from order")
    assert outcome.pending == "return_revised"


def test_a_yes_with_another_count_asks_again_instead_of_writing(api: respx.MockRouter) -> None:
    backend(api)
    outcome = answer(ActionConfirm, "yes, but just one", "return", item=f"2 × {CANDLE_NAME}")
    assert outcome.texts == [ASKED_1_CANDLE]
    assert writes(api) == []


@pytest.mark.parametrize(
    ("item", "said"),
    [
        ("5 candles", f"You ordered 2 × {CANDLE_NAME}, so you can return at most 2."),
        ("0 candles", f"A return needs at least 1 × {CANDLE_NAME}."),
    ],
)
def test_a_count_that_cant_be_returned_says_why_and_asks_how_many(
    api: respx.MockRouter, item: str, said: str
) -> None:
    backend(api)
    outcome = run_task(item=item, **DETAILS)
    assert outcome.texts == [said]
    assert outcome.slots["return_quantity_of"] == f"2 × {CANDLE_NAME}"
    assert outcome.next_step == "details"
    assert writes(api) == []


def test_a_count_beyond_what_is_left_mentions_the_earlier_return(api: respx.MockRouter) -> None:
    data = lines_eligibility()
    data["items"][0]["returnable_quantity"] = 1
    api.get(ELIGIBILITY_PATH).respond(json=data)
    outcome = run_task(item="2 candles", **DETAILS)
    assert outcome.texts == [  # 1 of 1 left: no need to ask how many
        f"You ordered 2 × {CANDLE_NAME} (1 already in a return), so you can return at most 1.",
        ASKED_1_CANDLE,
    ]


LISTING = (
    "These items of order 10234 can be returned: 2 × Scented candle, cedarwood, "
    "3 × Ceramic mug, white, 350 ml, 1 × Zip hoodie, black, M."
)


@pytest.mark.parametrize(
    ("item", "said"),
    [
        ("the lawnmower", f'I can\'t find "lawnmower" in order 10234. {LISTING}'),
        ("🕯️🕯️🕯️", LISTING),
        ("x" * 10_000, f'I can\'t find "{"x" * 59}…" in order 10234. {LISTING}'),
    ],
    ids=["not-on-the-order", "emoji", "10k"],
)
def test_an_item_not_on_the_order_lists_what_is(
    api: respx.MockRouter, item: str, said: str
) -> None:
    backend(api)
    outcome = run_task(item=item, **DETAILS)
    assert outcome.texts == [said]
    assert outcome.slots["item"] is None
    assert outcome.next_step == "details"
    assert writes(api) == []


def test_two_lines_with_one_name_ask_which(api: respx.MockRouter) -> None:
    backend(api)
    outcome = answer(
        ActionDecline,
        "no, just one",
        "return",
        item=f"2 × {CANDLE_NAME}; 3 × Ceramic mug, white, 350 ml",
    )
    assert outcome.texts == [f"Which one do you mean: {CANDLE_NAME} or Ceramic mug, white, 350 ml?"]
    assert outcome.pending == "return_change"
    assert writes(api) == []


def test_a_no_that_corrects_several_things(api: respx.MockRouter) -> None:
    backend(api)
    item = f"2 × {CANDLE_NAME}; 3 × Ceramic mug, white, 350 ml"
    text = "No: not the mug, only 1 of the candle, I want store credit."
    outcome = answer(ActionDecline, text, "return", item=item)
    assert outcome.texts == [ASKED_1_CANDLE.replace("a refund", "store credit")]
    assert outcome.slots["resolution"] == "store_credit"
    assert outcome.pending == "return_revised"


def test_not_the_mug_keeps_the_rest(api: respx.MockRouter) -> None:
    backend(api)
    item = f"1 × {CANDLE_NAME}; 3 × Ceramic mug, white, 350 ml"
    outcome = answer(ActionDecline, "no, not the mug", "return", item=item)
    assert outcome.texts == [ASKED_1_CANDLE]


def test_a_reason_entity_that_says_nothing_alone_is_read_from_the_message_or_asked() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.tasks.returns import normalise_details
    from actions.turn import Turn
    from tests.actions.helpers import make_tracker

    said = make_tracker(
        "the description was misleading", "return_item", slots={"return_reason": "misleading"}
    )
    turn = Turn(CollectingDispatcher(), said)
    normalise_details(turn)
    assert {e["name"]: e["value"] for e in turn.events} == {"return_reason": "not_as_described"}

    unclear = make_tracker("meh", "return_item", slots={"return_reason": "meh"})
    turn = Turn(CollectingDispatcher(), unclear)
    normalise_details(turn)
    assert {e["name"]: e["value"] for e in turn.events} == {"return_reason": None}
