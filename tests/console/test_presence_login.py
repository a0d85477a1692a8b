"""Presence follows the console login: online after logging in unless the agent chose Away
(the choice is remembered), away after logging out, and the team table says so."""

from __future__ import annotations

from tests.console.conftest import cookie_login
from ticketing.console.auth import CSRF_HEADER
from ticketing.staff.models import StaffRole


def presence_of(console, username: str) -> str:
    team = console.get("lead", "/agents").json()  # a manager who never logs out here
    return next(a["presence"] for a in team if a["username"] == username)


def choose(client, csrf: str, presence: str) -> None:
    response = client.put(
        "/api/console/me", json={"presence": presence}, headers={CSRF_HEADER: csrf}
    )
    assert response.status_code == 200, response.text
    assert response.json()["presence"] == presence


def log_out(client, csrf: str) -> None:
    response = client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_an_agent_is_online_after_logging_in_and_away_after_logging_out(console, client):
    console.staff("ann")
    console.staff("lead", StaffRole.MANAGER)
    assert presence_of(console, "ann") == "away"  # never logged in

    csrf = cookie_login(client, "ann")

    assert client.get("/api/console/me").json()["presence"] == "online"
    assert presence_of(console, "ann") == "online"
    log_out(client, csrf)
    assert presence_of(console, "ann") == "away"


def test_an_agent_who_chose_away_stays_away_at_the_next_login(console, client):
    console.staff("ann")
    console.staff("lead", StaffRole.MANAGER)
    csrf = cookie_login(client, "ann")
    choose(client, csrf, "away")
    log_out(client, csrf)

    cookie_login(client, "ann")
    assert presence_of(console, "ann") == "away"

    csrf = client.cookies["supportbot_csrf"]
    choose(client, csrf, "online")
    log_out(client, csrf)
    cookie_login(client, "ann")
    assert presence_of(console, "ann") == "online"


def test_managers_are_away_after_logging_in_unless_they_chose_online(console, client):
    console.staff("max", StaffRole.MANAGER)
    console.staff("lead", StaffRole.MANAGER)
    csrf = cookie_login(client, "max")
    assert presence_of(console, "max") == "away"  # they may only have come for the reports
    choose(client, csrf, "online")
    log_out(client, csrf)
    cookie_login(client, "max")
    assert presence_of(console, "max") == "online"


def test_logging_in_hands_the_agent_a_waiting_conversation(console, client):
    console.staff("ann")
    conversation_id = console.handoff("waiting")
    assert console.get("ann", "/queue").json()["items"][0]["id"] == conversation_id

    cookie_login(client, "ann")

    mine = client.get("/api/console/conversations?mine=true").json()
    assert [c["id"] for c in mine] == [conversation_id]
    assert console.get("ann", "/queue").json()["items"] == []


def test_a_failed_login_changes_no_presence(console, client):
    console.staff("ann")
    console.staff("lead", StaffRole.MANAGER)
    client.get("/console/login")
    csrf = client.cookies["supportbot_csrf"]
    response = client.post(
        "/console/login",
        data={"username": "ann", "password": "wrong", "csrf_token": csrf, "next": "/console/"},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert presence_of(console, "ann") == "away"
