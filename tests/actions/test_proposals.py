"""Issue 21 item 2: every change the bot proposes has an id; once the change is made, a late
"yes", a replayed step or the same request again neither makes it again nor asks for it."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from rasa_sdk.executor import CollectingDispatcher

from actions import proposals
from actions.run_task import ActionRunTask
from actions.turn import Turn
from tests.actions.helpers import (
    ORDER,
    Outcome,
    address_json,
    address_slot,
    error_json,
    make_tracker,
    order_json,
    run,
    writes,
)
from tests.actions.test_confirmations import WRITE_CASES, confirm

ORDER_PATH = f"/api/orders/{ORDER}"
ADDRESS_TASK = {"task": "change_shipping_address", "new_address": address_slot()}


def _run_task(**slots: Any) -> Outcome:
    tracker = make_tracker("9 i guess", "inform", verified=True, slots=slots)
    return run(ActionRunTask(), tracker)


def _proposed_address(api: respx.MockRouter, **slots: Any) -> Outcome:
    api.get(ORDER_PATH).respond(json=order_json(status="paid", can_change_address=True))
    return _run_task(**ADDRESS_TASK, **slots)


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_a_change_made_is_remembered_as_done(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    outcome = confirm(case, pending_proposal="p-1", done_proposals=["p-0"])
    assert outcome.slots[proposals.DONE_SLOT] == ["p-0", "p-1"]
    assert outcome.slot_events(proposals.PENDING_SLOT)[0] is None  # the yes used it up


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_a_yes_to_a_change_already_made_writes_and_asks_nothing(
    api: respx.MockRouter, kind: str
) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    outcome = confirm(case, pending_proposal="p-1", done_proposals=["p-1"])
    assert writes(api) == []
    assert outcome.said("already")
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert proposals.DONE_SLOT not in outcome.slots


def test_a_refused_change_is_not_remembered(api: respx.MockRouter) -> None:
    api.post(f"{ORDER_PATH}/cancel").respond(409, json=error_json("Order 10234 has shipped."))
    outcome = confirm(WRITE_CASES["cancel"], pending_proposal="p-1")
    assert writes(api) == [("POST", f"{ORDER_PATH}/cancel")]
    assert proposals.DONE_SLOT not in outcome.slots


def test_the_same_proposal_after_it_was_made_is_not_asked_again(api: respx.MockRouter) -> None:
    first = _proposed_address(api)
    assert first.pending == "address" and first.said("Shall I?")
    proposal = first.slots[proposals.PENDING_SLOT]
    assert proposal

    api.put(f"{ORDER_PATH}/shipping-address").respond(200, json=address_json())
    made = confirm(WRITE_CASES["address"], pending_proposal=proposal)
    assert made.slots[proposals.DONE_SLOT] == [proposal]

    replayed = _proposed_address(api, done_proposals=[proposal])
    assert replayed.pending == "anything_else"
    assert replayed.said(f"already changed the delivery address of order {ORDER}")
    assert not replayed.said("Shall I?")
    assert replayed.buttons == []
    assert writes(api) == [("PUT", f"{ORDER_PATH}/shipping-address")]


def test_another_address_is_a_new_proposal(api: respx.MockRouter) -> None:
    first = _proposed_address(api)
    done = [first.slots[proposals.PENDING_SLOT]]
    api.get(ORDER_PATH).respond(json=order_json(status="paid", can_change_address=True))
    other = _run_task(
        task="change_shipping_address",
        new_address=address_slot(line1="Hafenstr. 9"),
        done_proposals=done,
    )
    assert other.pending == "address" and other.said("Shall I?")
    assert other.slots[proposals.PENDING_SLOT] not in done


def test_another_order_is_a_new_proposal(api: respx.MockRouter) -> None:
    first = _proposed_address(api)
    tracker = make_tracker(
        "",
        "inform",
        verified=True,
        slots={**ADDRESS_TASK, "verified_order": "10555", "order_number": "10555"},
    )
    api.get("/api/orders/10555").respond(
        json=order_json("10555", status="paid", can_change_address=True)
    )
    other = run(ActionRunTask(), tracker)
    assert other.slots[proposals.PENDING_SLOT] != first.slots[proposals.PENDING_SLOT]


def test_the_bookkeeping_slots_stay_out_of_the_agents_summary(api: respx.MockRouter) -> None:
    tracker = make_tracker(
        "hi", "greet", verified=True, slots={"pending_proposal": "p-1", "done_proposals": ["p-0"]}
    )
    summary = Turn(CollectingDispatcher(), tracker).summary()
    assert summary["order_number"] == ORDER
    assert not {proposals.PENDING_SLOT, proposals.DONE_SLOT} & set(summary["slots"])
