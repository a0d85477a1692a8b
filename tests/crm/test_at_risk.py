"""`customer.at_risk` events: a customer newly at risk this month is queued once (a second
sweep, or the same customer at risk for another reason, queues nothing); next month is a new
period; the app's CRM dispatcher sweeps by itself and delivers them."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from integrations.crm import at_risk
from integrations.crm.models import CrmEvent
from tests.conftest import Clock
from tests.crm.fake_crm import FakeCrm
from tests.factories import make_customer
from ticketing.conversations.models import Conversation, ConversationEvent, CsatState, Owner
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.settings import REPO_ROOT

BERLIN = "Europe/Berlin"


def _conversation(s, key: str, customer_id: int, at: datetime, **fields) -> Conversation:  # type: ignore[no-untyped-def]
    conversation = Conversation(
        id=f"web-{key}",
        channel="web",
        external_id=key,
        owner=Owner.CLOSED,
        csat_state=CsatState.DONE,
        customer_id=customer_id,
        context={},
        created_at=at,
        updated_at=at,
        **fields,
    )
    s.add(conversation)
    s.flush()
    return conversation


def _low_rating(database: Database, key: str, at: datetime, score: int = 1) -> int:
    with database.session(write=True) as s:
        customer = make_customer(s, email=f"{key}@example.org")
        _conversation(s, key, customer.id, at)
        s.add(
            CsatRating(
                conversation_id=f"web-{key}",
                score=score,
                channel="web",
                customer_id=customer.id,
                created_at=at,
                updated_at=at,
            )
        )
        return customer.id


def _events(database: Database) -> list[CrmEvent]:
    with database.session() as s:
        return list(
            s.scalars(
                select(CrmEvent)
                .where(CrmEvent.kind == at_risk.CUSTOMER_AT_RISK)
                .order_by(CrmEvent.created_at)
            )
        )


def _sweep(database: Database, now: datetime) -> int:
    with database.session(write=True) as s:
        return at_risk.enqueue_at_risk(s, now=now, timezone=BERLIN)


def test_a_customer_is_pushed_once_per_month(database: Database, clock: Clock) -> None:
    now = clock()
    rita = _low_rating(database, "rita", now - timedelta(days=2), score=2)
    _low_rating(database, "finn", now - timedelta(days=2), score=3)  # not at risk
    assert _sweep(database, now) == 1
    (event,) = _events(database)
    data = event.payload
    assert data["customer_id"] == rita and data["why"] == ["rated 2 of 5"]
    assert data["period"] == {"from": "2026-06-01", "to": "2026-06-30"}
    assert (data["low_ratings"], data["lowest_score"], data["reopened"]) == (1, 2, 0)
    assert "@" not in str(data)  # the CRM gets the customer's id, never an email

    # Rita also reopens a conversation: still the same customer in the same month
    with database.session(write=True) as s:
        s.add(ConversationEvent(conversation_id="web-rita", kind="reopened", actor="x", at=now))
    assert _sweep(database, now + timedelta(hours=1)) == 0
    assert len(_events(database)) == 1

    # July: a new period, and she is still at risk (the June rating does not count in July)
    july = datetime(2026, 7, 3, 12, 0, tzinfo=now.tzinfo)
    assert _sweep(database, july) == 0
    _low_rating(database, "rita2", july - timedelta(hours=1))
    assert _sweep(database, july) == 1
    assert [e.payload["period"]["from"] for e in _events(database)] == ["2026-06-01", "2026-07-01"]


def test_the_sweep_reads_the_policys_timezone(database: Database, clock: Clock) -> None:
    # 30 June 23:30 UTC is 1 July in Berlin: the rating counts in July there
    late = datetime(2026, 6, 30, 23, 30, tzinfo=clock().tzinfo)
    _low_rating(database, "late", late)
    assert at_risk.sweep(database, REPO_ROOT / "policy.yml", late + timedelta(minutes=5)) == 1
    assert _events(database)[0].payload["period"]["from"] == "2026-07-01"


@pytest.fixture
def rated_before_start(database: Database, clock: Clock) -> int:
    return _low_rating(database, "early", clock() - timedelta(hours=3))


def test_the_running_app_sweeps_and_delivers(
    rated_before_start: int, app_client: TestClient, crm: FakeCrm, database: Database
) -> None:
    assert app_client.app is not None
    deadline = time.monotonic() + 10
    while not any(r.body["kind"] == at_risk.CUSTOMER_AT_RISK for r in crm.accepted):
        assert time.monotonic() < deadline, "no customer.at_risk delivered"
        time.sleep(0.05)
    (body,) = [r.body for r in crm.accepted if r.body["kind"] == at_risk.CUSTOMER_AT_RISK]
    assert body["data"]["customer_id"] == rated_before_start
    assert len(_events(database)) == 1
