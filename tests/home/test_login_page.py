"""The console's login page as a newcomer meets it: where the demo logins are (development
only), and a wrong password keeps the username."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.console.conftest import Console
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

HINT = 'The demo staff logins are on the <a href="/">start page</a>'


def test_in_development_the_login_page_points_to_the_demo_logins(client: TestClient) -> None:
    assert HINT in client.get("/console/login").text


def test_in_production_it_does_not(database: Database, settings: Settings, clock: Clock) -> None:
    app = create_app(
        settings.model_copy(update={"environment": "production"}), database=database, clock=clock
    )
    with TestClient(app) as client:
        page = client.get("/console/login")
        assert page.status_code == 200
        assert HINT not in page.text and 'href="/"' not in page.text


def _username_field(html: str) -> str:
    found = re.search(r'<input name="username"[^>]*>', html)
    assert found is not None
    return found.group(0)


def test_a_wrong_password_keeps_the_username_and_focuses_the_password(
    client: TestClient, database: Database, clock: Clock
) -> None:
    Console(client, database, clock).staff("ann")
    first = client.get("/console/login").text
    assert 'value=""' in _username_field(first) and "autofocus" in _username_field(first)
    wrong = client.post(
        "/console/login",
        data={
            "username": "ann",
            "password": "nope",
            "csrf_token": client.cookies["supportbot_csrf"],
        },
    )
    assert wrong.status_code == 401
    assert "Wrong username or password." in wrong.text
    field = _username_field(wrong.text)
    assert 'value="ann"' in field and "autofocus" not in field
    assert re.search(r'<input name="password"[^>]*autofocus', wrong.text)
    assert HINT in wrong.text


def test_the_kept_username_is_escaped(client: TestClient) -> None:
    client.get("/console/login")
    wrong = client.post(
        "/console/login",
        data={
            "username": '"><script>alert(1)</script>',
            "password": "nope",
            "csrf_token": client.cookies["supportbot_csrf"],
        },
    )
    assert wrong.status_code == 401
    assert "<script>" not in wrong.text
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in wrong.text


def test_an_expired_form_keeps_the_username_too(client: TestClient) -> None:
    client.get("/console/login")
    client.cookies.clear()
    expired = client.post(
        "/console/login", data={"username": "ann", "password": "x", "csrf_token": "stale"}
    )
    assert expired.status_code == 403
    assert 'value="ann"' in _username_field(expired.text)
