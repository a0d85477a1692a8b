"""bot -> human -> resolved -> rated -> closed, and back to the bot when the customer writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_online_agent
from tests.hub.helpers import (
    conversation,
    events,
    handed_over,
    messages,
    rest_id,
    rest_say,
    tickets,
)
from ticketing.conversations.hub import Inbound
from ticketing.conversations.rest_channel import integration_external_id
from ticketing.feedback.models import CsatRating
from ticketing.tickets.models import TicketEvent


def say(client, text: str, sender: str = "ada"):
    return rest_say(client, sender, text).json()


@pytest.fixture
def agent(database):
    with database.session() as s:
        return make_online_agent(s, "grace", capacity=2)


def test_the_bots_handoff_gives_the_conversation_to_an_online_agent(
    hub_client, service_headers, database, agent
):
    cid = handed_over(hub_client, service_headers)

    stored = conversation(database, cid)
    assert stored.owner == "human"
    assert stored.assignee_id == agent.id
    assert stored.ticket_id == tickets(database)[0].id
    assert events(database, cid)[-2:] == ["bot_handoff", "agent_assigned"]


def test_without_an_online_agent_the_conversation_waits(hub_client, service_headers, database):
    cid = handed_over(hub_client, service_headers)

    stored = conversation(database, cid)
    assert (stored.owner, stored.assignee_id) == ("human", None)


def test_agent_reply_resolve_rating_comment_then_closed(
    hub_client, service_headers, database, agent, clock
):
    hub = hub_client.app.state.hub
    cid = handed_over(hub_client, service_headers)
    clock.advance(minutes=4)

    hub_client.portal.call(hub.agent_reply, cid, agent.id, "Hi, Grace here. Let me check.")
    hub_client.portal.call(hub.agent_reply, cid, agent.id, "Found it: it ships today.")
    hub_client.portal.call(hub.resolve, cid, agent.id)
    asked = messages(database, cid)[-1]
    rated = say(hub_client, "/csat 4")
    thanked = say(hub_client, "Quick and friendly 👍")

    assert asked[1].startswith("How did we do?")
    assert "anything you'd like to add" in rated[0]["text"]
    assert "Thank you for your feedback" in thanked[0]["text"]
    with database.session() as s:
        rating = s.scalar(select(CsatRating))
        assert (rating.score, rating.comment, rating.agent_id) == (
            4,
            "Quick and friendly 👍",
            agent.id,
        )
        assert rating.category == "after_sales"
    stored = conversation(database, cid)
    assert stored.owner == "closed"
    assert stored.first_human_reply_at - stored.handed_off_at == timedelta(minutes=4)
    kinds = events(database, cid)
    assert kinds.count("first_human_reply") == 1
    assert ["resolved", "csat_requested", "csat_submitted", "csat_submitted"] == [
        k for k in kinds if k in {"resolved", "csat_requested", "csat_submitted"}
    ]
    assert tickets(database)[0].status == "resolved"


def test_a_new_message_after_resolution_reopens_to_the_bot(
    hub_client, service_headers, database, agent, rasa
):
    hub = hub_client.app.state.hub
    cid = handed_over(hub_client, service_headers)
    hub_client.portal.call(hub.resolve, cid, agent.id)

    replies = say(hub_client, "one more thing: can I change my address?")

    assert replies[0]["text"] == "You said: one more thing: can I change my address?"
    assert conversation(database, cid).owner == "bot"
    assert events(database, cid)[-1] == "reopened"
    with database.session() as s:
        assert s.scalar(select(CsatRating)) is None


def test_rating_twice_updates_the_same_rating(hub_client, service_headers, database, agent):
    hub = hub_client.app.state.hub
    cid = handed_over(hub_client, service_headers)
    hub_client.portal.call(hub.resolve, cid, agent.id)

    hub_client.portal.call(hub.rate, cid, 2, None)
    hub_client.portal.call(hub.rate, cid, 5, "changed my mind")

    with database.session() as s:
        [rating] = s.scalars(select(CsatRating)).all()
        assert (rating.score, rating.comment) == (5, "changed my mind")


def test_a_conversation_that_was_not_resolved_cannot_be_rated(hub_client):
    hub = hub_client.app.state.hub
    say(hub_client, "hello")

    with pytest.raises(Exception, match="not been resolved"):
        hub_client.portal.call(hub.rate, rest_id("ada"), 5, None)


def test_hand_back_returns_the_conversation_to_the_bot(
    hub_client, service_headers, database, agent, rasa
):
    hub = hub_client.app.state.hub
    cid = handed_over(hub_client, service_headers)

    hub_client.portal.call(hub.hand_back, cid, agent.id)
    replies = say(hub_client, "what is your return policy")

    assert replies[0]["text"].startswith("You said:")
    assert conversation(database, cid).owner == "bot"
    assert tickets(database)[0].status == "resolved"


def test_the_customer_asking_for_a_person_outside_the_bot(hub_client, database, agent):
    hub = hub_client.app.state.hub
    say(hub_client, "hello")

    delivery = hub_client.portal.call(hub.request_human, rest_id("ada"))

    assert "colleague" in delivery.replies[0].text
    assert delivery.conversation.owner == "human"
    assert delivery.conversation.agent_name == "Grace"


def test_a_photo_is_acknowledged_and_put_on_the_ticket(hub_client, service_headers, database):
    hub = hub_client.app.state.hub
    cid = handed_over(hub_client, service_headers)
    photo = {"kind": "photo", "file_id": "AgAD-1", "file_name": "broken-lamp.jpg"}

    delivery = hub_client.portal.call(
        hub.receive,
        Inbound(
            channel="rest",
            external_id=integration_external_id("ada"),
            text=None,
            attachments=[photo],
        ),
    )

    [ticket] = tickets(database)
    assert "broken-lamp.jpg" in delivery.replies[0].text
    assert ticket.number in delivery.replies[0].text
    with database.session() as s:
        query = select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
        kinds = list(s.scalars(query))
    assert "attachment" in kinds
    assert conversation(database, cid).owner == "human"


def test_a_photo_before_any_ticket_opens_one(hub_client, database, rasa):
    hub = hub_client.app.state.hub
    photo = {"kind": "document", "file_id": "BQAD-2", "file_name": "receipt.pdf"}

    delivery = hub_client.portal.call(
        hub.receive,
        Inbound(
            channel="rest",
            external_id=integration_external_id("bo"),
            text=None,
            attachments=[photo],
        ),
    )

    [ticket] = tickets(database)
    assert ticket.conversation_id == rest_id("bo")
    assert ticket.number in delivery.replies[0].text
    assert rasa.received == []


def test_a_retried_message_is_stored_once_and_answered_the_same(hub_client, database, rasa):
    hub = hub_client.app.state.hub
    inbound = Inbound(
        channel="rest",
        external_id=integration_external_id("ada"),
        text="hi",
        client_message_id="m-1",
    )

    first = hub_client.portal.call(hub.receive, inbound)
    again = hub_client.portal.call(hub.receive, inbound)

    assert again.duplicate and not first.duplicate
    assert [m.id for m in again.replies] == [m.id for m in first.replies]
    assert rasa.messages_from(rest_id("ada")) == ["hi"]
    assert [who for who, _ in messages(database, rest_id("ada"))] == ["customer", "bot", "bot"]
