"""The ticket the bot opens carries the customer's own words about the problem (never a message
that only held contact data, an order number or a "yes"), the bot's promise and the links."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from actions.confirmations import ActionConfirm
from actions.tasks import problem_words
from actions.tasks.problems import DAMAGE_PROMISE
from tests.actions.helpers import (
    CONVERSATION,
    ORDER,
    body,
    bot_event,
    make_tracker,
    only,
    run,
    ticket_json,
    user_event,
)

PROBLEM = f"my order {ORDER} arrived damaged, the mug inside is smashed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jurgen.fischer160@example.org", False),
        ("my email is jurgen.fischer160@example.org", False),
        ("+49 171 2345678", False),
        ("10944", False),
        ("order 10944, ann@example.com", False),
        ("it's #10944 and my phone is 0171 2345678", False),
        ("yes please", False),
        ("ok", False),
        ("I want to complain", False),
        ("product quality", False),  # the complaint form's category button
        ("/damaged_or_wrong_item", False),
        ("", False),
        ("the mug is smashed", True),
        ("order 10944 arrived broken, ann@example.com", True),
        ("wrong size", True),
        ("where is my parcel?", True),
    ],
)
def test_what_describes_a_problem(text: str, expected: bool) -> None:
    assert problem_words.describes(text) is expected


def _events(*messages: tuple[str, str | None]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for text, intent in messages:
        events += [user_event(text, intent), bot_event("...")]
    return events


@pytest.mark.parametrize(
    ("messages", "task", "expected"),
    [
        # the request, then identity, then "yes": only the request describes the problem
        (
            [(PROBLEM, "damaged_or_wrong_item"), ("ann@example.com", "inform"), ("yes", "affirm")],
            "damaged_or_wrong_item",
            PROBLEM,
        ),
        # number and email read as another request ("order_status") are no opening
        (
            [("the lamp is broken", "damaged_or_wrong_item"), ("10944, ann@example.com",
             "order_status"), ("yes", "affirm")],
            "damaged_or_wrong_item",
            "the lamp is broken",
        ),
        # an earlier request is not this problem's description
        (
            [("where is my order", "order_status"), ("all good, thanks", "thank"),
             ("it arrived broken", "damaged_or_wrong_item"), ("sure", "affirm")],
            "damaged_or_wrong_item",
            "it arrived broken",
        ),
        # several messages about it, oldest first
        (
            [("my parcel never came", "late_delivery"), ("ann@example.com", "inform"),
             ("it was a birthday present", "inform"), ("yes", "affirm")],
            "late_delivery",
            "my parcel never came\nit was a birthday present",
        ),
        # only contact data and a yes: nothing to describe
        (
            [("/late_delivery", "late_delivery"), ("10944", "inform"),
             ("jurgen.fischer160@example.org", "inform"), ("yes", "affirm")],
            "late_delivery",
            None,
        ),
    ],
)  # fmt: skip
def test_the_customers_description(
    messages: list[tuple[str, str | None]], task: str, expected: str | None
) -> None:
    assert problem_words.customer_description(_events(*messages), task) == expected


def test_a_long_description_fits_the_api() -> None:
    events = _events(*[(f"{i} the lamp flickers " * 100, "inform") for i in range(6)])
    found = problem_words.customer_description(events, "damaged_or_wrong_item")
    assert found is not None and len(found) <= 5000


def _open_ticket(api: respx.MockRouter, kind: str, history: list[dict[str, Any]], **slots: Any):
    api.post("/api/tickets").respond(201, json=ticket_json())
    tracker = make_tracker(
        "yes",
        "affirm",
        verified=True,
        slots={"pending_confirmation": kind, **slots},
        history=history,
    )
    run(ActionConfirm(), tracker)
    return body(only(api, "POST", "/api/tickets"))


def test_a_damage_ticket_has_the_problem_not_the_email(api: respx.MockRouter) -> None:
    history = _events((PROBLEM, "damaged_or_wrong_item"), ("jurgen@example.org", "inform"))
    sent = _open_ticket(api, "damage_ticket", history, task="damaged_or_wrong_item")
    assert sent["description"] == PROBLEM
    assert sent["told_customer"] == DAMAGE_PROMISE
    assert (sent["order_number"], sent["conversation_id"]) == (ORDER, CONVERSATION)
    assert (sent["category"], sent["severity"]) == ("product_quality", "medium")


def test_without_any_description_the_ticket_says_so(api: respx.MockRouter) -> None:
    history = _events(("/late_delivery", "late_delivery"), ("jurgen@example.org", "inform"))
    sent = _open_ticket(api, "late_ticket", history, task="late_delivery")
    assert sent["description"] == "Late or lost delivery: the customer gave no details in the chat."
    assert "@" not in sent["description"]


def test_a_complaint_keeps_its_answer_and_the_verified_order(api: respx.MockRouter) -> None:
    history = _events(
        ("I want to complain about the courier", "complaint"),
        ("logistics", "inform"),
        ("He threw the parcel over the fence.", "inform"),
    )
    sent = _open_ticket(
        api,
        "complaint_ticket",
        history,
        task="complaint",
        complaint_category="logistics",
        complaint_description="He threw the parcel over the fence.",
    )
    assert sent["description"] == (
        "I want to complain about the courier\nHe threw the parcel over the fence."
    )
    assert sent["order_number"] == ORDER  # the customer verified earlier in the conversation
    assert sent["category"] == "logistics"
