"""Three people with data in every place the backend keeps it, made the way production makes
it (API, hub, agent console actions), plus what each of them left that must be found by an
export and be gone after an erasure (the `needles`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from integrations.crm.models import CrmEvent
from tests.api.helpers import proof, verify
from tests.conftest import SECRET, SERVICE_KEY, Clock, new_key
from tests.factories import make_customer, make_order
from tests.hub.helpers import rest_id, rest_say
from ticketing.agents.models import AgentState, Presence
from ticketing.conversations.hub import Inbound
from ticketing.conversations.rest_channel import integration_external_id
from ticketing.customers.models import Customer
from ticketing.db import Database
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order, OrderStatus, ShipmentStatus, TrackingEvent
from ticketing.security import tokens
from ticketing.security.principals import STAFF_TOKEN
from ticketing.staff.models import StaffRole, StaffUser

SERVICE = {"X-Api-Key": SERVICE_KEY}
AGENT = "grace"
HOME = {
    "name": "Henrietta Quandt",
    "line1": "7 Zeppelinweg",
    "line2": "Hinterhaus",
    "city": "Wolfsburg",
    "postal_code": "38440",
    "country": "DE",
}
NEW_HOME = {
    "name": "H. Quandt",
    "line1": "9 Hafenstrasse",
    "line2": None,
    "city": "Wolfsburg",
    "postal_code": "38448",
    "country": "DE",
}
BOB_HOME = {
    "name": "Bartholomew Oyelaran",
    "line1": "3 Kirkgate",
    "line2": None,
    "city": "Leeds",
    "postal_code": "LS1 6BH",
    "country": "GB",
}
TEXTS = {
    "first": "Hello, Henrietta Quandt here: where is my parcel?",
    "note": "Henrietta sounded upset; lives at 7 Zeppelinweg",
    "reply": "Hi Henrietta, I am checking the courier now.",
    "photo": "Here is the label, Quandt family",
    "comment": "The Quandt household is not amused",
    "nps_comment": "Henrietta would not recommend you",
    "return_note": "The collar ripped. Call me on +49 170 5550123",
    "refund_reason": "Back to Henrietta's card please",
    "cancel_reason": "Henrietta moved house",
}


@dataclass
class Person:
    customer_id: int | None
    email: str | None
    phone: str | None
    sender: str  # the REST integration's id for the person
    needles: list[str]  # lower-case strings only this person's records contain
    order_numbers: list[str] = field(default_factory=list)
    tracking_numbers: list[str] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        """What the REST channel stores for `sender` (a hash of it)."""
        return integration_external_id(self.sender)

    @property
    def conversation_id(self) -> str:
        return rest_id(self.sender)


@dataclass
class People:
    henrietta: Person
    bob: Person
    anon: Person
    agent_id: int


def say(client: TestClient, sender: str, text: str) -> None:
    response = rest_say(client, sender, text)
    assert response.status_code == 200, response.text


def post(client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = client.post(path, json=body, headers={**headers, "Idempotency-Key": new_key()})
    assert response.status_code in (200, 201), response.text
    return response.json()


def rate(client: TestClient, rating: dict[str, Any], headers: dict[str, str]) -> Any:
    """POST /api/ratings as the action server does: with the hub's proof for the conversation."""
    return post(
        client, "/api/ratings", rating, {**headers, **proof(client, rating["conversation_id"])}
    )


def _customer_with_orders(
    database: Database, clock: Clock, home: dict[str, Any], **details: Any
) -> tuple[Customer, list[Order]]:
    with database.session() as s:
        customer = make_customer(s, **details)
        delivered = make_order(s, customer, now=clock.now)
        unshipped = make_order(s, customer, now=clock.now, status=OrderStatus.PAID)
        for order in (delivered, unshipped):
            order.shipping_address = dict(home)
        shipment = delivered.shipments[0]
        shipment.events.append(
            TrackingEvent(
                occurred_at=clock.now - timedelta(days=5),
                status=ShipmentStatus.DELIVERED,
                location=f"{home['city']}, {home['country']}",
                description="Delivered: left with a neighbour",
            )
        )
        s.flush()
    return customer, [delivered, unshipped]


