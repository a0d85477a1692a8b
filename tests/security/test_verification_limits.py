"""Guessing through POST /api/verifications: failures are limited per order, per email or phone
(whatever the asker calls itself) and for the whole shop per minute; Redis when configured."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import codes
from tests.conftest import Clock
from tests.factories import make_customer, make_order
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.observability.metrics import REGISTRY
from ticketing.security.message_limits import MemoryWindowCounter
from ticketing.settings import Settings
from ticketing.verification import limits

LIMIT = 5  # Settings.verification_max_failures


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, str]:
    with database.session() as s:
        ada = make_customer(s, email="Ada.L@example.com", phone="+49 151 2345 6789")
        bob = make_customer(s, email="bob@example.com")
        return {
            "ada_order": make_order(s, ada, now=clock.now).number,
            "bob_order": make_order(s, bob, now=clock.now).number,
        }


@pytest.fixture
def clocked_locks(client: TestClient, clock: Clock) -> None:
    """The lock-outs in memory on the test clock, also when the app's are in Redis (whose
    expiry the test clock can't move)."""
    use_clocked_locks(client, clock)


def use_clocked_locks(client: TestClient, clock: Clock, **limits_: int) -> None:
    counter = MemoryWindowCounter(clock=lambda: clock.now.timestamp())
    locks = limits.make_locks(counter, ip_lock_seconds=900, **limits_)
    client.app.state.verification_locks = locks  # type: ignore[attr-defined]


def verify(client: TestClient, headers: dict[str, str], **body: str) -> object:
    return client.post("/api/verifications", json=body, headers=headers)


def unknown_orders(count: int) -> list[str]:
    return [str(number) for number in range(90001, 90001 + count)]


def refusals(reason: str) -> float:
    value = REGISTRY.get_sample_value("supportbot_verification_refusals_total", {"reason": reason})
    return value or 0.0


def test_guessing_orders_for_one_email_with_fresh_conversations_is_refused_even_when_right(
    client: TestClient, service_headers: dict[str, str], shop: dict[str, str]
) -> None:
    for attempt, number in enumerate(unknown_orders(LIMIT)):
        wrong = verify(
            client,
            service_headers,
            order_number=number,
            email="ada.l@example.com",
            conversation_id=f"attacker-{attempt}",
        )
        assert wrong.status_code == 401
    right = verify(
        client,
        service_headers,
        order_number=shop["ada_order"],
        email="  ADA.L@example.com",
        conversation_id="attacker-fresh",
    )
    assert right.status_code == 429, right.text
    assert codes(right) == ["rate_limited"]
    assert "try again later" in right.json()["detail"][0]["msg"]
    # Someone else's email is not locked by it.
    bob = verify(
        client,
        service_headers,
        order_number=shop["bob_order"],
        email="bob@example.com",
        conversation_id="bob",
    )
    assert bob.status_code == 200


def test_a_phone_counts_as_one_whatever_its_format(
    client: TestClient, service_headers: dict[str, str], shop: dict[str, str]
) -> None:
    formats = ["+49 151 2345 6789", "0049-151-23456789", "(151) 2345 6789", "015123456789"]
    for attempt, number in enumerate(unknown_orders(LIMIT)):
        phone = formats[attempt % len(formats)]
        body = {"order_number": number, "phone": phone, "conversation_id": f"a-{attempt}"}
        assert verify(client, service_headers, **body).status_code == 401
    right = verify(
        client,
        service_headers,
        order_number=shop["ada_order"],
        phone="+4915123456789",
        conversation_id="a-fresh",
    )
    assert right.status_code == 429


def test_the_limited_answer_is_the_same_whether_the_order_exists_or_not(
    client: TestClient, service_headers: dict[str, str], shop: dict[str, str]
) -> None:
    for attempt, number in enumerate(unknown_orders(LIMIT)):
        body = {"order_number": number, "email": "eve@example.com", "conversation_id": f"{attempt}"}
        assert verify(client, service_headers, **body).status_code == 401
    known = verify(client, service_headers, order_number=shop["ada_order"], email="eve@example.com")
    unknown = verify(client, service_headers, order_number="99999", email="eve@example.com")
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]


def test_failures_of_everyone_together_are_limited_per_minute(
    client: TestClient,
    service_headers: dict[str, str],
    shop: dict[str, str],
    clock: Clock,
) -> None:
    use_clocked_locks(client, clock, failures_per_minute=3)
    for attempt, number in enumerate(unknown_orders(3)):
        body = {"order_number": number, "email": f"x{attempt}@example.com"}
        assert verify(client, service_headers, conversation_id=f"c{attempt}", **body).status_code
    right = {"order_number": shop["bob_order"], "email": "bob@example.com"}
    limited = verify(client, service_headers, conversation_id="bob", **right)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    clock.advance(seconds=60)
    assert verify(client, service_headers, conversation_id="bob", **right).status_code == 200


