"""The start page at `/`: links for everyone; demo logins and orders only outside production,
read from the database; every value escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import Clock
from ticketing.app import create_app
from ticketing.customers.models import Customer
from ticketing.db import Database
from ticketing.orders.models import Order, OrderStatus, ShipmentStatus
from ticketing.returns.models import (
    ItemCondition,
    Return,
    ReturnReason,
    ReturnResolution,
    ReturnStatus,
)
from ticketing.seed import DemoSummary
from ticketing.seed.people import DEFAULT_DEMO_PASSWORD, STAFF
from ticketing.seed.showcase import SHOWCASE_KEYS
from ticketing.settings import Settings
from ticketing.staff.models import StaffUser

LINKS = ("/chat/", "/console/", "/reports/", "/docs")


def rows(html: str) -> dict[str, tuple[str, str, str]]:
    """situation key -> (order number, e-mail, description) of the demo orders table."""
    found = {}
    for key, body in re.findall(r'<tr data-situation="([^"]+)">(.*?)</tr>', html, re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", body)]
        found[key] = (cells[1], cells[2], cells[3])
    return found


@pytest.fixture
def production(database: Database, settings: Settings, clock: Clock) -> Iterator[TestClient]:
    app = create_app(
        settings.model_copy(update={"environment": "production"}), database=database, clock=clock
    )
    with TestClient(app) as test_client:
        yield test_client


def test_the_start_page_links_every_place_and_has_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for path in LINKS:
        assert f'href="{path}"' in page.text
    assert "supportbot" in page.text and "Demo Shop" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "default-src 'self'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    style = client.get("/home/static/home.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert client.get("/home/static/../views.py").status_code == 404
    assert client.get("/home/static/nothing.css").status_code == 404


def test_in_development_it_lists_the_demo_logins_and_password(
    client: TestClient, demo: DemoSummary
) -> None:
    text = client.get("/").text
    for username, display_name, role in STAFF:
        assert f"<code>{username}</code>" in text
        assert unescape(text).count(display_name) == 1
        assert role.value in text
    assert f"<code>{DEFAULT_DEMO_PASSWORD}</code>" in text
    assert "supportbot users --help" in text
    assert demo.staff_users == len(STAFF)


def test_a_password_from_the_environment_is_named_not_shown(
    client: TestClient, demo: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_DEMO_PASSWORD", "a-secret-demo-pass")
    text = client.get("/").text
    assert "a-secret-demo-pass" not in text and DEFAULT_DEMO_PASSWORD not in text
    assert "SUPPORTBOT_DEMO_PASSWORD" in text


def test_in_development_it_lists_an_order_for_every_situation_the_seed_prints(
    client: TestClient, demo: DemoSummary, database: Database
) -> None:
    shown = rows(client.get("/").text)
    assert list(shown) == list(SHOWCASE_KEYS) == [item.key for item in demo.showcase]
    seeded = {item.key: item for item in demo.showcase}
    with database.session() as db_session:
        for key, (number, email, description) in shown.items():
            order = db_session.scalars(select(Order).where(Order.number == number)).one()
            assert order.customer.email == email, key
            assert description, key
            if number == seeded[key].number:  # the very order the seed printed: same words
                assert description == seeded[key].description
        order_of = {
            key: db_session.scalars(select(Order).where(Order.number == shown[key][0])).one()
            for key in shown
        }
        assert order_of["in_transit"].shipments[0].status == ShipmentStatus.IN_TRANSIT
        assert order_of["lost"].shipments[0].status == ShipmentStatus.LOST
        assert order_of["pending"].status == OrderStatus.PENDING
        assert order_of["pending_refund"].status == OrderStatus.CANCELLED
    assert shown["late"][2].startswith("late: due")
    assert "returnable for" in shown["inside_window"][2]
    assert "outside the 30-day return window" in shown["outside_window"][2]
    assert "is final sale" in shown["final_sale"][2]


def test_an_order_that_was_returned_is_no_longer_offered_for_a_return(
    client: TestClient, demo: DemoSummary, database: Database, clock: Clock
) -> None:
    first = rows(client.get("/").text)["inside_window"][0]
    with database.session(write=True) as db_session:
        order = db_session.scalars(select(Order).where(Order.number == first)).one()
        db_session.add(
            Return(
                rma_number="RMA-999999",
                order_id=order.id,
                status=ReturnStatus.REQUESTED,
                resolution=ReturnResolution.REFUND,
                reason=ReturnReason.DOES_NOT_FIT,
                condition=ItemCondition.UNOPENED,
                created_at=clock.now,
                updated_at=clock.now,
            )
        )
    assert rows(client.get("/").text)["inside_window"][0] != first


def test_an_empty_database_says_how_to_seed(client: TestClient) -> None:
    text = client.get("/").text
    assert "No demo orders in this database" in text
    assert "No demo logins in this database" in text
    assert "supportbot seed --demo" in text


def test_production_shows_no_demo_data(production: TestClient, demo: DemoSummary) -> None:
    text = production.get("/").text
    for path in LINKS:
        assert f'href="{path}"' in text
    assert DEFAULT_DEMO_PASSWORD not in text
    assert 'id="demo"' not in text and "data-situation" not in text
    for username, display_name, _ in STAFF:
        assert f"<code>{username}</code>" not in text and display_name not in text
    for item in demo.showcase:
        assert item.number not in text and item.email not in text


def test_every_value_is_escaped(
    database: Database, settings: Settings, clock: Clock, demo: DemoSummary, tmp_path: Path
) -> None:
    policy = Path(settings.policy_file).read_text(encoding="utf-8")
    evil_shop = '<script>alert("shop")</script> & Co'
    policy_file = tmp_path / "policy.yml"
    renamed = re.sub(r"(?m)^shop_name: .*$", f"shop_name: '{evil_shop}'", policy)
    policy_file.write_text(renamed, encoding="utf-8")
    evil_name = '<img src=x onerror="alert(1)">'
    pending = next(item for item in demo.showcase if item.key == "pending")
    with database.session(write=True) as db_session:
        for user in db_session.scalars(select(StaffUser).where(StaffUser.username == "agent1")):
            user.display_name = evil_name
        customer = db_session.scalars(
            select(Customer).join(Order).where(Order.number == pending.number)
        ).one()
        customer.email = '"><b>x</b>@example.com'
    app = create_app(
        settings.model_copy(update={"policy_file": policy_file}), database=database, clock=clock
    )
    with TestClient(app) as client:
        text = client.get("/").text
    assert "<script>" not in text and "<img" not in text and "<b>x</b>" not in text
    assert "&lt;script&gt;alert(&quot;shop&quot;)&lt;/script&gt; &amp; Co" in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    assert "&quot;&gt;&lt;b&gt;x&lt;/b&gt;@example.com" in text
