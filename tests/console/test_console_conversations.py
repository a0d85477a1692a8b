"""Working a conversation from the console: claim, reply, notes, hand back, resolve, typing."""

from __future__ import annotations

import uuid

import anyio
from sqlalchemy import func, select

from tests.api.helpers import codes
from tests.contract import assert_documented
from tests.factories import make_customer
from ticketing.conversations.broker import conversation_topic
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.customers.models import CustomerTier
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket


def event_count(database, conversation_id: str, kind: str) -> int:
    with database.session() as db_session:
        return int(
            db_session.scalar(
                select(func.count()).where(
                    ConversationEvent.conversation_id == conversation_id,
                    ConversationEvent.kind == kind,
                )
            )
        )


def customer_messages(client, service_headers, conversation_id: str) -> list[dict]:
    response = client.get(f"/api/conversations/{conversation_id}/messages", headers=service_headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_view_has_the_whole_transcript_and_what_the_bot_collected(console, database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    console.customer_writes("c1", "my parcel never came")
    with database.session(write=True) as db_session:
        vera = make_customer(db_session, name="Vera Vip", tier=CustomerTier.VIP)
        conversation = db_session.get(Conversation, conversation_id)
        conversation.customer_id = vera.id
    detail = console.get("ann", f"/conversations/{conversation_id}").json()
    assert [(m["sender"], m["text"][:20]) for m in detail["messages"]] == [
        ("customer", "help"),
        ("system", "I'm sorry: I'm havin"),
        ("customer", "my parcel never came"),
    ]
    assert detail["conversation"]["owner"] == "human"
    masked = vera.email[0] + "***@example.com"  # the factory's address, masked for display
    assert detail["collected"]["customer"] == {
        "id": vera.id,
        "name": "Vera Vip",
        "email": masked,
        "tier": "vip",
    }
    assert detail["collected"]["reason"] == "backend_down"
    assert detail["ticket"]["number"] == detail["conversation"]["ticket_number"]
    assert detail["ticket"]["status"] == "new"
    assert "bot_handoff" in [e["kind"] for e in detail["events"]]


def test_unknown_conversations_are_404(console):
    console.staff("ann")
    for response in (
        console.get("ann", "/conversations/web-nobody"),
        console.post("ann", "/conversations/web-nobody/claim"),
        console.post("ann", "/conversations/web-nobody/reply", {"text": "hi"}),
        console.post("ann", "/conversations/web-nobody/notes", {"text": "hi"}),
        console.post("ann", "/conversations/web-nobody/typing"),
    ):
        assert response.status_code == 404
        assert codes(response) == ["conversation_not_found"]


def test_a_second_claim_is_a_conflict(console):
    console.staff("ann")
    console.staff("bob")
    conversation_id = console.handoff("c1")
    claimed = console.post("ann", f"/conversations/{conversation_id}/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["agent_username"] == "ann"
    assert console.post("ann", f"/conversations/{conversation_id}/claim").status_code == 200
    conflict = console.post("bob", f"/conversations/{conversation_id}/claim")
    assert conflict.status_code == 409
    assert codes(conflict) == ["already_assigned"]


def test_only_the_assignee_or_a_manager_replies(console):
    console.staff("ann")
    console.staff("bob")
    console.staff("max", StaffRole.MANAGER)
    conversation_id = console.handoff("c1")
    console.post("ann", f"/conversations/{conversation_id}/claim")
    refused = console.post("bob", f"/conversations/{conversation_id}/reply", {"text": "Hi"})
    assert refused.status_code == 403
    assert codes(refused) == ["not_your_conversation"]
    assert console.post("bob", f"/conversations/{conversation_id}/resolve").status_code == 403
    manager = console.post("max", f"/conversations/{conversation_id}/reply", {"text": "Hi"})
    assert manager.status_code == 201


def test_replies_reach_the_customer_and_count_the_first_reply_once(
    client, console, database, service_headers
):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    first = console.post("ann", f"/conversations/{conversation_id}/reply", {"text": "Hello!"})
    assert first.status_code == 201, first.text
    assert (first.json()["sender"], first.json()["sender_name"]) == ("agent", "Ann")
    console.post("ann", f"/conversations/{conversation_id}/reply", {"text": "Still there?"})
    assert event_count(database, conversation_id, "first_human_reply") == 1
    texts = [m["text"] for m in customer_messages(client, service_headers, conversation_id)]
    assert texts[-2:] == ["Hello!", "Still there?"]
    view = console.get("ann", f"/conversations/{conversation_id}").json()["conversation"]
    assert view["agent_username"] == "ann"  # replying took the unassigned conversation


def test_overlong_and_empty_replies_are_422(console):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    long = console.post("ann", f"/conversations/{conversation_id}/reply", {"text": "x" * 10_000})
    assert long.status_code == 422
    assert codes(long) == ["invalid_input"]
    empty = console.post("ann", f"/conversations/{conversation_id}/reply", {"text": ""})
    assert empty.status_code == 422
    blank = console.post("ann", f"/conversations/{conversation_id}/reply", {"text": "   "})
    assert blank.status_code == 422


def test_notes_stay_internal(client, console, service_headers):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    added = console.post("ann", f"/conversations/{conversation_id}/notes", {"text": "VIP, be nice"})
    assert added.status_code == 201, added.text
    assert [(n["author"], n["text"]) for n in added.json()] == [("Ann", "VIP, be nice")]
    detail = console.get("ann", f"/conversations/{conversation_id}").json()
    assert [n["text"] for n in detail["notes"]] == ["VIP, be nice"]
    assert "note" not in [e["kind"] for e in detail["events"]]
    messages = customer_messages(client, service_headers, conversation_id)
    assert all("VIP" not in (m["text"] or "") for m in messages)


def test_hand_back_gives_the_conversation_to_the_bot(console, database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    console.post("ann", f"/conversations/{conversation_id}/claim")
    answer = console.post("ann", f"/conversations/{conversation_id}/hand-back")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["owner"], answer.json()["agent_username"]) == ("bot", None)
    detail = console.get("ann", f"/conversations/{conversation_id}").json()
    assert detail["messages"][-1]["text"] == "You're back with the assistant. How can I help?"
    again = console.post("ann", f"/conversations/{conversation_id}/hand-back")
    assert again.status_code == 409


def test_resolve_asks_for_a_rating_and_resolves_the_ticket(
    client, console, database, service_headers
):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    console.post("ann", f"/conversations/{conversation_id}/reply", {"text": "Sorted!"})
    answer = console.post("ann", f"/conversations/{conversation_id}/resolve")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["owner"], answer.json()["csat_state"]) == ("resolved", "asked")
    last = customer_messages(client, service_headers, conversation_id)[-1]
    assert last["text"].startswith("How did we do?")
    assert [b["payload"] for b in last["buttons"]] == [f"/csat {n}" for n in range(1, 6)]
    with database.session() as db_session:
        ticket = db_session.scalar(select(Ticket).where(Ticket.conversation_id == conversation_id))
        assert ticket is not None and ticket.status.value == "resolved"
    assert console.post("ann", f"/conversations/{conversation_id}/resolve").status_code == 409


def test_typing_is_shown_to_the_customer(client, console):
    console.staff("ann")
    conversation_id = console.handoff(f"typing-{uuid.uuid4().hex}")  # Redis topics are shared
    hub = console.hub
    portal = client.portal
    with portal.wrap_async_context_manager(
        hub.broker.subscribe(conversation_topic(conversation_id))
    ) as subscription:
        answer = console.post("ann", f"/conversations/{conversation_id}/typing")
        assert answer.status_code == 204

        async def next_event() -> dict:
            with anyio.fail_after(5):
                async for event in subscription:
                    return event
            raise AssertionError("no event")

        assert portal.call(next_event) == {"type": "typing", "who": "agent", "name": "Ann"}


def test_canned_replies_are_shared_and_managed_by_managers(console):
    console.staff("ann")
    console.staff("max", StaffRole.MANAGER)
    created = console.post("max", "/canned-replies", {"title": "Greeting", "text": "Hi there!"})
    assert created.status_code == 201, created.text
    duplicate = console.post("max", "/canned-replies", {"title": "Greeting", "text": "Hello"})
    assert duplicate.status_code == 409
    assert [r["title"] for r in console.get("ann", "/canned-replies").json()] == ["Greeting"]
    reply_id = created.json()["id"]
    path = f"/api/console/canned-replies/{reply_id}"
    assert console.client.delete(path, headers=console.headers("ann")).status_code == 403
    assert console.client.delete(path, headers=console.headers("max")).status_code == 204
    assert console.client.delete(path, headers=console.headers("max")).status_code == 404
    assert console.get("ann", "/canned-replies").json() == []


def test_agent_endpoints_declare_their_refusals_in_the_schema(console):
    console.staff("ann")
    console.staff("max", StaffRole.MANAGER)
    body = {"title": "Greeting", "text": "Hi there!"}
    answers = [
        console.post("max", "/canned-replies", body),
        console.post("max", "/canned-replies", body),
        console.post("ann", "/canned-replies", body),
        console.client.get("/api/console/canned-replies"),
        console.client.delete("/api/console/canned-replies/999999", headers=console.headers("max")),
        console.get("ann", "/me"),
        console.get("ann", "/agents"),
    ]
    assert [a.status_code for a in answers] == [201, 409, 403, 401, 404, 200, 403]
    for response in answers:
        assert_documented(console.client, response)


def test_a_canned_reply_id_beyond_the_database_range_is_invalid_input(console):
    # Found by the fuzzer: on PostgreSQL (32-bit ids) this was a 500 from the database.
    console.staff("max", StaffRole.MANAGER)
    path = "/api/console/canned-replies/2147483648"
    response = console.client.delete(path, headers=console.headers("max"))
    assert (response.status_code, codes(response)) == (422, ["invalid_input"])
