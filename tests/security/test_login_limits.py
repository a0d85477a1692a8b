"""Staff logins are throttled per account and per client address, with a lock that doubles each
time (issue 15, finding 5: 40 wrong passwords, then the right one, used to succeed)."""

from __future__ import annotations

import pytest
import redis
from fastapi.testclient import TestClient
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.api.helpers import STAFF_PASSWORD, codes
from tests.conftest import REDIS_URL
from tests.factories import make_staff
from ticketing.db import Database
from ticketing.errors import RateLimitedError
from ticketing.security.login_limits import FallbackLockCounter, LockCounter, LoginThrottle
from ticketing.security.message_limits import MemoryWindowCounter, RedisWindowCounter
from ticketing.staff.models import StaffRole


def login(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/api/auth/login", json={"username": username, "password": password})


@pytest.fixture
def ann(database: Database) -> str:
    with database.session(write=True) as db_session:
        make_staff(db_session, "ann", StaffRole.AGENT)
    return "ann"


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, ann):
    answers = [login(client, ann, f"guess {n}").status_code for n in range(40)]
    assert answers[:4] == [401] * 4
    assert set(answers[4:]) == {429}
    right = login(client, ann, STAFF_PASSWORD)
    assert right.status_code == 429
    assert codes(right) == ["rate_limited"]
    assert "Too many failed logins" in right.json()["detail"][0]["msg"]
    assert 0 < int(right.headers["Retry-After"]) <= 60


def test_an_unknown_username_is_answered_exactly_like_a_known_one(client, ann):
    def attempts(username: str) -> list[tuple[int, str, str | None]]:
        return [
            (r.status_code, r.json()["detail"][0]["msg"], r.headers.get("Retry-After"))
            for r in (login(client, username, "wrong") for _ in range(6))
        ]

    assert attempts(ann) == attempts("nobody")


def test_a_success_starts_the_account_again_from_no_failures(client, ann):
    for _ in range(3):
        for n in range(4):
            assert login(client, ann, f"guess {n}").status_code == 401
        assert login(client, ann, STAFF_PASSWORD).status_code == 200


def test_wrong_passwords_for_many_accounts_from_one_address_lock_the_address(client, ann):
    # The limit per address (20) is reached with 4 failures each on 5 accounts, none locked.
    for n in range(20):
        answer = login(client, f"user{n // 4}", "wrong")
    assert answer.status_code == 429
    right = login(client, ann, STAFF_PASSWORD)
    assert right.status_code == 429
    assert "Retry-After" in right.headers


def throttle(counter: LockCounter) -> LoginThrottle:
    return LoginThrottle(
        counter, per_account=3, per_ip=0, window_seconds=900, lock_seconds=60, max_lock_seconds=200
    )


def lock_once(limits: LoginThrottle) -> int:
    """Fail until the account locks; the lock's seconds."""
    for _ in range(2):
        limits.failed(username="ann", ip="10.0.0.1")
    with pytest.raises(RateLimitedError) as locked:
        limits.failed(username="ann", ip="10.0.0.1")
    return locked.value.retry_after


def test_each_further_lock_lasts_twice_as_long_up_to_the_limit():
    now = [0.0]
    limits = throttle(MemoryWindowCounter(clock=lambda: now[0]))
    seen = []
    for _ in range(4):
        seen.append(lock_once(limits))
        with pytest.raises(RateLimitedError):
            limits.check(username="ANN ", ip="10.0.0.2")  # the same account, any spelling
        now[0] += seen[-1]
        limits.check(username="ann", ip="10.0.0.1")  # the lock is over
    assert seen == [60, 120, 200, 200]
    limits.succeeded(username="ann")
    assert lock_once(limits) == 60


@pytest.mark.redis
def test_the_locks_are_shared_through_redis():
    if not REDIS_URL:
        pytest.skip("SUPPORTBOT_TEST_REDIS_URL not set")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    one = throttle(RedisWindowCounter(client, prefix="sb:login:"))
    other = throttle(RedisWindowCounter(client, prefix="sb:login:"))
    assert lock_once(one) == 60
    with pytest.raises(RateLimitedError) as refused:
        other.check(username="ann", ip="10.0.0.9")
    assert 55 <= refused.value.retry_after <= 60
    client.close()


def test_logins_stay_throttled_while_redis_is_unreachable():
    down = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    limits = throttle(FallbackLockCounter(RedisWindowCounter(down), MemoryWindowCounter()))
    assert lock_once(limits) == 60
    with pytest.raises(RateLimitedError):
        limits.check(username="ann", ip="10.0.0.1")