def test_guessing_shows_in_metrics_and_a_masked_log_line(
    client: TestClient,
    service_headers: dict[str, str],
    shop: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = {reason: refusals(reason) for reason in ("unknown_order", "no_match", "locked")}
    with caplog.at_level(logging.WARNING, logger="ticketing.verification"):
        for attempt, number in enumerate(unknown_orders(LIMIT)):
            body = {"order_number": number, "email": "ada.l@example.com"}
            verify(client, service_headers, conversation_id=f"g{attempt}", **body)
        verify(client, service_headers, order_number=shop["bob_order"], email="eve@example.com")
        verify(client, service_headers, order_number="90999", email="ada.l@example.com")
    assert refusals("unknown_order") - before["unknown_order"] == LIMIT
    assert refusals("no_match") - before["no_match"] == 1
    assert refusals("locked") - before["locked"] == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "ticketing.verification.limits"]
    assert any("unknown_order" in line and "order 90001" in line for line in lines), lines
    assert all("ada.l@" not in line.casefold() for line in lines), lines
    assert any("a***@example.com" in line for line in lines), lines


def lockouts(limit: str) -> float:
    value = REGISTRY.get_sample_value("supportbot_verification_lockouts_total", {"limit": limit})
    return value or 0.0


def test_failures_from_one_customer_address_lock_it_whatever_else_changes(
    client: TestClient,
    service_headers: dict[str, str],
    shop: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = (lockouts("ip"), refusals("ip"))
    with caplog.at_level(logging.WARNING, logger="ticketing.verification"):
        for attempt, number in enumerate(unknown_orders(limits.IP_FAILURES_PER_WINDOW)):
            body = {"order_number": number, "email": f"guess{attempt}@example.com"}
            answer = verify(
                client,
                service_headers,
                conversation_id=f"fresh-{attempt}",
                client_ip="203.0.113.77",
                **body,
            )
            assert answer.status_code == 401
        right = {"order_number": shop["bob_order"], "email": "bob@example.com"}
        locked = verify(client, service_headers, client_ip="203.0.113.77", **right)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == 900  # the first lock: one failure window
    assert (lockouts("ip") - before[0], refusals("ip") - before[1]) == (1, 1)
    other_address = verify(client, service_headers, client_ip="198.51.100.2", **right)
    assert other_address.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "ticketing.verification.limits"]
    assert any("locked out (ip)" in line for line in lines), lines
    assert all("203.0.113.77" not in line for line in lines), lines


def test_each_further_shop_wide_lock_out_lasts_twice_as_long(
    client: TestClient,
    service_headers: dict[str, str],
    shop: dict[str, str],
    clock: Clock,
) -> None:
    use_clocked_locks(client, clock, failures_per_minute=3)
    right = {"order_number": shop["bob_order"], "email": "bob@example.com"}
    before = lockouts("global")
    waits = []
    for round_ in range(5):
        clock.advance(seconds=60 - clock.now.second)  # a new clock minute: a new count
        for attempt, number in enumerate(unknown_orders(3)):
            body = {"order_number": number, "email": f"r{round_}x{attempt}@example.com"}
            verify(client, service_headers, conversation_id=f"r{round_}c{attempt}", **body)
        limited = verify(client, service_headers, conversation_id="bob", **right)
        assert limited.status_code == 429
        waits.append(int(limited.headers["Retry-After"]))
        clock.advance(seconds=waits[-1] - 1)
        assert verify(client, service_headers, conversation_id="bob", **right).status_code == 429
        clock.advance(seconds=1)
    assert waits == [60, 120, 240, 480, 900]  # up to GLOBAL_MAX_LOCK_SECONDS
    assert lockouts("global") - before == 5
    assert verify(client, service_headers, conversation_id="bob", **right).status_code == 200


def test_the_address_and_shop_wide_limits_can_be_turned_off(
    database: Database, settings: Settings, clock: Clock, service_headers: dict[str, str]
) -> None:
    """A shop whose customers all come through one proxy (or the chaos test's 50 customers on
    127.0.0.1) sets SUPPORTBOT_VERIFICATION_FAILURES_PER_IP / _PER_MINUTE to 0."""
    off = settings.model_copy(
        update={"verification_failures_per_ip": 0, "verification_failures_per_minute": 0}
    )
    with TestClient(create_app(off, database=database, clock=clock)) as client:
        before = lockouts("ip") + lockouts("global")
        for attempt, number in enumerate(unknown_orders(limits.GLOBAL_FAILURES_PER_MINUTE + 1)):
            body = {"order_number": number, "email": f"guess{attempt}@example.com"}
            answer = verify(
                client,
                service_headers,
                conversation_id=f"fresh-{attempt}",
                client_ip="203.0.113.78",
                **body,
            )
            assert answer.status_code == 401, answer.text
    assert lockouts("ip") + lockouts("global") == before
