"""The hub's resolve, hand-back and rating queue CRM events; the app delivers them by itself."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.conftest import new_key
from tests.crm.helpers import outbox
from tests.factories import make_staff
from tests.fake_rasa import running_fake_rasa
from ticketing.agents.models import AgentState, Presence
from ticketing.app import create_app
from ticketing.staff.models import StaffRole


@pytest.fixture
def app_client(database, settings, clock, crm) -> Iterator[TestClient]:
    """The app with a fake Rasa and the CRM webhook configured (background delivery)."""
    with running_fake_rasa() as rasa:
        crm_settings = settings.model_copy(
            update={
                "rasa_url": rasa.url,
                "crm_webhook_url": crm.url,
                "crm_webhook_secret": SecretStr(crm.secret),
                "crm_timeout_seconds": 2.0,
                "crm_poll_seconds": 0.05,
            }
        )
        with TestClient(create_app(crm_settings, database=database, clock=clock)) as client:
            yield client


@pytest.fixture
def agent(database):
    with database.session() as s:
        staff = make_staff(s, "grace", StaffRole.AGENT)
        s.add(AgentState(staff_id=staff.id, presence=Presence.ONLINE, capacity=2))
    return staff


def say(client: TestClient, text: str) -> None:
    client.post("/webhooks/rest/webhook", json={"sender": "ada", "message": text})


def handed_over(client: TestClient, service_headers: dict[str, str]) -> str:
    say(client, "I want a person")
    response = client.post(
        "/api/handoffs",
        json={"conversation_id": "rest-ada", "channel": "rest", "reason": "requested"},
        headers={**service_headers, "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201
    return "rest-ada"


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

    app_client.portal.call(hub.resolve, "rest-ada", None)

    assert [e.kind for e in outbox(database)] == []
