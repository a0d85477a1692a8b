"""The webhook signature covers the timestamp (issue 15): a captured event replayed with a new
`X-Supportbot-Timestamp` no longer verifies, and an old timestamp is refused by its age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from integrations.crm.signing import MAX_AGE_SECONDS, sign, verify

SECRET = "crm-secret-0123456789"
BODY = b'{"data":{"score":1},"id":"e1","kind":"csat.rating","occurred_at":"2026-06-15T12:00:00"}'
SENT = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def stamp(at: datetime) -> str:
    return str(int(at.timestamp()))


def test_a_fresh_signed_event_verifies():
    signature = sign(BODY, SECRET, stamp(SENT))
    assert signature.startswith("sha256=")
    assert verify(BODY, SECRET, signature, stamp(SENT), now=SENT + timedelta(seconds=5))


def test_a_replay_with_a_new_timestamp_and_the_old_signature_fails():
    captured = sign(BODY, SECRET, stamp(SENT))
    later = SENT + timedelta(hours=2)
    assert not verify(BODY, SECRET, captured, stamp(later), now=later)


def test_a_replay_as_it_was_fails_once_too_old():
    signature = sign(BODY, SECRET, stamp(SENT))
    late = SENT + timedelta(seconds=MAX_AGE_SECONDS + 1)
    assert verify(BODY, SECRET, signature, stamp(SENT), now=late - timedelta(seconds=2))
    assert not verify(BODY, SECRET, signature, stamp(SENT), now=late)


def test_a_changed_body_a_wrong_secret_or_a_junk_timestamp_fail():
    signature = sign(BODY, SECRET, stamp(SENT))
    assert not verify(BODY + b" ", SECRET, signature, stamp(SENT), now=SENT)
    assert not verify(BODY, "another secret", signature, stamp(SENT), now=SENT)
    for junk in ("", "-1", "1.5", "１２３", "abc"):
        assert not verify(BODY, SECRET, signature, junk, now=SENT)
