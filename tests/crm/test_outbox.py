"""Events are queued in the transaction of the change: rolled back with it, once per change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from integrations.crm import outbox as crm_outbox
from integrations.crm.events import CSAT_RATING
from tests.crm.helpers import outbox, rate
from ticketing.feedback.models import CsatRating


def test_a_rating_queues_one_event_with_the_rating(database, clock):
    rate(database, "web-ada", 4, now=clock.now, comment="Quick and friendly")

    [event] = outbox(database)
    assert event.kind == CSAT_RATING
    assert event.state == "pending"
    assert (event.attempts, event.next_attempt_at, event.created_at) == (0, clock.now, clock.now)
    assert event.payload == {
        "conversation_id": "web-ada",
        "score": 4,
        "comment": "Quick and friendly",
        "channel": "web",
        "category": None,
        "agent": None,
        "ticket_number": None,
        "customer_id": None,
        "created_at": clock.now.isoformat(),
        "updated_at": clock.now.isoformat(),
    }


def test_a_changed_rating_is_a_new_event_but_a_replay_is_not(database, clock):
    first = clock.now
    rate(database, "web-ada", 4, now=first)
    clock.advance(minutes=1)
    rate(database, "web-ada", 4, now=clock.now)  # the same request again
    clock.advance(minutes=1)
    rate(database, "web-ada", 2, now=clock.now, comment="Actually, it broke")

    events = outbox(database)
    assert [e.payload["score"] for e in events] == [4, 2]
    assert events[1].payload["created_at"] == first.isoformat()
    assert len({e.id for e in events}) == 2


def test_the_same_key_is_the_same_event(database, clock):
    with database.session(write=True) as db_session:
        one = crm_outbox.enqueue(
            db_session, kind="nps.answer", data={"score": 9}, now=clock.now, key=("c1", 1)
        )
        two = crm_outbox.enqueue(
            db_session, kind="nps.answer", data={"score": 9}, now=clock.now, key=("c1", 1)
        )
    with database.session(write=True) as db_session:
        three = crm_outbox.enqueue(
            db_session, kind="nps.answer", data={"score": 9}, now=clock.now, key=("c1", 1)
        )

    assert one.id == two.id == three.id
    assert len(outbox(database)) == 1


def test_a_rolled_back_transaction_queues_nothing(database, clock):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), database.session(write=True) as db_session:
        crm_outbox.enqueue(db_session, kind="nps.answer", data={}, now=clock.now)
        db_session.add(CsatRating(conversation_id="web-x", score=5, created_at=clock.now))
        raise Boom

    assert outbox(database) == []


def test_a_rating_that_fails_queues_nothing(database, clock):
    rate(database, "web-ada", 4, now=clock.now)
    clock.advance(days=8)  # past the change window: the update is refused and rolled back

    with pytest.raises(Exception, match="only be changed within"):
        rate(database, "web-ada", 1, now=clock.now)

    assert [e.payload["score"] for e in outbox(database)] == [4]


def test_status_counts_per_kind(database, clock):
    rate(database, "web-ada", 4, now=clock.now)
    with database.session(write=True) as db_session:
        crm_outbox.enqueue(
            db_session, kind="nps.answer", data={}, now=clock.now + timedelta(minutes=5)
        )

    with database.session() as db_session:
        counts = crm_outbox.counts(db_session, now=clock.now)

    assert [(c.kind, c.pending, c.due, c.delivered, c.dead) for c in counts] == [
        ("csat.rating", 1, 1, 0, 0),
        ("nps.answer", 1, 0, 0, 0),
    ]
