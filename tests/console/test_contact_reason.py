"""An agent reads the conversation's contact reason in the console and corrects it; the
correction is recorded, refused when unknown, and the bot no longer changes it."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.helpers import codes
from tests.console.conftest import Console
from ticketing.conversations import contact_reason
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database


def _stored(database: Database, conversation_id: str) -> tuple[str | None, str | None]:
    with database.session() as s:
        conversation = s.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation.contact_reason, conversation.contact_reason_source


def test_a_handoff_without_a_task_takes_the_tickets_category(console: Console, database):
    console.staff("ann")
    conversation_id = console.handoff("c1")  # no Rasa: handed to a person, no intent known
    answer = console.get("ann", f"/conversations/{conversation_id}/contact-reason")
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert (shown["reason"], shown["label"], shown["source"]) == (
        "after_sales",
        "After-sales",
        "ticket",
    )
    codes_offered = [choice["code"] for choice in shown["choices"]]
    assert "order_status" in codes_offered and "after_sales" in codes_offered
    assert {"greet", "affirm", "human_agent"}.isdisjoint(codes_offered)
    labels = {choice["code"]: choice["label"] for choice in shown["choices"]}
    assert labels["order_status"] == "Where is my order"


def test_an_agent_corrects_the_reason_and_it_stays(console: Console, database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    path = f"/conversations/{conversation_id}/contact-reason"
    answer = console.put("ann", path, {"reason": "late_delivery"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["reason"], answer.json()["source"]) == ("late_delivery", "agent")
    assert _stored(database, conversation_id) == ("late_delivery", "agent")
    with database.session(write=True) as s:
        events = s.scalars(
            select(ConversationEvent).where(
                ConversationEvent.conversation_id == conversation_id,
                ConversationEvent.kind == "contact_reason_corrected",
            )
        ).all()
        assert [(e.actor, e.data) for e in events] == [
            ("staff:ann", {"from": "after_sales", "to": "late_delivery"})
        ]
        conversation = s.get(Conversation, conversation_id)
        assert conversation is not None
        # neither the bot's task nor a later ticket overrides a person's word
        assert not contact_reason.from_bot(conversation, "order_status")
        assert not contact_reason.from_ticket(conversation, "payment")
    assert _stored(database, conversation_id) == ("late_delivery", "agent")


def test_an_unknown_reason_is_refused_and_nothing_changes(console: Console, database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    path = f"/conversations/{conversation_id}/contact-reason"
    for bad in ("greet", "where_is_my_order", "x" * 100):
        answer = console.put("ann", path, {"reason": bad})
        assert answer.status_code == 422, answer.text
        assert "unknown_contact_reason" in codes(answer)
    assert console.put("ann", path, {"reason": ""}).status_code == 422
    assert _stored(database, conversation_id) == ("after_sales", "ticket")


def test_no_such_conversation_is_a_404(console: Console):
    console.staff("ann")
    answer = console.put("ann", "/conversations/web-nobody/contact-reason", {"reason": "complaint"})
    assert answer.status_code == 404
    assert console.get("ann", "/conversations/web-nobody/contact-reason").status_code == 404
