"""POST /api/ratings and GET /api/ratings/{conversation_id}: one rating per conversation,
replaceable for 7 days."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, proof, staff_headers, verify
from tests.conftest import Clock, new_key
from tests.factories import make_customer, make_order, make_staff
from ticketing.audit.models import AuditEntry
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s)
        ada_order = make_order(s, ada, now=clock.now)
    return locals()


def rating_body(**overrides: object) -> dict[str, object]:
    return {
        "conversation_id": "conv-9",
        "score": 5,
        "comment": "Quick and friendly.",
        "channel": "webchat",
        **overrides,
    }


def rate(client, headers, body=None, **extra_headers):
    """POST /api/ratings as the action server does: with the hub's proof for the conversation,
    issued now (by the app's clock)."""
    body = rating_body() if body is None else body
    return client.post(
        "/api/ratings",
        json=body,
        headers={**proof(client, body.get("conversation_id")), **headers, **extra_headers},
    )


def stored(database: Database) -> list[CsatRating]:
    with database.session() as s:
        return list(s.scalars(select(CsatRating)))


def open_ticket(client, service_headers, conversation_id: str = "conv-9") -> str:
    response = client.post(
        "/api/tickets",
        json={
            "category": "logistics",
            "subject": "Parcel lost",
            "description": "No news for two weeks.",
            "conversation_id": conversation_id,
        },
        headers={**service_headers, **proof(client, conversation_id), "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


def test_a_first_rating_is_stored(client, service_headers, shop, database):
    response = rate(client, service_headers)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer == {
        "conversation_id": "conv-9",
        "score": 5,
        "comment": "Quick and friendly.",
        "channel": "webchat",
        "ticket_number": None,
        "category": None,
        "agent": None,
        "created_at": "2026-06-15T12:00:00Z",
        "updated_at": "2026-06-15T12:00:00Z",
        "changeable_until": "2026-06-22T12:00:00Z",
        "updated": False,
    }
    read = client.get("/api/ratings/conv-9", headers=service_headers)
    assert read.status_code == 200
    assert read.json() == {k: v for k, v in answer.items() if k != "updated"}
    with database.session() as s:
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "rating.created"))
        assert audit.changes == {"score": 5, "ticket": None}


def test_a_new_rating_within_seven_days_replaces_the_first(
    client, service_headers, clock, database
):
    rate(client, service_headers)
    clock.advance(days=6, hours=23)
    second = rate(client, service_headers, rating_body(score=2, comment=None, channel=None))
    assert second.status_code == 200, second.text
    answer = second.json()
    assert (answer["updated"], answer["score"], answer["comment"]) == (True, 2, None)
    assert answer["channel"] == "webchat"  # kept when not given again
    assert answer["created_at"] == "2026-06-15T12:00:00Z"
    assert answer["updated_at"] == "2026-06-22T11:00:00Z"
    clock.advance(hours=1)  # exactly seven days: still allowed
    assert rate(client, service_headers, rating_body(score=3)).status_code == 200
    [rating] = stored(database)
    assert rating.score == 3
    with database.session() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        # the low rating (2) opened a follow-up ticket for a team lead in between
        assert actions == ["rating.created", "rating.updated", "ticket.created", "rating.updated"]


def test_after_seven_days_a_rating_can_not_be_changed(client, service_headers, clock, database):
    rate(client, service_headers, rating_body(score=4))
    clock.advance(days=7, minutes=1)
    late = rate(client, service_headers, rating_body(score=1))
    assert (late.status_code, codes(late)) == (409, ["rating_change_window_closed"])
    assert late.json()["detail"][0]["msg"] == (
        "This conversation was already rated on June 15, 2026; a rating can only be changed "
        "within 7 days."
    )
    assert [r.score for r in stored(database)] == [4]


def test_a_ticket_brings_its_category_agent_and_customer(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    number = open_ticket(client, headers)
    with database.session() as s:
        agent = make_staff(s, "maria", StaffRole.AGENT)
        s.scalar(select(Ticket)).assignee_id = agent.id
    response = rate(client, service_headers, rating_body(ticket_number=number.lower()))
    assert response.status_code == 201, response.text
    answer = response.json()
    assert (answer["ticket_number"], answer["category"], answer["agent"]) == (
        number,
        "logistics",
        "maria",
    )
    [rating] = stored(database)
    assert rating.customer_id == shop["ada"].id


def test_a_verified_customer_is_linked(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    assert rate(client, headers).status_code == 201
    assert stored(database)[0].customer_id == shop["ada"].id


def test_only_a_ticket_of_the_same_conversation_can_be_rated(client, service_headers, database):
    other = open_ticket(client, service_headers, conversation_id="someone-else")
    foreign = rate(client, service_headers, rating_body(ticket_number=other))
    unknown = rate(client, service_headers, rating_body(ticket_number="T-000000"))
    assert foreign.status_code == unknown.status_code == 404
    assert codes(foreign) == codes(unknown) == ["ticket_not_found"]
    assert stored(database) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score", 0),
        ("score", 6),
        ("score", -1),
        ("score", 4.5),
        ("score", "5"),
        ("score", True),
        ("score", None),
        ("comment", "c" * 2001),
        ("comment", "c" * 10_000),
        ("conversation_id", "c" * 10_000),
        ("conversation_id", ""),
        ("channel", "c" * 10_000),
        ("ticket_number", "T" * 10_000),
        ("stars", 5),
    ],
)
def test_bad_fields_are_refused(client, service_headers, database, field, value):
    response = rate(client, service_headers, rating_body(**{field: value}))
    assert response.status_code == 422, response.text
    assert codes(response)[0] == "invalid_input"
    assert field in response.json()["detail"][0]["loc"]
    assert stored(database) == []


def test_a_missing_score_and_malformed_json_are_refused(client, service_headers):
    body = rating_body()
    del body["score"]
    assert rate(client, service_headers, body).status_code == 422
    broken = client.post(
        "/api/ratings",
        content=b'{"score": 5',
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert (broken.status_code, codes(broken)) == (422, ["invalid_input"])


def test_a_long_comment_within_bounds_is_kept(client, service_headers):
    response = rate(client, service_headers, rating_body(comment="c" * 2000))
    assert response.status_code == 201
    assert len(response.json()["comment"]) == 2000


def test_an_idempotency_key_is_optional_and_replays(client, service_headers, database):
    key = new_key()
    first = rate(client, service_headers, **{"Idempotency-Key": key})
    again = rate(client, service_headers, **{"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    reused = rate(client, service_headers, rating_body(score=1), **{"Idempotency-Key": key})
    assert (reused.status_code, codes(reused)) == (409, ["idempotency_key_reused"])
    bad = rate(client, service_headers, **{"Idempotency-Key": "short"})
    assert codes(bad) == ["idempotency_key_invalid"]
    assert len(stored(database)) == 1


def test_who_may_rate_and_read(client, service_headers, database):
    assert rate(client, {}).status_code == 401
    assert codes(rate(client, {"X-Api-Key": "wrong"})) == ["bad_service_key"]
    with database.session() as s:
        make_staff(s, "boss", StaffRole.MANAGER)
    staff = staff_headers(client, "boss")
    assert rate(client, staff).status_code == 401  # ratings come from the bot only
    assert rate(client, service_headers).status_code == 201
    assert client.get("/api/ratings/conv-9", headers=staff).status_code == 200
    assert client.get("/api/ratings/conv-9").status_code == 401
    missing = client.get("/api/ratings/conv-unknown", headers=service_headers)
    assert (missing.status_code, codes(missing)) == (404, ["rating_not_found"])
