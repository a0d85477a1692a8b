"""The customer history panel's API: orders, conversations, tickets and ratings, newest first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event

from tests.api.helpers import codes
from tests.factories import make_customer, make_order, make_staff
from ticketing.console import customer_history
from ticketing.conversations.models import Conversation, Owner
from ticketing.customers.models import Customer, CustomerTier
from ticketing.feedback.models import CsatRating
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)

NOW = datetime.fromisoformat("2026-06-15T12:00:00+00:00")


def add_conversation(db_session, customer: Customer, key: str, *, at: datetime) -> Conversation:
    conversation = Conversation(
        id=f"web-{key}",
        channel="web",
        external_id=key,
        owner=Owner.RESOLVED,
        customer_id=customer.id,
        created_at=at,
        updated_at=at,
        resolved_at=at + timedelta(minutes=30),
    )
    db_session.add(conversation)
    db_session.flush()
    return conversation


def add_ticket(db_session, customer: Customer, number: str, *, at: datetime) -> Ticket:
    ticket = Ticket(
        number=number,
        category=TicketCategory.LOGISTICS,
        priority=TicketPriority.HIGH,
        status=TicketStatus.OPEN,
        source=TicketSource.BOT,
        subject="Parcel late",
        description="Where is it?",
        customer_id=customer.id,
        created_at=at,
        updated_at=at,
    )
    db_session.add(ticket)
    db_session.flush()
    return ticket


def add_rating(
    db_session, customer: Customer, conversation_id: str, score: int, *, at: datetime, **extra
) -> CsatRating:
    rating = CsatRating(
        conversation_id=conversation_id,
        score=score,
        customer_id=customer.id,
        created_at=at,
        updated_at=at,
        **extra,
    )
    db_session.add(rating)
    db_session.flush()
    return rating


def test_the_history_lists_everything_newest_first(console, database):
    console.staff("ann")
    with database.session(write=True) as db_session:
        vera = make_customer(
            db_session, name="Vera Vip", email="vera@example.com", tier=CustomerTier.VIP
        )
        bob = make_staff(db_session, "bob", StaffRole.AGENT)
        old_order = make_order(db_session, vera, now=NOW - timedelta(days=30), number="100")
        new_order = make_order(db_session, vera, now=NOW, number="200")
        add_conversation(db_session, vera, "old", at=NOW - timedelta(days=9))
        add_conversation(db_session, vera, "new", at=NOW - timedelta(days=1))
        add_ticket(db_session, vera, "T-1", at=NOW - timedelta(days=9))
        add_ticket(db_session, vera, "T-2", at=NOW - timedelta(days=1))
        add_rating(db_session, vera, "web-old", 2, at=NOW - timedelta(days=8), comment="slow")
        add_rating(db_session, vera, "web-new", 5, at=NOW, agent_id=bob.id)
        vera_id = vera.id
        totals = {"100": str(old_order.total), "200": str(new_order.total)}

    response = console.get("ann", f"/customers/{vera_id}/history")

    assert response.status_code == 200, response.text
    history = response.json()
    assert history["customer"] == {
        "id": vera_id,
        "name": "Vera Vip",
        "email": "vera@example.com",
        "tier": "vip",
    }
    assert [(o["number"], o["status"], o["total"], o["currency"]) for o in history["orders"]] == [
        ("200", "delivered", totals["200"], "EUR"),
        ("100", "delivered", totals["100"], "EUR"),
    ]
    assert [c["id"] for c in history["conversations"]] == ["web-new", "web-old"]
    assert history["conversations"][0]["owner"] == "resolved"
    assert history["conversations"][0]["resolved_at"] is not None
    assert [
        (t["number"], t["category"], t["priority"], t["status"]) for t in history["tickets"]
    ] == [("T-2", "logistics", "high", "open"), ("T-1", "logistics", "high", "open")]
    assert [(r["score"], r["comment"], r["agent"]) for r in history["ratings"]] == [
        (5, None, "Bob"),
        (2, "slow", None),
    ]


def test_each_list_holds_the_newest_twenty(console, database):
    console.staff("ann")
    with database.session(write=True) as db_session:
        ada = make_customer(db_session)
        for day in range(25):
            at = NOW - timedelta(days=day)
            make_order(db_session, ada, now=at, number=f"O{day:02d}")
            add_conversation(db_session, ada, f"c{day:02d}", at=at)
            add_ticket(db_session, ada, f"T{day:02d}", at=at)
            add_rating(db_session, ada, f"web-c{day:02d}", 1 + day % 5, at=at)
        ada_id = ada.id

    history = console.get("ann", f"/customers/{ada_id}/history").json()

    newest = [f"{day:02d}" for day in range(20)]
    assert [o["number"] for o in history["orders"]] == [f"O{d}" for d in newest]
    assert [c["id"] for c in history["conversations"]] == [f"web-c{d}" for d in newest]
    assert [t["number"] for t in history["tickets"]] == [f"T{d}" for d in newest]
    assert [r["score"] for r in history["ratings"]] == [1 + day % 5 for day in range(20)]
    dates = [r["created_at"] for r in history["ratings"]]
    assert dates == sorted(dates, reverse=True)


def test_another_customers_data_never_shows(console, database):
    console.staff("ann")
    with database.session(write=True) as db_session:
        ada = make_customer(db_session)
        eve = make_customer(db_session)
        make_order(db_session, ada, now=NOW, number="ADA-1")
        make_order(db_session, eve, now=NOW, number="EVE-1")
        add_conversation(db_session, ada, "ada", at=NOW)
        add_conversation(db_session, eve, "eve", at=NOW)
        add_ticket(db_session, ada, "T-ADA", at=NOW)
        add_ticket(db_session, eve, "T-EVE", at=NOW)
        add_rating(db_session, ada, "web-ada", 4, at=NOW)
        add_rating(db_session, eve, "web-eve", 1, at=NOW, comment="eve's")
        ada_id = ada.id

    history = console.get("ann", f"/customers/{ada_id}/history").json()

    assert [o["number"] for o in history["orders"]] == ["ADA-1"]
    assert [c["id"] for c in history["conversations"]] == ["web-ada"]
    assert [t["number"] for t in history["tickets"]] == ["T-ADA"]
    assert [(r["score"], r["comment"]) for r in history["ratings"]] == [(4, None)]


def test_a_customer_without_history_has_empty_lists(console, database):
    console.staff("ann")
    with database.session(write=True) as db_session:
        ada_id = make_customer(db_session).id
    history = console.get("ann", f"/customers/{ada_id}/history").json()
    assert [history[key] for key in ("orders", "conversations", "tickets", "ratings")] == [
        [],
        [],
        [],
        [],
    ]


def test_unknown_customers_are_404(console):
    console.staff("ann")
    response = console.get("ann", "/customers/999999/history")
    assert response.status_code == 404
    assert codes(response) == ["customer_not_found"]


def test_a_login_is_required(client, database):
    with database.session(write=True) as db_session:
        ada_id = make_customer(db_session).id
    assert client.get(f"/api/console/customers/{ada_id}/history").status_code == 401


def test_the_query_count_does_not_grow_with_the_rows(database):
    with database.session(write=True) as db_session:
        ada = make_customer(db_session)
        bob = make_staff(db_session, "bob", StaffRole.AGENT)
        for day in range(5):
            at = NOW - timedelta(days=day)
            make_order(db_session, ada, now=at)
            add_conversation(db_session, ada, f"q{day}", at=at)
            add_ticket(db_session, ada, f"TQ{day}", at=at)
            add_rating(db_session, ada, f"web-q{day}", 3, at=at, agent_id=bob.id)
        ada_id = ada.id
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.session() as db_session:
            history = customer_history.get_or_raise(db_session=db_session, customer_id=ada_id)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)

    assert len(history.ratings) == 5
    assert {r.agent for r in history.ratings} == {"Bob"}
    assert len(statements) == 5  # the customer, then one query per list
