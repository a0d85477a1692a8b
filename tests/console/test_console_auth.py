"""Console logins: the session and CSRF cookies, bearer tokens, expiry and roles."""

from __future__ import annotations

import pytest

from tests.api.helpers import codes
from tests.console.conftest import PASSWORD, cookie_login
from ticketing.staff.models import StaffRole


def test_the_login_form_sets_an_httponly_strict_session_cookie(client, console):
    console.staff("ann")
    page = client.get("/console/login")
    assert 'name="csrf_token"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    csrf = client.cookies["supportbot_csrf"]
    response = client.post(
        "/console/login",
        data={"username": "ann", "password": PASSWORD, "csrf_token": csrf, "next": "/console/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("supportbot_console="))
    assert "HttpOnly" in session
    assert "SameSite=strict" in session
    new_csrf = next(c for c in cookies if c.startswith("supportbot_csrf="))
    assert "HttpOnly" not in new_csrf
    home = client.get("/console/")
    assert home.status_code == 200
    assert "Ann" in home.text


def test_a_wrong_password_or_missing_form_token_is_refused(client, console):
    console.staff("ann")
    client.get("/console/login")
    csrf = client.cookies["supportbot_csrf"]
    wrong = client.post(
        "/console/login", data={"username": "ann", "password": "nope", "csrf_token": csrf}
    )
    assert wrong.status_code == 401
    assert "Wrong username or password." in wrong.text
    forged = client.post("/console/login", data={"username": "ann", "password": PASSWORD})
    assert forged.status_code == 403
    assert "supportbot_console" not in client.cookies


def test_the_login_never_redirects_off_the_console(client, console):
    console.staff("ann")
    client.get("/console/login")
    response = client.post(
        "/console/login",
        data={
            "username": "ann",
            "password": PASSWORD,
            "csrf_token": client.cookies["supportbot_csrf"],
            "next": "//evil.example/console/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console/"


def test_cookie_writes_need_the_csrf_header(client, console):
    console.staff("ann")
    csrf = cookie_login(client, "ann")
    assert client.get("/api/console/me").status_code == 200
    refused = client.put("/api/console/me", json={"presence": "online"})
    assert refused.status_code == 403
    assert codes(refused) == ["csrf_failed"]
    wrong = client.put(
        "/api/console/me", json={"presence": "online"}, headers={"X-CSRF-Token": "x"}
    )
    assert wrong.status_code == 403
    ok = client.put("/api/console/me", json={"presence": "online"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text
    assert ok.json()["presence"] == "online"


def test_bearer_tokens_need_no_csrf_header(console):
    console.staff("ann")
    assert console.put("ann", "/me", {"presence": "online"}).status_code == 200


def test_without_a_login_pages_redirect_and_the_api_says_401(client):
    page = client.get("/console/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/console/login?next=/console/"
    api = client.get("/api/console/queue")
    assert api.status_code == 401
    assert codes(api) == ["login_required"]


def test_an_expired_login_redirects_pages_and_gives_401_json(client, console, clock, settings):
    console.staff("ann")
    cookie_login(client, "ann")
    bearer = console.headers("ann")
    clock.advance(minutes=settings.staff_token_minutes + 1)
    page = client.get("/console/conversations/web-x", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/console/login?next=")
    assert client.get("/api/console/queue").status_code == 401
    expired = client.get("/api/console/queue", headers=bearer)
    assert expired.status_code == 401
    assert codes(expired) == ["token_expired"]


def test_a_forged_cookie_is_not_a_login(client):
    client.cookies.set("supportbot_console", "forged.token")
    assert client.get("/console/", follow_redirects=False).status_code == 303
    assert codes(client.get("/api/console/me")) == ["invalid_token"]


def test_logout_needs_the_csrf_token_and_clears_the_session(client, console):
    console.staff("ann")
    csrf = cookie_login(client, "ann")
    assert client.post("/console/logout", follow_redirects=False).status_code == 403
    response = client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert "supportbot_console" not in client.cookies
    assert client.get("/api/console/me").status_code == 401


def test_agents_cannot_assign_manage_canned_replies_or_see_the_team(console):
    console.staff("ann")
    console.staff("bob")
    console.staff("max", StaffRole.MANAGER)
    conversation_id = console.handoff("c1")
    assign = console.post("ann", f"/conversations/{conversation_id}/assign", {"username": "bob"})
    assert assign.status_code == 403
    assert codes(assign) == ["role_required"]
    canned = console.post("ann", "/canned-replies", {"title": "Hi", "text": "Hello!"})
    assert canned.status_code == 403
    assert console.get("ann", "/agents").status_code == 403
    assert console.get("max", "/agents").status_code == 200
    assigned = console.post("max", f"/conversations/{conversation_id}/assign", {"username": "bob"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["agent_username"] == "bob"


@pytest.mark.parametrize(
    ("role", "sees_reports"),
    [(StaffRole.AGENT, False), (StaffRole.MANAGER, True), (StaffRole.ADMIN, True)],
)
def test_managers_and_admins_find_the_reports_in_the_console(client, console, role, sees_reports):
    console.staff("sam", role)
    cookie_login(client, "sam")
    home = client.get("/console/")
    assert home.status_code == 200
    assert ('href="/reports/"' in home.text) is sees_reports
    if sees_reports:
        assert client.get("/reports/").status_code == 200  # the link leads somewhere they may go


def test_admins_use_the_console_too(console):
    console.staff("root", StaffRole.ADMIN)
    assert console.get("root", "/agents").status_code == 200
    assert console.get("root", "/queue").status_code == 200


def test_too_many_wrong_passwords_show_the_form_again_with_how_long_to_wait(client, console):
    console.staff("ann")
    client.get("/console/login")
    csrf = client.cookies["supportbot_csrf"]
    form = {"username": "ann", "csrf_token": csrf, "next": "/console/"}
    answers = [
        client.post("/console/login", data={**form, "password": f"guess {n}"}) for n in range(6)
    ]
    assert [a.status_code for a in answers] == [401] * 4 + [429] * 2
    right = client.post("/console/login", data={**form, "password": PASSWORD})
    assert right.status_code == 429
    assert 0 < int(right.headers["Retry-After"]) <= 60
    assert "Too many failed logins. Please wait" in right.text
    assert 'name="csrf_token"' in right.text
    assert "supportbot_console" not in client.cookies
