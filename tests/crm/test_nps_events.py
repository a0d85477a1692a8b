"""NPS answers reach the CRM: one `nps.submitted` event per answer, in the answer's transaction,
with a deterministic id, delivered signed like every other event."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from integrations.crm import events as crm_events
from integrations.crm import outbox as crm_outbox
from integrations.crm.events import NPS_FIELDS
from tests.crm.helpers import outbox
from tests.hub.helpers import handed_over, rest_id, rest_say
from ticketing.conversations import store
from ticketing.feedback import nps_service
from ticketing.feedback.nps_models import NpsAnswer


def say(client: TestClient, text: str) -> None:
    response = rest_say(client, "ada", text)
    assert response.status_code == 200, response.text


def asked(client: TestClient, service_headers: dict[str, str], agent) -> str:
    """Handed over, resolved by the agent, rated and commented: the NPS question waits."""
    handed_over(client, service_headers)
    client.portal.call(client.app.state.hub.resolve, rest_id("ada"), agent.id)
    say(client, "/csat 4")
    say(client, "Quick and friendly")
    return rest_id("ada")


def delivered(database, count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while [e.state for e in outbox(database)] != ["delivered"] * count:
        assert time.monotonic() < deadline, [e.state for e in outbox(database)]
        time.sleep(0.02)


def test_an_answer_reaches_the_crm_once(app_client, service_headers, database, agent, crm, clock):
    cid = asked(app_client, service_headers, agent)
    asked_at = clock.now
    clock.advance(minutes=2)

    say(app_client, '/nps{"score":9}')
    say(app_client, '/nps{"score":9}')  # a double submit
    say(app_client, "9")  # typed after the answer: a new message, not a second answer

    delivered(database, 4)  # ticket.resolved, csat.rating twice, nps.submitted
    nps_bodies = [r.body for r in crm.accepted if r.body["kind"] == "nps.submitted"]
    assert len(nps_bodies) == 1 and all(r.signature_ok for r in crm.accepted)
    [body] = nps_bodies
    assert set(body["data"]) == set(NPS_FIELDS)
    assert body["data"] == {
        "conversation_id": cid,
        "score": 9,
        "group": "promoter",
        "channel": "rest",
        "customer_id": None,
        "agent": "grace",
        "asked_at": asked_at.isoformat(),
        "created_at": clock.now.isoformat(),
    }
    assert body["id"] == str(crm_outbox.event_id("nps.submitted", (cid, asked_at.isoformat())))


@pytest.mark.parametrize(
    ("score", "group"),
    [(0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"), (10, "promoter")],
)
def test_the_group_follows_the_score(database, clock, score, group):
    with database.session(write=True) as s:
        conversation, _ = store.get_or_create(s, channel="web", external_id="ada", now=clock.now)
        conversation.resolved_at = clock.now
        nps_service.ask(db_session=s, conversation=conversation, now=clock.now, actor="test")
        nps_service.save_answer(db_session=s, conversation=conversation, score=score, now=clock.now)

    [event] = outbox(database)
    assert (event.kind, event.payload["score"], event.payload["group"]) == (
        "nps.submitted",
        score,
        group,
    )


def test_a_replay_of_the_same_answer_queues_no_second_event(database, clock):
    with database.session(write=True) as s:
        conversation, _ = store.get_or_create(s, channel="web", external_id="ada", now=clock.now)
        nps_service.ask(db_session=s, conversation=conversation, now=clock.now, actor="test")
        asked_at = conversation.nps_asked_at
        first, created = nps_service.save_answer(
            db_session=s, conversation=conversation, score=3, now=clock.now
        )
        assert created
        # a second process that read the conversation before the first answer was committed
        conversation.nps_asked_at = asked_at
        second, created_again = nps_service.save_answer(
            db_session=s,
            conversation=conversation,
            score=10,
            now=clock.now + timedelta(seconds=1),
        )
        crm_events.enqueue_nps_answer(s, first, now=clock.now + timedelta(seconds=2))

    assert (created_again, second.id, second.score) == (False, first.id, 3)
    assert [e.kind for e in outbox(database)] == ["nps.submitted"]
    with database.session() as s:
        assert len(s.scalars(select(NpsAnswer)).all()) == 1
