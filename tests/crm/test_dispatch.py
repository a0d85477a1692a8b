"""Delivery to a fake CRM: signed, 2xx only, backoff while it is down or failing, dead after
the last attempt, and never twice even with two dispatchers at once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from integrations.crm import outbox as crm_outbox
from integrations.crm.dispatcher import backoff_seconds
from tests.crm.fake_crm import running_fake_crm
from tests.crm.helpers import outbox, rate


def test_a_rating_is_delivered_signed_with_its_data(database, clock, crm, make_dispatcher):
    rate(database, "web-ada", 5, now=clock.now, comment="Great")
    [queued] = outbox(database)

    summary = make_dispatcher().dispatch_due()

    assert (summary.delivered, summary.retrying, summary.dead) == (1, 0, 0)
    [received] = crm.accepted
    assert received.signature_ok
    assert received.headers["X-Supportbot-Event-Id"] == str(queued.id)
    assert received.headers["X-Supportbot-Timestamp"] == str(int(clock.now.timestamp()))
    assert received.headers["X-Supportbot-Signature"].startswith("sha256=")
    assert received.headers["Content-Type"] == "application/json"
    assert received.body == {
        "id": str(queued.id),
        "kind": "csat.rating",
        "occurred_at": clock.now.isoformat(),
        "data": queued.payload,
    }
    assert received.body["data"]["score"] == 5
    [delivered] = outbox(database)
    assert (delivered.state, delivered.delivered_at, delivered.next_attempt_at) == (
        "delivered",
        clock.now,
        None,
    )
    assert make_dispatcher().dispatch_due().delivered == 0  # nothing is sent twice


def test_a_wrong_secret_is_not_a_delivery(database, clock, crm, make_dispatcher):
    dispatcher = make_dispatcher()
    crm.secret = "the CRM expects another secret"
    rate(database, "web-ada", 5, now=clock.now)

    summary = dispatcher.dispatch_due()

    assert (summary.delivered, summary.retrying) == (0, 1)
    assert outbox(database)[0].last_error == "HTTP 401"


def test_crm_down_keeps_the_event_with_backoff_then_delivers_it_once(
    database, clock, crm, make_dispatcher
):
    port = crm.port
    crm.stop()
    rate(database, "web-ada", 3, now=clock.now)
    dispatcher = make_dispatcher()

    summary = dispatcher.dispatch_due()

    assert summary.unreachable and summary.retrying == 1
    [waiting] = outbox(database)
    assert waiting.state == "pending" and waiting.attempts == 1
    assert waiting.next_attempt_at == clock.now + timedelta(seconds=30)
    assert waiting.last_error.startswith("unreachable")
    assert dispatcher.dispatch_due().retrying == 0  # not due yet: no attempt spent

    clock.advance(seconds=30)
    with running_fake_crm(port, clock=clock) as back_up:
        first = dispatcher.dispatch_due()
        second = dispatcher.dispatch_due()

    assert (first.delivered, second.delivered) == (1, 0)
    assert back_up.accepted_ids() == [str(waiting.id)]
    assert outbox(database)[0].state == "delivered"


def test_errors_back_off_exponentially(database, clock, crm, make_dispatcher):
    crm.mode = "error"
    rate(database, "web-ada", 3, now=clock.now)
    dispatcher = make_dispatcher(max_attempts=10)
    delays = []

    for _ in range(4):
        summary = dispatcher.dispatch_due()
        assert summary.retrying == 1 and not summary.unreachable
        [event] = outbox(database)
        delays.append((event.next_attempt_at - clock.now).total_seconds())
        clock.now = event.next_attempt_at

    assert delays == [30, 60, 120, 240]
    assert event.last_error == "HTTP 500"
    assert len(crm.requests) == 4 and crm.accepted == []


def test_backoff_has_jitter_and_a_one_hour_cap():
    assert backoff_seconds(1, 0.0) == pytest.approx(24)
    assert backoff_seconds(1, 1.0) == pytest.approx(36)
    assert backoff_seconds(3, 0.5) == 120
    assert backoff_seconds(12, 1.0) == 3600 and backoff_seconds(500, 0.0) == 3600


def test_a_hanging_crm_times_out_and_the_event_is_retried(database, clock, crm, make_dispatcher):
    crm.mode, crm.hang_seconds = "hang", 2.0
    rate(database, "web-ada", 3, now=clock.now)
    dispatcher = make_dispatcher(timeout=0.3)

    summary = dispatcher.dispatch_due()

    assert summary.unreachable and summary.retrying == 1
    assert outbox(database)[0].last_error == "timed out"
    crm.mode = "ok"
    clock.advance(seconds=30)
    assert dispatcher.dispatch_due().delivered == 1


def test_an_unreachable_crm_stops_the_round(database, clock, crm, make_dispatcher):
    crm.stop()
    for n in range(3):
        rate(database, f"web-{n}", 4, now=clock.now)

    summary = make_dispatcher().dispatch_due()

    assert summary.retrying == 1
    assert sorted(e.attempts for e in outbox(database)) == [0, 0, 1]


def test_dead_after_the_last_attempt_until_retried(database, clock, crm, make_dispatcher):
    crm.mode = "error"
    rate(database, "web-ada", 2, now=clock.now)
    dispatcher = make_dispatcher(max_attempts=2)

    assert dispatcher.dispatch_due().retrying == 1
    clock.advance(hours=1)
    assert dispatcher.dispatch_due().dead == 1
    clock.advance(days=3)
    assert dispatcher.dispatch_due().retrying == 0  # dead events are not retried by themselves

    [dead] = outbox(database)
    assert (dead.state, dead.attempts, dead.next_attempt_at) == ("dead", 2, None)
    with database.session() as db_session:
        [counts] = crm_outbox.counts(db_session, now=clock.now)
        assert (counts.pending, counts.dead) == (0, 1)
        assert [e.id for e in crm_outbox.dead_events(db_session)] == [dead.id]
    with database.session(write=True) as db_session:
        assert crm_outbox.retry_dead(db_session, now=clock.now) == 1
    crm.mode = "ok"

    assert dispatcher.dispatch_due().delivered == 1
    assert crm.accepted_ids() == [str(dead.id)]
    assert outbox(database)[0].state == "delivered"


def test_any_kind_of_event_is_delivered(database, clock, crm, make_dispatcher):
    with database.session(write=True) as db_session:
        crm_outbox.enqueue(
            db_session, kind="nps.answer", data={"score": 9}, now=clock.now, key=("c1", 1)
        )

    make_dispatcher().dispatch_due()

    [received] = crm.accepted
    assert (received.body["kind"], received.body["data"]) == ("nps.answer", {"score": 9})


def test_two_dispatchers_at_once_deliver_each_event_once(database, clock, crm, make_dispatcher):
    with database.session(write=True) as db_session:
        ids = {
            str(crm_outbox.enqueue(db_session, kind="nps.answer", data={"n": n}, now=clock.now).id)
            for n in range(30)
        }
    crm.delay = 0.01
    dispatchers = [make_dispatcher(), make_dispatcher()]
    delivered = [0, 0]
    start = threading.Barrier(2)

    def run(index: int) -> None:
        start.wait()
        delivered[index] = dispatchers[index].dispatch_due().delivered

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(delivered) == 30 and all(delivered)  # both took part
    assert Counter(r.body["id"] for r in crm.requests) == Counter(dict.fromkeys(ids, 1))
    assert {e.state for e in outbox(database)} == {"delivered"}
