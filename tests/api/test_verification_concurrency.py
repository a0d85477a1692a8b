"""Customers verifying at the same moment all succeed and each conversation is linked: a
successful verification writes (it links the proven conversation to the customer), so it runs
in a write transaction. On SQLite a read transaction that writes fails with "database is
locked" as soon as another writer commits first (seen as HTTP 500s with ten customers at once
in benchmarks/hub)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.api.helpers import proof
from tests.conftest import Clock
from tests.factories import make_customer, make_order
from ticketing.conversations import store
from ticketing.conversations.models import Conversation
from ticketing.db import Database

CUSTOMERS = 12


def test_simultaneous_verifications_all_succeed_and_link_their_conversations(
    client: TestClient, service_headers: dict[str, str], database: Database, clock: Clock
) -> None:
    people = []
    with database.session(write=True) as s:
        for n in range(CUSTOMERS):
            customer = make_customer(s)
            order = make_order(s, customer, now=clock.now)
            conversation, _ = store.get_or_create(
                s, channel="web", external_id=f"same-moment-{n}", now=clock.now
            )
            people.append((order.number, customer.email, customer.id, conversation.id))

    def verify(person: tuple[str, str, int, str]) -> int:
        number, email, _customer_id, conversation_id = person
        response = client.post(
            "/api/verifications",
            json={"order_number": number, "email": email, "conversation_id": conversation_id},
            headers={**service_headers, **proof(client, conversation_id)},
        )
        return response.status_code

    for _round in range(3):  # a few rounds: the race needs two writers to overlap
        with ThreadPoolExecutor(max_workers=CUSTOMERS) as pool:
            statuses = list(pool.map(verify, people))
        assert statuses == [200] * CUSTOMERS
    with database.session() as s:
        for _number, _email, customer_id, conversation_id in people:
            conversation = s.get(Conversation, conversation_id)
            assert conversation is not None
            assert conversation.customer_id == customer_id
