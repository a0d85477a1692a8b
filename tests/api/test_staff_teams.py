"""Admins put staff in teams through /api/admin/staff; names are checked and changes audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, staff_headers
from tests.factories import make_staff
from ticketing.audit.models import AuditEntry
from ticketing.db import Database
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole, StaffUser


@pytest.fixture
def people(database: Database) -> None:
    with database.session(write=True) as s:
        for name, role in (
            ("ann", StaffRole.AGENT),
            ("bob", StaffRole.AGENT),
            ("max", StaffRole.MANAGER),
            ("root", StaffRole.ADMIN),
        ):
            make_staff(s, name, role)


def team_of(database: Database, username: str) -> str | None:
    with database.session() as s:
        return s.scalars(select(StaffUser.team).where(StaffUser.username == username)).one()


def test_only_admins_change_teams_and_managers_read_them(client, database, people):  # noqa: ARG001
    body = {"team": "returns"}
    assert codes(client.patch("/api/admin/staff/ann", json=body)) == ["login_required"]
    for who in ("ann", "max"):
        refused = client.patch(
            "/api/admin/staff/ann", json=body, headers=staff_headers(client, who)
        )
        assert refused.status_code == 403
        assert codes(refused) == ["role_required"]
    assert team_of(database, "ann") is None

    changed = client.patch("/api/admin/staff/ann", json=body, headers=staff_headers(client, "root"))
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "username": "ann",
        "display_name": "Ann",
        "role": "agent",
        "active": True,
        "team": "returns",
    }
    assert team_of(database, "ann") == "returns"

    assert client.get("/api/admin/staff", headers=staff_headers(client, "ann")).status_code == 403
    listed = client.get("/api/admin/staff", headers=staff_headers(client, "max"))
    assert listed.status_code == 200
    # by team (none last), then username
    assert [(row["username"], row["team"]) for row in listed.json()] == [
        ("ann", "returns"),
        ("bob", None),
        ("max", None),
        ("root", None),
    ]


def test_team_names_are_normalised_and_checked(client, database, people):  # noqa: ARG001
    admin = staff_headers(client, "root")
    spaced = client.patch("/api/admin/staff/bob", json={"team": "  Logistics "}, headers=admin)
    assert spaced.json()["team"] == "logistics"
    for bad in ("after sales", "2nd-line", "x" * 41, "retürns", "-returns"):
        answer = client.patch("/api/admin/staff/bob", json={"team": bad}, headers=admin)
        assert answer.status_code == 422, bad
        assert codes(answer) == ["bad_team"]
        assert "lowercase letters" in answer.json()["detail"][0]["msg"]
    assert team_of(database, "bob") == "logistics"  # nothing changed by the refusals
    too_long = client.patch("/api/admin/staff/bob", json={"team": "x" * 101}, headers=admin)
    assert too_long.status_code == 422
    unknown_field = client.patch("/api/admin/staff/bob", json={"role": "admin"}, headers=admin)
    assert unknown_field.status_code == 422
    missing = client.patch("/api/admin/staff/nobody", json={"team": "returns"}, headers=admin)
    assert missing.status_code == 404
    assert codes(missing) == ["staff_not_found"]


def test_leaving_a_team_and_the_audit_trail(client, database, people):  # noqa: ARG001
    admin = staff_headers(client, "root")
    client.patch("/api/admin/staff/ann", json={"team": "returns"}, headers=admin)
    client.patch("/api/admin/staff/ann", json={"team": "returns"}, headers=admin)  # no change
    untouched = client.patch("/api/admin/staff/ann", json={}, headers=admin)
    assert untouched.json()["team"] == "returns"  # a field left out stays as it is
    left = client.patch("/api/admin/staff/ann", json={"team": None}, headers=admin)
    assert left.status_code == 200
    assert left.json()["team"] is None
    blank = client.patch("/api/admin/staff/bob", json={"team": " "}, headers=admin)
    assert blank.json()["team"] is None
    with database.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "staff.team_changed")
        ).all()
        assert [(e.actor, e.entity_id, e.changes["team"]) for e in entries] == [
            ("staff:root", "ann", [None, "returns"]),
            ("staff:root", "ann", ["returns", None]),
        ]
        assert staff_service.teams(db_session=s) == []


def test_the_console_team_overview_shows_teams(client, database, people):  # noqa: ARG001
    with database.session(write=True) as s:
        staff_service.set_team(db_session=s, username="ann", team="returns", actor="test")
    agents = client.get("/api/console/agents", headers=staff_headers(client, "max")).json()
    assert {a["username"]: a["team"] for a in agents} == {
        "ann": "returns",
        "bob": None,
        "max": None,
        "root": None,
    }
