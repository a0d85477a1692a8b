"""Staff sessions end when they should (issue 15, finding 6): after logout the old token is
refused as a cookie and as a bearer token; a deactivated agent's token reads no orders; a
demoted manager's token opens no manager pages; a new password ends every older session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.api.helpers import STAFF_PASSWORD, codes, staff_headers
from tests.conftest import SECRET, Clock
from tests.console.conftest import cookie_login
from tests.factories import make_customer, make_order, make_staff
from ticketing.db import Database
from ticketing.security import tokens
from ticketing.security.principals import STAFF_TOKEN
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.staff.passwords import hash_password


@pytest.fixture
def order_number(database: Database, clock: Clock) -> str:
    with database.session(write=True) as db_session:
        return make_order(db_session, make_customer(db_session), now=clock.now).number


def add_staff(database: Database, username: str, role: StaffRole) -> None:
    with database.session(write=True) as db_session:
        make_staff(db_session, username, role)


def change(database: Database, username: str, **values: object) -> None:
    """Change an account through the ORM, as an admin tool would."""
    with database.session(write=True) as db_session:
        user = staff_service.get_by_username_or_raise(db_session=db_session, username=username)
        for name, value in values.items():
            setattr(user, name, value)


def test_after_the_console_logout_the_old_token_is_refused_as_cookie_and_as_bearer(
    client: TestClient, database: Database
) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    csrf = cookie_login(client, "ann", STAFF_PASSWORD)
    token = client.cookies["supportbot_console"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/console/me", headers=bearer).status_code == 200
    client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    client.cookies.set("supportbot_console", token)  # the attacker kept a copy
    assert codes(client.get("/api/console/me")) == ["session_ended"]
    assert client.get("/console/", follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert codes(client.get("/api/console/me", headers=bearer)) == ["session_ended"]
    assert codes(client.get("/api/admin/staff", headers=bearer)) == ["session_ended"]


def test_the_api_logout_ends_the_bearer_token(
    client: TestClient, database: Database, order_number: str
) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    headers = staff_headers(client, "ann")
    assert client.get(f"/api/orders/{order_number}", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    refused = client.get(f"/api/orders/{order_number}", headers=headers)
    assert refused.status_code == 401
    assert codes(refused) == ["session_ended"]
    assert client.post("/api/auth/logout", headers=headers).status_code == 401
    again = staff_headers(client, "ann")  # logging in again works
    assert client.get(f"/api/orders/{order_number}", headers=again).status_code == 200


@pytest.mark.parametrize("through_orm", [True, False], ids=["orm", "sql"])
def test_a_deactivated_agents_token_reads_no_orders(
    client: TestClient, database: Database, order_number: str, through_orm: bool
) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    headers = staff_headers(client, "ann")
    assert client.get(f"/api/orders/{order_number}", headers=headers).status_code == 200
    if through_orm:
        change(database, "ann", active=False)
    else:  # even a direct UPDATE, which bumps no version
        with database.session(write=True) as db_session:
            db_session.execute(
                update(StaffUser).where(StaffUser.username == "ann").values(active=False)
            )
    refused = client.get(f"/api/orders/{order_number}", headers=headers)
    assert refused.status_code == 401
    assert codes(refused) == ["session_ended"]
    assert client.get("/api/console/me", headers=headers).status_code == 401


@pytest.mark.parametrize("through_orm", [True, False], ids=["orm", "sql"])
def test_a_demoted_managers_token_opens_no_manager_pages(
    client: TestClient, database: Database, through_orm: bool
) -> None:
    add_staff(database, "max", StaffRole.MANAGER)
    headers = staff_headers(client, "max")
    for path in ("/api/admin/staff", "/api/admin/policy", "/api/console/agents"):
        assert client.get(path, headers=headers).status_code == 200, path
    if through_orm:
        change(database, "max", role=StaffRole.AGENT)
    else:  # the role is read from the database on every request
        with database.session(write=True) as db_session:
            db_session.execute(
                update(StaffUser).where(StaffUser.username == "max").values(role=StaffRole.AGENT)
            )
    for path in ("/api/admin/staff", "/api/admin/policy", "/api/console/agents"):
        assert client.get(path, headers=headers).status_code in {401, 403}, path


def test_a_new_password_ends_every_older_session(client: TestClient, database: Database) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    headers = staff_headers(client, "ann")
    change(database, "ann", password_hash=hash_password("a brand new password"))
    assert codes(client.get("/api/console/me", headers=headers)) == ["session_ended"]


def test_a_token_claiming_a_higher_role_gets_the_role_the_database_has(
    client: TestClient, database: Database, clock: Clock
) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    token, _ = tokens.issue(
        secret=SECRET,
        kind=STAFF_TOKEN,
        claims={"sub": "ann", "role": "admin", "ver": 0},
        now=clock.now,
        ttl=timedelta(hours=1),
    )
    refused = client.get("/api/admin/staff", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert codes(refused) == ["role_required"]


def test_unchanged_settings_and_new_accounts_end_no_session(
    client: TestClient, database: Database
) -> None:
    add_staff(database, "ann", StaffRole.AGENT)
    headers = staff_headers(client, "ann")
    change(database, "ann", active=True, role=StaffRole.AGENT, team="returns")
    add_staff(database, "bob", StaffRole.AGENT)
    assert client.get("/api/console/me", headers=headers).status_code == 200


def test_an_ended_session_reads_no_tickets_or_transcripts(
    client: TestClient, database: Database
) -> None:
    """The ticket, rating and transcript routes take a staff login or the service key: an
    ended login must not pass there either."""
    add_staff(database, "ann", StaffRole.AGENT)
    headers = staff_headers(client, "ann")
    assert client.get("/api/tickets/T-000000", headers=headers).status_code == 404
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    for path in ("/api/tickets/T-000000", "/api/conversations/rest-ann/messages"):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 401, (path, refused.text)
