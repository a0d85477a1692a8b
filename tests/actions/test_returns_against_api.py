"""The return actions against the real API and database (in process): what the bot says, and
which RMA, items and quantities end up in the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient
from sqlalchemy import select

from actions.confirmations import ActionConfirm, ActionDecline
from actions.run_task import ActionRunTask
from tests.actions.helpers import BASE_URL, Outcome, make_tracker, run, user_event
from tests.api.helpers import verify
from tests.conftest import SERVICE_KEY, Clock
from tests.factories import make_customer, make_order
from ticketing.db import Database
from ticketing.orders.models import Order
from ticketing.returns.models import Return, ReturnResolution

DETAILS = {"return_reason": "does_not_fit", "item_condition": "like_new", "resolution": "refund"}
FORWARDED = ("x-api-key", "x-verification-token", "idempotency-key", "content-type")


@pytest.fixture
def backend(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The action server's HTTP calls go to the app under test."""
    monkeypatch.setenv("SUPPORTBOT_API_URL", BASE_URL)
    monkeypatch.setenv("SUPPORTBOT_ACTIONS_API_KEY", SERVICE_KEY)

    def forward(request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED}
        answer = client.request(
            request.method, request.url.raw_path.decode(), content=request.content, headers=headers
        )
        return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=forward)
        yield client


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, Any]:
    with database.session() as s:
        ada = make_customer(s)
        lines = make_order(
            s,
            ada,
            now=clock.now,
            delivered_days_ago=10,
            items=[("Scented candle", 2, "18.90", False), ("Ceramic mug", 3, "12.50", False)],
        )
        late = make_order(  # return window (30 days) closed, exchange window (45) open
            s, ada, now=clock.now, delivered_days_ago=40, items=[("Zip hoodie", 1, "59.90", False)]
        )
        final = make_order(
            s,
            ada,
            now=clock.now,
            delivered_days_ago=3,
            items=[("Swimsuit", 1, "39.90", True), ("Rain jacket", 1, "89.00", False)],
        )
        s.expunge_all()
    return locals()


def _slots(backend: TestClient, order: Order, customer: Any, **slots: Any) -> dict[str, Any]:
    token = verify(backend, {"X-Api-Key": SERVICE_KEY}, order, customer)["X-Verification-Token"]
    return {"verified_order": order.number, "verification_token": token, **slots}


def _say(action: type, text: str, intent: str, slots: dict[str, Any], request: str) -> Outcome:
    history = [user_event(request, "return_item")]
    return run(action(), make_tracker(text, intent, slots=slots, history=history))


def _returns(database: Database, order: Order) -> list[Return]:
    with database.session() as s:
        found = list(s.scalars(select(Return).where(Return.order_id == order.id)))
        for rma in found:
            _ = [(i.quantity, i.order_item.name) for i in rma.items]
        s.expunge_all()
        return found


def _items(rma: Return) -> list[tuple[str, int]]:
    return [(line.order_item.name, line.quantity) for line in rma.items]


def test_one_of_the_two_candles(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["lines"]
    slots = _slots(backend, order, shop["ada"], task="return_item", item="candles", **DETAILS)
    request = "I want to return one of the two candles"
    asked = _say(ActionRunTask, "", "inform", slots, request)
    assert asked.texts == [
        f"Shall I open a return of 1 × Scented candle from order {order.number} (reason: does "
        "not fit, condition: like new) for a refund?"
    ]
    done = _say(ActionConfirm, "yes", "affirm", {**slots, **asked.slots}, request)
    assert done.said("your return number (RMA) is RMA-")
    [rma] = _returns(database, order)
    assert _items(rma) == [("Scented candle", 1)]


def test_no_just_one_then_yes(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["lines"]
    slots = _slots(
        backend, order, shop["ada"], task="return_item", item="2 × Scented candle", **DETAILS
    )
    changed = _say(
        ActionDecline, "no, just one", "deny", {**slots, "pending_confirmation": "return"}, "x"
    )
    assert changed.said("Shall I open a return of 1 × Scented candle from order")
    assert _returns(database, order) == []
    _say(ActionConfirm, "yes", "affirm", {**slots, **changed.slots}, "x")
    [rma] = _returns(database, order)
    assert _items(rma) == [("Scented candle", 1)]


def test_the_candle_and_two_mugs(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["lines"]
    slots = _slots(
        backend,
        order,
        shop["ada"],
        task="return_item",
        item="2 × Scented candle; 2 × Ceramic mug",
        **DETAILS,
    )
    _say(ActionConfirm, "yes", "affirm", {**slots, "pending_confirmation": "return"}, "x")
    [rma] = _returns(database, order)
    assert _items(rma) == [("Scented candle", 2), ("Ceramic mug", 2)]


def test_an_exchange_after_the_return_window(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["late"]
    slots = _slots(backend, order, shop["ada"], task="exchange_item", item="hoodie", **DETAILS)
    request = "I'd like to exchange my hoodie for a size L"
    asked = _say(ActionRunTask, "", "inform", slots, request)
    assert asked.said(
        "Shall I open a return of 1 × Zip hoodie", "for an exchange (size L instead)?"
    )
    done = _say(ActionConfirm, "yes", "affirm", {**slots, **asked.slots}, request)
    assert done.said("You asked for: size L.")
    [rma] = _returns(database, order)
    assert (rma.resolution, rma.customer_note) == (
        ReturnResolution.EXCHANGE,
        "Exchange for: size L",
    )
    assert _items(rma) == [("Zip hoodie", 1)]


def test_a_return_after_the_window_offers_the_exchange(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["late"]
    slots = _slots(backend, order, shop["ada"], task="return_item", item="hoodie")
    refused = _say(ActionRunTask, "", "inform", slots, "return the hoodie")
    assert refused.said("delivered 40 days ago; returns are accepted within 30 days")
    assert refused.said(
        "exchanges are accepted within 45 days", "Shall I start an exchange instead?"
    )
    assert _returns(database, order) == []


def test_final_sale_then_insisting_creates_nothing(
    backend: TestClient, shop: dict[str, Any], database: Database
) -> None:
    order = shop["final"]
    slots = _slots(backend, order, shop["ada"], task="return_item", item="swimsuit", **DETAILS)
    refused = _say(ActionRunTask, "", "inform", slots, "return the swimsuit")
    assert refused.said("Swimsuit was a final-sale item, so it can't be returned.")
    again = {**slots, **refused.slots, "item": None}
    insisting = _say(
        ActionRunTask,
        "but I really want to return it",
        "return_item",
        again,
        "but I really want to return it",
    )
    assert insisting.said("I understand, and I'm sorry.", "Shall I pass you to a person?")
    assert insisting.pending == "handoff"
    assert _returns(database, order) == []


@pytest.mark.parametrize(
    ("item", "said"),
    [
        ("5 candles", "You ordered 2 × Scented candle, so you can return at most 2."),
        ("0 candles", "A return needs at least 1 × Scented candle."),
        ("the lawnmower", 'I can\'t find "lawnmower" in order'),
        ("🕯️", "These items of order"),
        ("x" * 10_000, "I can't find \"xxxx"),
    ],
    ids=["too-many", "zero", "not-on-the-order", "emoji", "10k"],
)
def test_bad_input_creates_nothing(
    backend: TestClient, shop: dict[str, Any], database: Database, item: str, said: str
) -> None:
    order = shop["lines"]
    slots = _slots(backend, order, shop["ada"], task="return_item", item=item, **DETAILS)
    outcome = _say(ActionRunTask, "", "inform", slots, "return something")
    assert outcome.said(said)
    assert outcome.next_step == "details"
    assert _returns(database, order) == []
