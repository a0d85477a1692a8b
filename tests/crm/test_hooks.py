"""The hub's resolve, hand-back and rating queue CRM events; the app delivers them by itself."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.crm.helpers import outbox
from tests.hub.helpers import handed_over, rest_id, rest_say


def say(client: TestClient, text: str) -> None:
    rest_say(client, "ada", text)


def wait_for_deliveries(database, crm, count: int, timeout: float = 10.0) -> list[dict]:
    """The bodies the CRM accepted, once `count` events are recorded as delivered."""
    deadline = time.monotonic() + timeout
    while [e.state for e in outbox(database)] != ["delivered"] * count:
        assert time.monotonic() < deadline, f"only {len(crm.accepted)} of {count} delivered"
        time.sleep(0.02)
    return [r.body for r in crm.accepted]


def test_resolve_and_rating_in_the_hub_reach_the_crm(
    app_client, service_headers, database, agent, crm, clock
):
    hub = app_client.app.state.hub
    cid = handed_over(app_client, service_headers)
    clock.advance(minutes=10)

    app_client.portal.call(hub.resolve, cid, agent.id)
    say(app_client, "/csat 4")
    say(app_client, "Quick and friendly")

    resolved, rated, commented = wait_for_deliveries(database, crm, 3)
    assert all(r.signature_ok for r in crm.accepted)
    assert resolved["kind"] == "ticket.resolved"
    ticket = resolved["data"]
    assert (ticket["agent"], ticket["how"], ticket["conversation_id"]) == ("grace", "resolved", cid)
    assert ticket["resolution_seconds"] == 600 and ticket["category"] == "after_sales"
    assert (rated["kind"], rated["data"]["score"], rated["data"]["comment"]) == (
        "csat.rating",
        4,
        None,
    )
    assert commented["data"]["comment"] == "Quick and friendly"
    assert commented["data"]["agent"] == "grace"
    assert commented["data"]["ticket_number"] == ticket["ticket_number"]
    assert commented["data"]["category"] == "after_sales"


def test_handing_back_resolves_the_ticket_too(app_client, service_headers, database, agent, crm):
    hub = app_client.app.state.hub
    cid = handed_over(app_client, service_headers)

    app_client.portal.call(hub.hand_back, cid, agent.id)

    [event] = wait_for_deliveries(database, crm, 1)
    assert (event["kind"], event["data"]["how"]) == ("ticket.resolved", "handed_back")


def test_resolving_a_conversation_without_a_ticket_queues_no_ticket_event(
    app_client, database, agent
):
    say(app_client, "hello")
    hub = app_client.app.state.hub

    app_client.portal.call(hub.resolve, rest_id("ada"), None)

    assert [e.kind for e in outbox(database)] == []
