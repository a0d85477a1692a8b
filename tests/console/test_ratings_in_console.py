"""The customer's rating in the console: on the conversation it rates, and beside each
conversation of the customer history."""

from __future__ import annotations

from datetime import timedelta

from tests.console.test_customer_history import NOW, add_conversation, add_rating
from tests.factories import make_customer
from ticketing.conversations.models import Conversation


def test_the_conversation_shows_the_customers_rating_and_comment(console, database):
    console.staff("ann")
    rated = console.handoff("rated")
    unrated = console.handoff("unrated")
    with database.session(write=True) as db_session:
        vera = make_customer(db_session, name="Vera")
        db_session.get(Conversation, rated).customer_id = vera.id
        add_rating(db_session, vera, rated, 2, at=NOW, comment="Took too long")

    detail = console.get("ann", f"/conversations/{rated}").json()
    assert detail["rating"]["score"] == 2
    assert detail["rating"]["comment"] == "Took too long"
    assert console.get("ann", f"/conversations/{unrated}").json()["rating"] is None


def test_each_history_conversation_carries_its_own_rating(console, database):
    console.staff("ann")
    with database.session(write=True) as db_session:
        vera = make_customer(db_session)
        add_conversation(db_session, vera, "good", at=NOW - timedelta(days=2))
        add_conversation(db_session, vera, "bad", at=NOW - timedelta(days=1))
        add_conversation(db_session, vera, "none", at=NOW)
        add_rating(db_session, vera, "web-good", 5, at=NOW, comment="Great help!")
        add_rating(db_session, vera, "web-bad", 1, at=NOW)
        vera_id = vera.id

    history = console.get("ann", f"/customers/{vera_id}/history").json()

    assert [(c["id"], c["rating"], c["rating_comment"]) for c in history["conversations"]] == [
        ("web-none", None, None),
        ("web-bad", 1, None),
        ("web-good", 5, "Great help!"),
    ]
