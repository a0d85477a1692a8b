from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from tests.api.helpers import codes, staff_headers, verify
from tests.conftest import Clock, new_key
from tests.contract import assert_documented
from tests.factories import make_customer, make_order, make_staff
from ticketing.audit.models import AuditEntry
from ticketing.db import Database
from ticketing.settings import REPO_ROOT
from ticketing.staff.models import StaffRole


@pytest.fixture
def staff(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        for name, role in (
            ("ann", StaffRole.AGENT),
            ("max", StaffRole.MANAGER),
            ("root", StaffRole.ADMIN),
        ):
            make_staff(s, name, role)
        ada = make_customer(s)
        old = make_order(s, ada, now=clock.now, delivered_days_ago=41)
    return {"ada": ada, "old": old}


def _policy_file() -> dict:
    return yaml.safe_load((REPO_ROOT / "policy.yml").read_text())


def test_roles_for_reading_and_changing_the_policy(client, staff):
    assert codes(client.get("/api/admin/policy")) == ["login_required"]
    assert client.get("/api/admin/policy", headers=staff_headers(client, "ann")).status_code == 403
    read = client.get("/api/admin/policy", headers=staff_headers(client, "max"))
    assert read.status_code == 200
    assert (read.json()["source"], read.json()["version"]) == ("file", None)
    assert read.json()["policy"]["returns"]["window_days"] == 30
    denied = client.put(
        "/api/admin/policy", json=_policy_file(), headers=staff_headers(client, "max")
    )
    assert denied.status_code == 403


def test_a_new_policy_takes_effect_and_is_audited(client, service_headers, staff, database):
    headers = verify(client, service_headers, staff["old"], staff["ada"])
    url = f"/api/orders/{staff['old'].number}/return-eligibility"
    assert client.get(url, headers=headers).json()["eligible"] is False
    document = _policy_file()
    document["returns"]["window_days"] = 60
    updated = client.put("/api/admin/policy", json=document, headers=staff_headers(client, "root"))
    assert updated.status_code == 200, updated.text
    assert updated.json()["source"] == "database"
    assert client.get(url, headers=headers).json()["eligible"] is True
    bot_view = client.get("/api/policy", headers=service_headers).json()
    assert bot_view["returns"]["window_days"] == 60
    with database.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "policy.updated"))
        assert entry is not None and entry.actor == "staff:root"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["returns"].update(window_days=-1), "returns.window_days"),
        (lambda d: d.update(timezone="Mars/Olympus"), "unknown timezone"),
        (lambda d: d["business_hours"].update(open="19:00"), "open must be before close"),
        (lambda d: d.pop("refunds"), "refunds"),
        (
            lambda d: d["delivery"]["tracking_links"].update(DHL="http://dhl.example/{number}"),
            "https",
        ),
        (lambda d: d["delivery"]["tracking_links"].update(GLS="https://gls.example/"), "{number}"),
    ],
)
def test_an_invalid_policy_is_refused_and_changes_nothing(client, staff, change, words):
    document = _policy_file()
    change(document)
    admin = staff_headers(client, "root")
    response = client.put("/api/admin/policy", json=document, headers=admin)
    assert response.status_code == 422
    assert words in response.json()["detail"][0]["msg"]
    assert client.get("/api/admin/policy", headers=admin).json()["source"] == "file"


def test_the_write_endpoints_do_not_take_bodies_that_are_not_json(client, service_headers, staff):
    headers = verify(client, service_headers, staff["old"], staff["ada"])
    response = client.post(
        f"/api/orders/{staff['old'].number}/returns",
        content="reason=damaged",
        headers={**headers, "Idempotency-Key": new_key(), "Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    huge = client.post(
        f"/api/orders/{staff['old'].number}/returns",
        json={"reason": "damaged", "note": "x" * 70_000},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert huge.status_code == 413
    long_note = client.post(
        f"/api/orders/{staff['old'].number}/returns",
        json={"reason": "damaged", "note": "x" * 10_000},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert long_note.status_code == 422


def test_the_policy_and_its_refusals_match_the_schema(client, service_headers, staff):
    for_bot = client.get("/api/policy", headers=service_headers)
    for_manager = client.get("/api/admin/policy", headers=staff_headers(client, "max"))
    # Local wall-clock times: JSON Schema's "time" format would demand a UTC offset.
    assert for_bot.json()["business_hours"]["open"] == "09:00:00"
    refusals = [
        client.get("/api/policy"),
        client.get("/api/admin/policy", headers=staff_headers(client, "ann")),
        client.put("/api/admin/policy", json=_policy_file()),
    ]
    assert [r.status_code for r in refusals] == [401, 403, 401]
    for response in (for_bot, for_manager, *refusals):
        assert_documented(client, response)
