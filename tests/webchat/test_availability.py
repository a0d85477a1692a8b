"""`GET /chat/api/availability`: what the greeting says about when a person replies, on the
policy's calendar (Europe/Berlin, Monday to Friday 09:00-18:00, holidays 25 and 26 December and
1 January; a normal ticket's first response within 480 business minutes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.contract import assert_documented
from tests.factories import make_staff
from ticketing.agents.models import AgentState, Presence
from ticketing.policy import service as policy_service
from ticketing.staff.models import StaffRole


def at(clock, *args: int) -> None:
    clock.now = datetime(*args, tzinfo=UTC)


def availability(client) -> dict:
    response = client.get("/chat/api/availability")  # no token: nothing in it is personal
    assert response.status_code == 200, response.text
    return response.json()


def test_in_business_hours_a_person_replies_within_the_sla_target(client, clock):
    at(clock, 2026, 6, 15, 12, 0)  # Monday 14:00 in Berlin (summer time)
    answer = availability(client)
    assert answer["open"] is True
    assert answer["reply_minutes"] == 480
    assert answer["reply_time"] == "within 8 hours (business hours)"
    assert answer["text"] == "Need a person? A colleague replies within 8 hours (business hours)."
    assert answer["closes_at"] == "2026-06-15T18:00:00+02:00"
    assert answer["next_opening"] is None
    assert (answer["timezone"], answer["zone_name"]) == ("Europe/Berlin", "Berlin time")


def test_with_an_agent_online_the_greeting_says_the_team_is_there(client, clock, database):
    at(clock, 2026, 6, 15, 12, 0)
    with database.session(write=True) as db_session:
        staff = make_staff(db_session, "olga", StaffRole.AGENT)
        db_session.add(AgentState(staff_id=staff.id, presence=Presence.ONLINE))
    answer = availability(client)
    assert answer["agents_online"] is True
    assert (
        answer["text"]
        == "Our team is online now: a person replies within 8 hours (business hours)."
    )

    with database.session(write=True) as db_session:
        db_session.get(AgentState, staff.id).presence = Presence.AWAY
    assert availability(client)["agents_online"] is False


def test_an_inactive_agent_left_online_does_not_count(client, clock, database):
    at(clock, 2026, 6, 15, 12, 0)
    with database.session(write=True) as db_session:
        staff = make_staff(db_session, "gone", StaffRole.AGENT)
        staff.active = False
        db_session.add(AgentState(staff_id=staff.id, presence=Presence.ONLINE))
    assert availability(client)["agents_online"] is False


@pytest.mark.parametrize(
    ("utc", "opening", "words"),
    [
        # Friday 19:30 in Berlin: back on Monday
        ((2026, 6, 19, 17, 30), "2026-06-22T09:00:00+02:00", "on Monday at 09:00"),
        # Saturday noon
        ((2026, 6, 20, 10, 0), "2026-06-22T09:00:00+02:00", "on Monday at 09:00"),
        # Tuesday 07:15, before opening
        ((2026, 6, 16, 5, 15), "2026-06-16T09:00:00+02:00", "today at 09:00"),
        # Tuesday 18:00 sharp: closed, back tomorrow
        ((2026, 6, 16, 16, 0), "2026-06-17T09:00:00+02:00", "tomorrow at 09:00"),
        # Thursday 24 December 19:00 (winter time): Friday 25 and Saturday 26 are holidays
        ((2026, 12, 24, 18, 0), "2026-12-28T09:00:00+01:00", "on Monday at 09:00"),
        # Christmas Day at noon, a Friday: a holiday is closed all day
        ((2026, 12, 25, 11, 0), "2026-12-28T09:00:00+01:00", "on Monday at 09:00"),
        # New Year's Eve after closing: 1 January is a holiday, then the weekend
        ((2026, 12, 31, 20, 0), "2027-01-04T09:00:00+01:00", "on Monday at 09:00"),
    ],
)
def test_out_of_hours_it_says_when_the_team_is_back(client, clock, utc, opening, words):
    at(clock, *utc)
    answer = availability(client)
    assert answer["open"] is False
    assert answer["next_opening"] == opening
    assert answer["closes_at"] is None
    assert answer["reply_time"] == f"within 8 hours after we open {words}"
    assert answer["text"] == (
        f"Our team is away right now: a person will reply within 8 hours after we open {words} "
        "(Berlin time)."
    )


def test_more_than_a_week_away_it_names_the_date(client, clock, database):
    at(clock, 2026, 6, 15, 12, 0)  # a Monday; the shop closes for two weeks (a policy change)
    with database.session(write=True) as db_session:
        policy = policy_service.get_current(
            db_session=db_session, policy_file=client.app.state.settings.policy_file
        ).policy
        document = policy.model_dump(mode="json")
        document["business_hours"]["holidays"] = [f"2026-06-{day}" for day in range(15, 27)]
        policy_service.update(db_session=db_session, document=document, actor="test")
    answer = availability(client)
    assert answer["open"] is False  # a holiday, though it is Monday afternoon
    assert answer["next_opening"] == "2026-06-29T09:00:00+02:00"
    assert "after we open on June 29 at 09:00 (Berlin time)" in answer["text"]


def test_the_answer_is_public_and_cacheable_for_at_most_a_minute(client, clock):
    at(clock, 2026, 6, 15, 12, 0)
    response = client.get("/chat/api/availability", headers={"Origin": "https://shop.example"})
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["access-control-allow-origin"] == "*"
    assert_documented(client, response)

    at(clock, 2026, 6, 15, 15, 59, 30)  # 17:59:30 in Berlin: it closes in 30 seconds
    response = client.get("/chat/api/availability")
    assert response.headers["cache-control"] == "public, max-age=30"
    assert response.json()["open"] is True
    at(clock, 2026, 6, 15, 16, 0)
    assert availability(client)["open"] is False
