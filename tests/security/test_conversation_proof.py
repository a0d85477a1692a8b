"""The service key acts for no conversation by itself (issue 15): a rating needs the hub's proof
for the rated conversation, which the hub puts into the metadata of every message it forwards to
Rasa, with the customer's address; and the bot can't replace the rating of a conversation a
person handled (a direct call turned an agent's 1 into a 5)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.helpers import codes
from tests.conftest import SECRET, Clock, new_key
from tests.webchat.conftest import Chat
from ticketing.conversations import lifecycle, store
from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.models import CsatState, Owner
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.tickets.models import Ticket
from ticketing.verification import conversation_proof

CID = "web-0123456789abcdef0123456789abcdef"


def proof_for(conversation_id: str, clock: Clock, secret: str = SECRET) -> str:
    return conversation_proof.issue(secret=secret, conversation_id=conversation_id, now=clock.now)


def rate(
    client: TestClient,
    headers: dict[str, str],
    proof: str | None,
    conversation_id: str = CID,
    score: int = 5,
) -> Any:
    sent = dict(headers)
    if proof is not None:
        sent[conversation_proof.HEADER] = proof
    body = {"conversation_id": conversation_id, "score": score, "channel": "web"}
    return client.post("/api/ratings", json=body, headers=sent)


def scores(database: Database) -> list[int]:
    with database.session() as s:
        return [r.score for r in s.scalars(select(CsatRating))]


def test_the_service_key_alone_can_not_rate(client, service_headers, database):
    refused = rate(client, service_headers, proof=None)
    assert refused.status_code == 403
    assert codes(refused) == ["conversation_proof_required"]
    assert "X-Conversation-Proof" in refused.json()["detail"][0]["msg"]
    assert scores(database) == []


def test_a_proof_of_another_conversation_a_forged_or_an_old_one_is_refused(
    client, service_headers, database, clock
):
    other = rate(client, service_headers, proof_for("web-someone-else", clock))
    forged = rate(client, service_headers, proof_for(CID, clock, secret="not-the-secret-key-0123"))
    old = proof_for(CID, clock)
    clock.advance(minutes=31)
    expired = rate(client, service_headers, old)
    assert [r.status_code for r in (other, forged, expired)] == [403, 403, 403]
    assert codes(other) == ["conversation_proof_mismatch"]
    assert codes(forged) == codes(expired) == ["conversation_proof_invalid"]
    assert scores(database) == []


def test_the_conversations_own_proof_rates_it(client, service_headers, database, clock):
    answer = rate(client, service_headers, proof_for(CID, clock), score=4)
    assert answer.status_code == 201, answer.text
    assert scores(database) == [4]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/handoffs", {"conversation_id": CID, "channel": "web", "reason": "requested"}),
        (
            "/api/tickets",
            {"category": "other", "subject": "Help", "description": "x", "conversation_id": CID},
        ),
    ],
)
def test_handoffs_and_tickets_for_a_conversation_need_its_proof(
    client, service_headers, database, clock, path, body
):
    def post(proof: str | None) -> Any:
        headers = {**service_headers, "Idempotency-Key": new_key()}
        if proof is not None:
            headers[conversation_proof.HEADER] = proof
        return client.post(path, json=body, headers=headers)

    missing, other = post(None), post(proof_for("web-someone-else", clock))
    assert (missing.status_code, codes(missing)) == (403, ["conversation_proof_required"])
    assert (other.status_code, codes(other)) == (403, ["conversation_proof_mismatch"])
    with database.session() as s:
        assert s.scalars(select(Ticket)).all() == []
    assert post(proof_for(CID, clock)).status_code == 201


@pytest.fixture
def rated_by_the_customer_after_an_agent(database: Database, clock: Clock) -> str:
    """A conversation a person handled and resolved; the customer rated it 1 in the chat."""
    with database.session(write=True) as db:
        conversation, _ = store.get_or_create(db, channel="web", external_id="ada", now=clock.now)
        conversation.handed_off_at = clock.now - timedelta(minutes=20)
        conversation.owner = Owner.RESOLVED
        conversation.csat_state = CsatState.ASKED
        lifecycle.rate(db, conversation, score=1, comment=None, now=clock.now, final=True)
        return conversation.id


def test_the_bot_can_not_replace_the_rating_of_a_conversation_a_person_handled(
    client, service_headers, database, clock, rated_by_the_customer_after_an_agent
):
    conversation_id = rated_by_the_customer_after_an_agent
    clock.advance(minutes=1)
    proof = proof_for(conversation_id, clock)  # even with the conversation's own proof
    replaced = rate(client, service_headers, proof, conversation_id=conversation_id, score=5)
    assert replaced.status_code == 409, replaced.text
    assert codes(replaced) == ["rating_kept"]
    assert scores(database) == [1]


def test_the_bot_may_still_replace_its_own_conversations_rating(
    client, service_headers, database, clock
):
    assert rate(client, service_headers, proof_for(CID, clock), score=2).status_code == 201
    again = rate(client, service_headers, proof_for(CID, clock), score=4)
    assert again.status_code == 200, again.text
    assert scores(database) == [4]


def hub_of(client: TestClient) -> Hub:
    hub: Hub = client.app.state.hub  # type: ignore[attr-defined]
    # ticketing/app.py should pass `conversation_secret=settings.secret_key` (see the report);
    # until then the hub falls back to the process's settings, which tests don't use.
    hub.conversation_secret = SECRET
    return hub


def test_the_hub_sends_rasa_a_proof_that_rates_and_the_customers_address(
    hub_client, rasa, service_headers, database
):
    hub_of(hub_client)
    chat = Chat(hub_client)
    assert chat.send("hello").status_code == 200
    [sent] = [body for body in rasa.received if body["sender"] == chat.conversation_id]
    metadata = sent["metadata"]
    assert metadata["client_ip"] == "testclient"  # TestClient's address
    assert metadata["channel"] == "web"
    proof = metadata[conversation_proof.METADATA_KEY]
    answer = rate(hub_client, service_headers, proof, conversation_id=chat.conversation_id)
    assert answer.status_code == 201, answer.text
    assert rate(hub_client, service_headers, proof).status_code == 403  # for this chat only


def test_a_channels_metadata_can_not_pass_for_the_hubs_own_keys(hub_client, clock):
    hub = hub_of(hub_client)
    inbound = Inbound(
        channel="rest",
        external_id="x",
        text="hi",
        metadata={"conversation_proof": "forged", "client_ip": "198.51.100.7", "channel": "web"},
        client_ip="203.0.113.5",
    )
    conversation = SimpleNamespace(id="rest-x", channel="rest")
    metadata = hub._rasa_metadata(conversation, inbound)  # type: ignore[arg-type]
    assert (metadata["client_ip"], metadata["channel"]) == ("203.0.113.5", "rest")
    conversation_proof.check(
        secret=SECRET,
        conversation_id="rest-x",
        proof=metadata[conversation_proof.METADATA_KEY],
        now=clock.now,
    )