def _hand_off(
    client: TestClient, person: Person, headers: dict[str, str], order: Order, said: str
) -> str:
    handoff = post(
        client,
        "/api/handoffs",
        {
            "conversation_id": person.conversation_id,
            "channel": "rest",
            "reason": "angry",
            "summary": {
                "intent": "late_delivery",
                "order_number": order.number,
                "slots": {"email": person.email},
                "last_messages": [{"sender": "customer", "text": said}],
            },
        },
        {**headers, **proof(client, person.conversation_id)},
    )
    return str(handoff["number"])


def _henrietta(client: TestClient, database: Database, clock: Clock, agent_id: int) -> Person:
    customer, (delivered, unshipped) = _customer_with_orders(
        database,
        clock,
        HOME,
        name="Henrietta Quandt",
        email="Henrietta.Quandt@example.org",
        phone="+49 170 5550123",
    )
    person = Person(
        customer.id,
        customer.email,
        customer.phone,
        "henrietta-77",
        ["henrietta", "quandt", "zeppelinweg", "hafenstrasse", "hinterhaus", "5550123"]
        + ["wolfsburg", "agad-hq-1", "quandt-label"],
        [delivered.number, unshipped.number],
        [delivered.shipments[0].tracking_number],
    )
    hub = client.app.state.hub
    say(client, person.sender, TEXTS["first"])
    token = verify(client, SERVICE, delivered, customer)
    wrong = {"order_number": delivered.number, "email": "not-her@example.org"}
    refused = client.post(
        "/api/verifications",
        json={**wrong, "conversation_id": person.conversation_id},
        headers=SERVICE,
    )
    assert refused.status_code == 401
    ticket = _hand_off(client, person, token, delivered, TEXTS["first"])
    cid = person.conversation_id
    client.portal.call(hub.add_note, cid, agent_id, TEXTS["note"])
    client.portal.call(hub.agent_reply, cid, agent_id, TEXTS["reply"])
    photo = {"kind": "photo", "file_id": "AgAD-HQ-1", "file_name": "quandt-label.jpg"}
    inbound = Inbound(
        channel="rest", external_id=person.external_id, text=TEXTS["photo"], attachments=[photo]
    )
    client.portal.call(hub.receive, inbound)
    client.portal.call(hub.resolve, cid, agent_id)
    rating = {"conversation_id": cid, "score": 2, "comment": TEXTS["comment"], "channel": "rest"}
    rate(client, {**rating, "ticket_number": ticket}, token)
    _nps(database, clock, person)
    post_put(client, f"/api/orders/{unshipped.number}/shipping-address", NEW_HOME, token)
    returned = post(
        client,
        f"/api/orders/{delivered.number}/returns",
        {"reason": "damaged", "note": TEXTS["return_note"]},
        token,
    )
    rma = returned["rma_number"]
    post(client, f"/api/returns/{rma}/receive", {}, agent_bearer(clock))
    refund = {"rma_number": rma, "reason": TEXTS["refund_reason"]}
    post(client, f"/api/orders/{delivered.number}/refunds", refund, token)
    post(
        client, f"/api/orders/{unshipped.number}/cancel", {"reason": TEXTS["cancel_reason"]}, token
    )
    _deliver_one_crm_event(database, clock)
    return person


