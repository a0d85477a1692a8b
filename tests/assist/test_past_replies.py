"""Past agent replies read from resolved conversations, their names and numbers turned into
placeholders, and the index kept up to date by embedding only what is new."""

from __future__ import annotations

from sqlalchemy import update

from tests.assist.fakes import WordEmbedder
from tests.assist.history import NOW, add_conversation
from tests.factories import make_customer, make_order, make_staff
from ticketing.assist.past_replies import PastReply, harvest, resolved_conversations, templated
from ticketing.assist.reply_index import ReplyIndex
from ticketing.conversations.models import Conversation
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)


def test_each_agent_reply_comes_with_the_customer_message_it_answered(database):
    with database.session(write=True) as db_session:
        ann = make_staff(db_session, "ann", StaffRole.AGENT)
        add_conversation(
            db_session,
            "a",
            [
                ("customer", "where is my parcel"),
                ("bot", "Let me check."),
                ("customer", "a person please"),
                ("agent", "I'm on it."),
                ("agent", "It ships today."),
                ("customer", "thanks"),
                ("agent", "You're welcome."),
            ],
            agent=ann,
        )
        add_conversation(
            db_session, "open", [("customer", "hi"), ("agent", "Hello")], agent=ann, resolved=False
        )
        add_conversation(db_session, "agent-first", [("agent", "Hello?")], agent=ann)

        resolved = resolved_conversations(db_session)
        found = harvest(db_session, resolved)

    assert set(resolved) == {"web-a", "web-agent-first"}
    assert found["web-a"] == [
        PastReply("web-a", "a person please", "I'm on it."),
        PastReply("web-a", "a person please", "It ships today."),
        PastReply("web-a", "thanks", "You're welcome."),
    ]
    assert found["web-agent-first"] == []  # nothing the customer said to answer


def test_names_and_numbers_of_the_conversation_become_placeholders(database):
    with database.session(write=True) as db_session:
        ann = make_staff(db_session, "ann agent", StaffRole.AGENT)
        jonas = make_customer(db_session, name="Jonas Weber")
        order = make_order(db_session, jonas, now=NOW, number="10410")
        ticket = Ticket(
            number="T-504425",
            category=TicketCategory.LOGISTICS,
            priority=TicketPriority.NORMAL,
            status=TicketStatus.RESOLVED,
            source=TicketSource.BOT,
            subject="late",
            description="late",
            customer_id=jonas.id,
            order_id=order.id,
            created_at=NOW,
            updated_at=NOW,
        )
        db_session.add(ticket)
        db_session.flush()
        reply = (
            "Hi Jonas, this is Ann. Order 10410 (ticket T-504425) ships today. "
            "Ann Agent, Demo Shop. Order 104100 is someone else's."
        )
        add_conversation(
            db_session,
            "j",
            [("customer", "where is it"), ("agent", reply)],
            agent=ann,
            customer_id=jonas.id,
            ticket_id=ticket.id,
        )
        found = harvest(db_session, ["web-j"])

    assert found["web-j"][0].reply == (
        "Hi {customer_first_name}, this is {agent_first_name}. Order {order_number} (ticket "
        "{ticket_number}) ships today. {agent_name}, Demo Shop. Order 104100 is someone else's."
    )


def test_the_order_number_the_bot_collected_counts_without_a_ticket():
    assert templated("Order 555 is on its way", {"order_number": "555", "agent_name": None}) == (
        "Order {order_number} is on its way"
    )
    assert templated("Nothing to replace", {"customer_name": ""}) == "Nothing to replace"


def test_a_refresh_embeds_only_new_conversations_and_drops_gone_ones(database):
    embedder = WordEmbedder()
    index = ReplyIndex(embedder)
    with database.session(write=True) as db_session:
        ann = make_staff(db_session, "ann", StaffRole.AGENT)
        add_conversation(
            db_session, "1", [("customer", "refund late"), ("agent", "Sent.")], agent=ann
        )
        add_conversation(
            db_session, "2", [("customer", "refund late"), ("agent", "Sent.")], agent=ann
        )

    with database.session() as db_session:
        assert index.refresh(db_session) == 2
    assert embedder.embedded == ["refund late"]  # one embedding per distinct text
    assert len(index) == 2

    with database.session() as db_session:
        assert index.refresh(db_session) == 0  # nothing new: nothing read, nothing embedded
    assert embedder.embedded == ["refund late"]

    with database.session(write=True) as db_session:
        add_conversation(
            db_session, "3", [("customer", "parcel damaged"), ("agent", "Photo?")], agent=ann
        )
        add_conversation(
            db_session,
            "4",
            [("customer", "not yet"), ("agent", "Soon.")],
            agent=ann,
            resolved=False,
        )
    with database.session() as db_session:
        assert index.refresh(db_session) == 1
    assert embedder.embedded == ["refund late", "parcel damaged"]
    assert [r.reply for r in index.snapshot.replies] == ["Sent.", "Sent.", "Photo?"]

    with database.session(write=True) as db_session:  # an erasure renames a conversation
        db_session.execute(
            update(Conversation).where(Conversation.id == "web-3").values(resolved_at=None)
        )
    with database.session() as db_session:
        index.refresh(db_session)
    assert [r.conversation_id for r in index.snapshot.replies] == ["web-1", "web-2"]
    assert index.snapshot.vectors.shape == (2, 384)
