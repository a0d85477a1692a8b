"""`supportbot privacy erase`: every personal field gone, accounting and reports unchanged,
idempotent, all or nothing, audited."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import redis
from sqlalchemy import func, select

from integrations.crm.models import CrmEvent
from tests.conftest import SECRET
from tests.privacy.helpers import dump, run_cli, tracker_rows, where_found
from tests.privacy.people import SERVICE, agent_bearer, say
from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import Conversation, Message
from ticketing.customers.models import Customer
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order
from ticketing.privacy import service
from ticketing.privacy.lookup import Selector
from ticketing.privacy.service import Tools
from ticketing.privacy.tracker_store import locate
from ticketing.refunds.models import Refund
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.returns.models import Return
from ticketing.security.rate_limit import MemoryFailureCounter
from ticketing.tickets.models import Ticket
from ticketing.verification.limits import email_key

ERASE = ["privacy", "erase", "--actor", "dpo", "--reason", "GDPR request R-9"]


def erase(capsys, *selector: str, extra: tuple[str, ...] = ("--yes",)) -> tuple[int, str]:
    code = run_cli([*ERASE, *selector, *extra])
    return code, capsys.readouterr().err


def by_email(people) -> tuple[str, str]:
    return ("--email", people.henrietta.email)


def test_erasure_leaves_none_of_the_persons_data_anywhere(
    people, cli_env, capsys, database, tracker_db
):
    henrietta = people.henrietta
    needles = [*henrietta.needles, *(t.lower() for t in henrietta.tracking_numbers)]
    others = [*people.bob.needles, *people.anon.needles]
    before = dump(database)
    assert set(where_found(before, needles)) == set(needles)  # the scan can see them
    assert set(where_found(before, others)) == set(others)

    code, err = erase(capsys, *by_email(people))

    assert code == 0, err
    after = dump(database)
    assert where_found(after, needles) == {}
    assert set(where_found(after, others)) == set(others)  # nobody else lost anything
    senders = {sender for sender, _data in tracker_rows(tracker_db)}
    assert senders == {people.bob.conversation_id, people.anon.conversation_id}
    assert "1 CRM events about this person were delivered before" in err
    with database.session() as s:
        pending = [e for e in s.scalars(select(CrmEvent)) if e.payload.get("score") == 2]
    [rating_event] = pending  # still goes to the CRM, anonymous: its CSAT stays right
    assert rating_event.state == "pending"
    assert (rating_event.payload["comment"], rating_event.payload["customer_id"]) == (
        "[erased]",
        None,
    )
    assert "still new" in err  # the low rating's follow-up is still open


def report_numbers(database) -> dict:
    report_range = ReportRange(date(2026, 6, 1), date(2026, 6, 30), Grouping.WEEK, "Europe/Berlin")
    with database.session() as s:
        built = summary.build(database, s, report_range, ReportFilter())
        money = s.execute(select(func.count(Order.id), func.sum(Order.total))).one()
        refunds = s.execute(select(func.count(Refund.id), func.sum(Refund.amount))).one()
        scores = sorted(s.scalars(select(CsatRating.score)))
        nps = sorted(s.scalars(select(NpsAnswer.score)))
        times = [
            sorted(s.execute(select(model.id, model.updated_at)).all())
            for model in (Ticket, CsatRating, Return)
        ]
    return {
        "report": built,
        "orders": tuple(money),
        "refunds": tuple(refunds),
        "csat": scores,
        "nps": nps,
        "updated_at": times,  # erasing is not an update of the ticket, rating or return
    }


def test_reports_and_accounting_compute_the_same_after_erasure(people, cli_env, capsys, database):
    before = report_numbers(database)
    assert before["report"]["totals"]["conversations"] >= 3
    assert before["csat"] == [2, 4, 5] and before["nps"] == [3]

    code, _err = erase(capsys, *by_email(people))

    assert code == 0
    assert report_numbers(database) == before


def test_what_is_kept_still_reads_through_the_api(
    people, cli_env, capsys, database, hub_client, clock
):
    henrietta = people.henrietta
    delivered = henrietta.order_numbers[0]

    assert erase(capsys, *by_email(people))[0] == 0

    staff = agent_bearer(clock)
    order = hub_client.get(f"/api/orders/{delivered}", headers=staff)
    assert order.status_code == 200, order.text
    assert order.json()["shipping_address"]["country"] == "DE"
    assert order.json()["shipping_address"]["line1"] == "[erased]"
    history = hub_client.get(
        f"/api/console/customers/{henrietta.customer_id}/history", headers=staff
    )
    assert history.status_code == 200, history.text
    assert history.json()["customer"]["name"] == "[erased]"
    assert [r["score"] for r in history.json()["ratings"]] == [2]
    with database.session() as s:
        tombstone = s.get(Customer, henrietta.customer_id).email
    assert tombstone.endswith("@erased.invalid")
    guesses = [henrietta.email, f"erased-{henrietta.customer_id}@erased.invalid"]
    for email in guesses:  # neither the old email nor a guessed pattern proves anything
        refused = hub_client.post(
            "/api/verifications", json={"order_number": delivered, "email": email}, headers=SERVICE
        )
        assert refused.status_code == 401


def test_the_next_message_from_an_erased_chat_starts_afresh(
    people, cli_env, capsys, database, hub_client
):
    assert erase(capsys, "--channel", "rest", "--external-id", people.anon.external_id)[0] == 0

    say(hub_client, "anon-5", "hello again")

    with database.session() as s:
        fresh = s.get(Conversation, people.anon.conversation_id)
        texts = list(s.scalars(select(Message.text).where(Message.conversation_id == fresh.id)))
        [erased] = s.scalars(select(Conversation).where(Conversation.external_id.like("erased-%")))
        old = list(s.scalars(select(Message.text).where(Message.conversation_id == erased.id)))
        [rating] = s.scalars(select(CsatRating).where(CsatRating.conversation_id == erased.id))
    assert texts[0] == "hello again" and "Mr Whiskers" not in " ".join(filter(None, texts))
    assert set(old) == {"[erased]"}
    assert (rating.score, rating.comment) == (4, "[erased]")


def test_a_second_erasure_changes_nothing_and_says_so(people, cli_env, capsys, database):
    assert erase(capsys, *by_email(people))[0] == 0
    once = dump(database)

    by_the_same_email = erase(capsys, *by_email(people))
    by_id = erase(capsys, "--customer-id", str(people.henrietta.customer_id))
    by_chat = erase(capsys, "--channel", "rest", "--external-id", people.henrietta.external_id)

    assert by_the_same_email[0] == 0 and "was erased on" in by_the_same_email[1]
    assert by_id[0] == 0 and "already erased; nothing to change" in by_id[1]
    assert by_chat[0] == 0 and "was erased on" in by_chat[1]
    assert dump(database) == once


def test_an_erasure_is_audited_with_counts_but_never_the_data(
    people, cli_env, capsys, database, redis_url
):
    assert erase(capsys, *by_email(people))[0] == 0

    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erased"))
    assert entry.actor == "admin:dpo"
    assert (entry.entity_type, entry.entity_id) == ("customer", str(people.henrietta.customer_id))
    changes = entry.changes
    assert changes["reason"] == "GDPR request R-9" and changes["selected_by"] == "email"
    counts = changes["counts"]
    assert counts["customer"] == 1 and counts["orders"] == 2 and counts["messages"] >= 5
    assert counts["csat_ratings"] == 1 and counts["nps_answers"] == 1
    assert counts["assistant_tracker_events"] == 2 and counts["attachments"] == 1
    assert changes["crm_events_already_delivered"] == 1
    if redis_url:  # the failed verification was counted in Redis under her order and chat (now
        # reset) and under the email typed, which was not hers (a hash: it names nobody)
        assert counts["verification_counters"] == 2
        client = redis.Redis.from_url(redis_url)
        typed = "sb:fail:" + email_key("not-her@example.org")
        assert client.keys("sb:fail:verify:*") == [typed.encode()]
        client.close()
    assert len(changes["identifier_digests"]) == 3  # email, phone, chat
    text = json.dumps(changes).lower()
    assert not [n for n in people.henrietta.needles if n in text]


def test_a_dry_run_shows_counts_and_changes_nothing(people, cli_env, capsys, database, tracker_db):
    before, tracker_before = dump(database), tracker_rows(tracker_db)

    code, err = erase(capsys, *by_email(people), extra=("--dry-run",))

    assert code == 0
    assert "messages: " in err and "orders: 2" in err and "dry run: nothing was changed" in err
    assert dump(database) == before
    assert tracker_rows(tracker_db) == tracker_before


def test_it_asks_first_and_no_means_nothing_changes(people, cli_env, capsys, database, monkeypatch):
    before = dump(database)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))

    code, err = erase(capsys, *by_email(people), extra=())

    assert code == 1
    assert "Type 'erase' to go on" in err and "cancelled: nothing was changed" in err
    assert dump(database) == before

    monkeypatch.setattr("sys.stdin", io.StringIO("erase\n"))
    code, err = erase(capsys, *by_email(people), extra=())
    assert code == 0 and "erased customer" in err
    assert where_found(dump(database), ["henrietta"]) == {}


def test_a_failure_midway_changes_nothing(people, database, tracker_db, monkeypatch):
    before, tracker = dump(database), tracker_db
    tracker_before = tracker_rows(tracker)
    store, _note = locate(str(tracker))

    def broken_audit(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service.audit_service, "record", broken_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        service.erase_person(
            database=database,
            selector=Selector(email=people.henrietta.email),
            actor="admin:dpo",
            reason="R-9",
            secret=SECRET,
            tools=Tools(tracker=store),
            dry_run=False,
        )
    store.dispose()

    assert dump(database) == before
    assert tracker_rows(tracker) == tracker_before


def test_failed_verification_counts_are_reset(people, database):
    counter = MemoryFailureCounter(window_seconds=900)
    order_key = f"verify:order:{people.henrietta.order_numbers[0]}"
    asker_key = f"verify:asker:{people.henrietta.conversation_id}"
    bob_key = f"verify:asker:{people.bob.conversation_id}"
    her_email_key = email_key(people.henrietta.email)
    for key in (order_key, asker_key, asker_key, bob_key, her_email_key):
        counter.add_failure(key)

    outcome = service.erase_person(
        database=database,
        selector=Selector(customer_id=people.henrietta.customer_id),
        actor="admin:dpo",
        reason="R-9",
        secret=SECRET,
        tools=Tools(counter=counter),
        dry_run=False,
    )

    assert outcome.erasure.counts["verification_counters"] == 3
    assert (counter.failures(order_key), counter.failures(asker_key)) == (0, 0)
    assert counter.failures(her_email_key) == 0, "counted under her email: reset too"
    assert counter.failures(bob_key) == 1