def post_put(client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
    response = client.put(path, json=body, headers={**headers, "Idempotency-Key": new_key()})
    assert response.status_code == 200, response.text


def _nps(database: Database, clock: Clock, person: Person) -> None:
    """An NPS answer as the NPS work stores it (a comment too, if its table has one)."""
    values: dict[str, Any] = {
        "conversation_id": person.conversation_id,
        "score": 3,
        "customer_id": person.customer_id,
        "channel": "rest",
        "external_id": person.external_id,
        "asked_at": clock.now,
        "created_at": clock.now,
    }
    if hasattr(NpsAnswer, "comment"):
        values["comment"] = TEXTS["nps_comment"]
    with database.session(write=True) as s:
        s.add(NpsAnswer(**values))


def _deliver_one_crm_event(database: Database, clock: Clock) -> None:
    """The CRM already got the resolved ticket: erasure must say so, not pretend."""
    with database.session(write=True) as s:
        event = s.scalars(select(CrmEvent).where(CrmEvent.kind == "ticket.resolved")).first()
        assert event is not None
        event.delivered_at = clock.now
        event.next_attempt_at = None


def _bob(client: TestClient, database: Database, clock: Clock) -> Person:
    customer, (delivered, _unshipped) = _customer_with_orders(
        database,
        clock,
        BOB_HOME,
        name="Bartholomew Oyelaran",
        email="bart.oyelaran@example.net",
        phone="+44 20 7946 0958",
    )
    person = Person(
        customer.id,
        customer.email,
        customer.phone,
        "bart-12",
        ["bartholomew", "oyelaran", "kirkgate", integration_external_id("bart-12"), "kettle"],
    )
    say(client, person.sender, "My kettle leaks")
    token = verify(client, SERVICE, delivered, customer)
    ticket = _hand_off(client, person, token, delivered, "My kettle leaks")
    rating = {"conversation_id": person.conversation_id, "score": 5, "comment": "kettle fixed"}
    rate(client, {**rating, "ticket_number": ticket}, token)
    return person


def _anon(client: TestClient) -> Person:
    """Someone who never verified: known only by their chat."""
    person = Person(None, None, None, "anon-5", [integration_external_id("anon-5"), "whiskers"])
    say(client, person.sender, "I won't say who I am; my cat is Mr Whiskers")
    rating = {"conversation_id": person.conversation_id, "score": 4, "comment": "whiskers ok"}
    rate(client, rating, SERVICE)
    return person


def make_tracker_store(path: Path) -> Path:
    """An empty Rasa SQL tracker store (the `events` table Rasa 3.6 creates)."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"
        )
    return path


def add_tracker_events(path: Path, sender: str, text: str) -> None:
    """What Rasa keeps of one chat: the user's text and a slot it filled."""
    rows = [
        (sender, "user", 1.0, "greet", None, json.dumps({"event": "user", "text": text})),
        (sender, "slot", 2.0, None, None, json.dumps({"event": "slot", "value": text[:20]})),
    ]
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, "
            "data) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    connection.close()


def agent_bearer(clock: Clock) -> dict[str, str]:
    """The agent's headers, signed directly (a login would cost an argon2 hash per test)."""
    token, _expires = tokens.issue(
        secret=SECRET,
        kind=STAFF_TOKEN,
        claims={"sub": AGENT, "role": StaffRole.AGENT.value},
        now=clock.now,
        ttl=timedelta(hours=1),
    )
    return {"Authorization": f"Bearer {token}"}


def seed_people(client: TestClient, database: Database, clock: Clock, tracker_db: Path) -> People:
    with database.session(write=True) as s:
        agent = StaffUser(
            username=AGENT, display_name="Grace", password_hash="no login", role=StaffRole.AGENT
        )
        s.add(agent)
        s.flush()
        s.add(AgentState(staff_id=agent.id, presence=Presence.ONLINE, capacity=5))
        agent_id = agent.id
    henrietta = _henrietta(client, database, clock, agent_id)
    bob = _bob(client, database, clock)
    anon = _anon(client)
    for person, text in ((henrietta, TEXTS["first"]), (bob, "My kettle leaks")):
        add_tracker_events(tracker_db, person.conversation_id, text)
    add_tracker_events(tracker_db, anon.conversation_id, "Mr Whiskers")
    return People(henrietta, bob, anon, agent_id)
