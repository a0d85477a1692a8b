from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import redis

from tests.conftest import REDIS_URL
from ticketing.errors import AuthenticationError
from ticketing.logs import PersonalDataFilter, mask
from ticketing.orders.numbers import normalise_order_number, phones_match
from ticketing.security import tokens
from ticketing.security.rate_limit import (
    FallbackFailureCounter,
    MemoryFailureCounter,
    RedisFailureCounter,
    make_failure_counter,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_tokens_round_trip_and_refuse_tampering_expiry_and_other_kinds():
    token, expires = tokens.issue(
        secret="s3cret", kind="a", claims={"cid": 7}, now=NOW, ttl=timedelta(minutes=5)
    )
    assert tokens.read(secret="s3cret", kind="a", token=token, now=NOW)["cid"] == 7
    assert expires == NOW + timedelta(minutes=5)
    for bad in (token + "x", "garbage", "", token.replace(".", "")):
        with pytest.raises(AuthenticationError):
            tokens.read(secret="s3cret", kind="a", token=bad, now=NOW)
    with pytest.raises(AuthenticationError):
        tokens.read(secret="other", kind="a", token=token, now=NOW)
    with pytest.raises(AuthenticationError):
        tokens.read(secret="s3cret", kind="b", token=token, now=NOW)
    with pytest.raises(AuthenticationError, match="expired"):
        tokens.read(secret="s3cret", kind="a", token=token, now=NOW + timedelta(minutes=5))


def test_logs_never_show_emails_phones_or_tokens(caplog):
    text = "ada.lovelace@example.com called from +49 151 2345 6789 with token=abc.def"
    masked = mask(text)
    assert "lovelace" not in masked and "2345" not in masked and "abc.def" not in masked
    assert "a***@example.com" in masked
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "mail %s", ("bob@example.org",), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "mail b***@example.org"


@pytest.mark.parametrize(
    ("raw", "number"),
    [("10234", "10234"), ("#10234", "10234"), ("order no. 10234!", "10234"), ("SB-10234", "10234")],
)
def test_order_numbers_as_customers_type_them(raw, number):
    assert normalise_order_number(raw) == number


@pytest.mark.parametrize("raw", ["", "abc", "10234 and 10235", "12"])
def test_what_is_not_an_order_number(raw):
    with pytest.raises(Exception, match="order number"):
        normalise_order_number(raw)


def test_phone_matching_needs_enough_digits():
    assert phones_match("0151 2345 6789", "4915123456789")
    assert not phones_match("6789", "4915123456789")
    assert not phones_match("+49 151 0000 0000", "4915123456789")


def _exercise(counter) -> None:
    assert counter.failures("k") == 0
    assert [counter.add_failure("k") for _ in range(3)] == [1, 2, 3]
    assert counter.failures("k") == 3
    assert counter.failures("other") == 0
    counter.reset("k")
    assert counter.failures("k") == 0


def test_memory_counter_counts_and_forgets():
    _exercise(MemoryFailureCounter(window_seconds=60))
    instant = MemoryFailureCounter(window_seconds=0)
    instant.add_failure("k")
    assert instant.failures("k") == 0


@pytest.mark.redis
def test_redis_counter_is_shared_between_instances():
    if not REDIS_URL:
        pytest.skip("SUPPORTBOT_TEST_REDIS_URL not set")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    _exercise(RedisFailureCounter(client, 60))
    one, two = RedisFailureCounter(client, 60), RedisFailureCounter(client, 60)
    one.add_failure("shared")
    assert two.failures("shared") == 1
    assert client.ttl("sb:fail:shared") > 0
    client.close()


def test_an_unreachable_redis_falls_back_to_memory():
    counter = make_failure_counter("redis://127.0.0.1:1/0", 60)
    assert isinstance(counter, FallbackFailureCounter)
    _exercise(counter)


def test_telegram_bot_tokens_in_urls_are_masked():
    url = "POST https://api.telegram.org/bot123456789:AAH9x-secretsecretsecret_0123/sendMessage"

    masked = mask(url)

    assert "secretsecret" not in masked and "123456789" not in masked
    assert masked.endswith("/bot***/sendMessage")
