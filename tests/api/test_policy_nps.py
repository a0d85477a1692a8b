"""The admin API stores the `nps` section like the rest of the policy, and refuses bad values
with the field named; the hub reads the version in force."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.api.helpers import staff_headers
from tests.factories import make_staff
from ticketing.db import Database
from ticketing.settings import REPO_ROOT
from ticketing.staff.models import StaffRole


@pytest.fixture
def admin(database: Database) -> None:
    with database.session() as s:
        make_staff(s, "root", StaffRole.ADMIN)


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "policy.yml").read_text(encoding="utf-8"))
    return loaded


def test_an_admin_turns_nps_off_and_changes_the_cooldown(client, admin):
    headers = staff_headers(client, "root")
    changed = document()
    changed["nps"].update(enabled=False, cooldown_days=30)

    response = client.put("/api/admin/policy", json=changed, headers=headers)

    assert response.status_code == 200, response.text
    read = client.get("/api/admin/policy", headers=headers).json()
    assert read["source"] == "database"
    assert read["policy"]["nps"]["enabled"] is False
    assert read["policy"]["nps"]["cooldown_days"] == 30


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"cooldown_days": -5}, "nps.cooldown_days: Input should be greater than or equal to 0"),
        ({"enabled": "maybe"}, "nps.enabled: Input should be a valid boolean"),
        ({"question": ""}, "nps.question"),
    ],
)
def test_a_bad_nps_value_is_refused_and_changes_nothing(client, admin, change, words):
    headers = staff_headers(client, "root")
    bad = document()
    bad["nps"].update(change)

    response = client.put("/api/admin/policy", json=bad, headers=headers)

    assert response.status_code == 422
    assert words in response.json()["detail"][0]["msg"]
    assert client.get("/api/admin/policy", headers=headers).json()["source"] == "file"
