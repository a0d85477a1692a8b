"""`supportbot seed --demo`: realistic, consistent and deterministic demo data."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

import ticketing.models
from ticketing.customers.models import Customer, CustomerTier
from ticketing.db import Database
from ticketing.orders.models import Order, OrderStatus, Shipment, ShipmentStatus
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.returns.models import Return, ReturnStatus
from ticketing.seed import DemoSummary, seed_demo
from ticketing.seed.catalogue import PRODUCTS
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.types import to_money

NOW = datetime(2026, 6, 15, tzinfo=UTC)
TODAY = NOW.date()


def new_database(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    ticketing.models.Base.metadata.create_all(database.engine)
    return database


def seed(
    database: Database, *, customers: int = 200, orders: int = 1000, rng_seed: int = 42
) -> DemoSummary:
    with database.session(write=True) as db_session:
        return seed_demo(
            db_session=db_session,
            now=NOW,
            customers=customers,
            orders=orders,
            rng_seed=rng_seed,
        )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    database = new_database(tmp_path_factory.mktemp("seed") / "t.db")
    summary = seed(database, customers=40, orders=200)
    yield database, summary
    database.dispose()


@pytest.fixture
def db_session(seeded: tuple[Database, DemoSummary]) -> Iterator[Session]:
    with seeded[0].session() as session:
        yield session


def all_orders(db_session: Session) -> list[Order]:
    query = (
        select(Order)
        .options(
            selectinload(Order.items),
            selectinload(Order.customer),
            selectinload(Order.shipments).selectinload(Shipment.events),
        )
        .order_by(Order.number)
    )
    return list(db_session.scalars(query))


def fingerprint(database: Database) -> list[tuple[str, str, Decimal, str, datetime]]:
    with database.session() as db_session:
        return [
            (o.number, o.customer.email, o.total, o.status.value, o.placed_at)
            for o in all_orders(db_session)
        ]


def test_counts_match_the_summary(
    seeded: tuple[Database, DemoSummary], db_session: Session
) -> None:
    summary = seeded[1]

    def count(model: type[ticketing.models.Base]) -> int | None:
        return db_session.scalar(select(func.count()).select_from(model))

    assert (summary.customers, summary.orders) == (40, 200)
    assert count(Customer) == 40 and count(Order) == 200
    assert count(Shipment) == summary.shipments > 0
    assert count(Return) == summary.returns > 0
    assert count(Refund) == summary.refunds > 0
    assert count(StaffUser) == summary.staff_users == 5
    assert sum(summary.status_counts.values()) == 200


def test_every_status_present_and_delivered_is_the_largest(db_session: Session) -> None:
    statuses = [order.status for order in all_orders(db_session)]
    assert set(statuses) == set(OrderStatus)
    assert max(set(statuses), key=statuses.count) == OrderStatus.DELIVERED


def test_customers_are_plausible_and_unique(db_session: Session) -> None:
    customers = list(db_session.scalars(select(Customer)))
    assert len({c.email for c in customers}) == len(customers)
    assert len({c.phone_digits for c in customers}) == len(customers)
    for customer in customers:
        assert re.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.(com|org|net)", customer.email)
        assert customer.phone and customer.phone.startswith("+")
        assert customer.phone_digits == re.sub(r"\D", "", customer.phone)
        assert customer.phone_digits[:2] in ("49", "33", "44") or customer.phone[:3] == "+1 "
        assert customer.created_at < NOW
    tiers = [customer.tier for customer in customers]
    assert max(set(tiers), key=tiers.count) == CustomerTier.STANDARD


def test_order_numbers_ascend_in_placement_order(db_session: Session) -> None:
    orders = all_orders(db_session)
    assert [o.number for o in orders] == [str(n) for n in range(10001, 10201)]
    assert [o.placed_at for o in orders] == sorted(o.placed_at for o in orders)


def test_totals_are_consistent_to_the_cent(db_session: Session) -> None:
    for order in all_orders(db_session):
        subtotal = sum((item.unit_price * item.quantity for item in order.items), Decimal(0))
        assert 1 <= len(order.items) <= 4
        assert order.subtotal == subtotal
        assert order.shipping_total == (Decimal("0.00") if subtotal > 50 else Decimal("4.90"))
        vat = to_money((order.subtotal + order.shipping_total) * Decimal("0.19"))
        assert order.tax_total == vat
        assert order.total == order.subtotal + order.shipping_total + order.tax_total
        assert order.currency == "EUR"
        assert set(order.shipping_address) == {
            "name",
            "line1",
            "line2",
            "city",
            "postal_code",
            "country",
        }


def test_timestamps_are_ordered(db_session: Session) -> None:
    shipped_statuses = {OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED}
    for o in all_orders(db_session):
        moments = [o.placed_at, o.paid_at, o.shipped_at, o.delivered_at]
        present = [moment for moment in moments if moment is not None]
        assert present == sorted(present) and len(set(present)) == len(present)
        assert max(present + [o.cancelled_at or o.placed_at]) <= NOW
        if o.status == OrderStatus.PENDING:
            assert o.paid_at is None and o.cancelled_at is None
        if o.status == OrderStatus.CANCELLED:
            assert o.cancelled_at is not None and o.shipped_at is None
            assert o.cancelled_at > (o.paid_at or o.placed_at)
        else:
            assert o.cancelled_at is None
        assert bool(o.shipments) == (o.status in shipped_statuses)
        assert (o.delivered_at is not None) == (o.status == OrderStatus.DELIVERED)
        for shipment in o.shipments:
            events = [event.occurred_at for event in shipment.events]
            assert events == sorted(events) and events[-1] <= NOW
            assert shipment.events[0].status == ShipmentStatus.LABEL_CREATED
            assert shipment.events[-1].status == shipment.status
            assert shipment.shipped_at == o.shipped_at and shipment.delivered_at == o.delivered_at


def test_cancelled_orders_were_sometimes_paid(db_session: Session) -> None:
    cancelled = [o for o in all_orders(db_session) if o.status == OrderStatus.CANCELLED]
    assert {o.paid_at is None for o in cancelled} == {True, False}


def test_refunds_never_exceed_what_was_paid(db_session: Session) -> None:
    refunds = list(db_session.scalars(select(Refund)))
    assert len({r.idempotency_key for r in refunds}) == len(refunds)
    assert all(re.fullmatch(r"seed-refund-\d+", r.idempotency_key) for r in refunds)
    assert {r.status for r in refunds} == set(RefundStatus)
    for refund in refunds:
        order = refund.order
        assert order.paid_at is not None and 0 < refund.amount <= order.total
        assert refund.requires_approval == (refund.amount > Decimal("150.00"))
        if refund.status == RefundStatus.PENDING:
            assert refund.requires_approval and refund.approved_by is None
        if refund.status == RefundStatus.PROCESSED:
            assert refund.processed_at is not None and refund.created_at <= refund.processed_at
            assert refund.processed_at <= NOW
        if refund.return_ is not None:
            value = sum((i.order_item.unit_price * i.quantity for i in refund.return_.items), 0)
            assert refund.amount == value
    for order in all_orders(db_session):
        kept = [
            r.amount for r in refunds if r.order_id == order.id and r.status != RefundStatus.FAILED
        ]
        assert sum(kept, Decimal(0)) <= order.total, order.number


def test_returns_reference_their_orders_items(db_session: Session) -> None:
    returns = list(db_session.scalars(select(Return)))
    assert len({r.rma_number for r in returns}) == len(returns)
    for return_ in returns:
        order = return_.order
        assert re.fullmatch(r"RMA-\d{6}", return_.rma_number)
        assert order.status == OrderStatus.DELIVERED and order.delivered_at is not None
        assert order.delivered_at < return_.created_at <= return_.updated_at <= NOW
        assert (return_.created_at.date() - order.delivered_at.date()).days <= 30
        if return_.received_at is not None:
            assert return_.created_at < return_.received_at <= return_.updated_at
        for item in return_.items:
            assert item.order_item.order_id == order.id and not item.order_item.final_sale
            assert 1 <= item.quantity <= item.order_item.quantity


def test_showcase_orders_have_the_claimed_property(
    seeded: tuple[Database, DemoSummary], db_session: Session
) -> None:
    showcase = {item.key: item for item in seeded[1].showcase}
    assert list(showcase) == [
        "in_transit",
        "late",
        "lost",
        "inside_window",
        "outside_window",
        "final_sale",
        "pending",
        "pending_refund",
    ]
    orders = {o.number: o for o in all_orders(db_session)}
    for item in showcase.values():
        assert orders[item.number].customer.email == item.email and item.description

    def shipment(key: str) -> Shipment:
        order = orders[showcase[key].number]
        assert order.status == OrderStatus.SHIPPED
        found = order.shipments[0]
        assert found.promised_delivery_date is not None
        return found

    on_time = shipment("in_transit")
    assert on_time.status == ShipmentStatus.IN_TRANSIT and on_time.promised_delivery_date
    assert on_time.promised_delivery_date >= TODAY
    late = shipment("late")
    assert late.status == ShipmentStatus.IN_TRANSIT and late.promised_delivery_date
    assert 2 <= (TODAY - late.promised_delivery_date).days <= 8
    assert NOW - late.events[-1].occurred_at < timedelta(days=10)
    lost = shipment("lost")
    assert lost.status == ShipmentStatus.LOST and lost.promised_delivery_date
    assert (TODAY - lost.promised_delivery_date).days > 10
    assert NOW - lost.events[-1].occurred_at > timedelta(days=10)

    def age(key: str) -> int:
        delivered = orders[showcase[key].number].delivered_at
        assert delivered is not None
        return (TODAY - delivered.date()).days

    assert 20 <= age("inside_window") < 30 and age("outside_window") > 30
    final = orders[showcase["final_sale"].number]
    assert any(i.final_sale for i in final.items) and any(not i.final_sale for i in final.items)
    assert age("final_sale") < 30
    assert orders[showcase["pending"].number].status == OrderStatus.PENDING
    refund_order = orders[showcase["pending_refund"].number]
    pending = db_session.scalars(select(Refund).where(Refund.order_id == refund_order.id)).one()
    assert pending.status == RefundStatus.PENDING and pending.requires_approval


def test_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    first, second, other = (new_database(tmp_path / f"{n}.db") for n in "abc")
    for database, rng_seed in ((first, 7), (second, 7), (other, 8)):
        seed(database, customers=30, orders=120, rng_seed=rng_seed)
    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) != fingerprint(other)


def test_the_shape_is_relative_to_now(tmp_path: Path) -> None:
    base, later = new_database(tmp_path / "a.db"), new_database(tmp_path / "b.db")
    seed(base, customers=10, orders=40)
    with later.session(write=True) as db_session:
        seed_demo(db_session=db_session, customers=10, orders=40, now=NOW + timedelta(days=9))
    shifted = [(n, e, t, s, p - timedelta(days=9)) for n, e, t, s, p in fingerprint(later)]
    assert shifted == fingerprint(base)


def test_staff_logins_use_the_demo_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticketing.staff.passwords import verify_password

    monkeypatch.setenv("SUPPORTBOT_DEMO_PASSWORD", "another-demo-pass")
    database = new_database(tmp_path / "t.db")
    with database.session(write=True) as db_session:
        seed_demo(db_session=db_session, customers=5, orders=25, now=NOW)
    with database.session() as db_session:
        staff = {u.username: u for u in db_session.scalars(select(StaffUser))}
    assert {name: user.role for name, user in staff.items()} == {
        "agent1": StaffRole.AGENT,
        "agent2": StaffRole.AGENT,
        "agent3": StaffRole.AGENT,
        "manager": StaffRole.MANAGER,
        "admin": StaffRole.ADMIN,
    }
    assert all(user.display_name for user in staff.values())
    assert verify_password(staff["agent1"].password_hash, "another-demo-pass")
    database.dispose()


def test_full_size_seed_is_fast_and_realistic(tmp_path: Path) -> None:
    database = new_database(tmp_path / "t.db")
    summary = seed(database)
    assert (summary.customers, summary.orders, len(summary.showcase)) == (200, 1000, 8)
    assert summary.seconds < 15
    delivered = summary.status_counts["delivered"]
    assert delivered == max(summary.status_counts.values()) and delivered > 500
    assert 0.04 < summary.returns / delivered < 0.13
    assert 0.05 < sum(p.final_sale for p in PRODUCTS) / len(PRODUCTS) < 0.15
    with database.session() as db_session:
        boundary = {
            (TODAY - o.delivered_at.date()).days
            for o in all_orders(db_session)
            if o.delivered_at is not None
        }
        return_statuses = set(db_session.scalars(select(Return.status)))
    assert return_statuses == set(ReturnStatus)
    assert {29, 30, 31} <= boundary and any(age > 35 for age in boundary)
    assert any(20 <= age <= 28 for age in boundary)
    database.dispose()


def run_cli(*argv: str) -> int:
    from ticketing.cli import seed as seed_cli

    parser = argparse.ArgumentParser()
    seed_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["seed", *argv])
    code: int = args.handler(args)
    return code


def test_cli_refuses_a_database_with_data_unless_reset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    new_database(tmp_path / "t.db").dispose()
    url = f"sqlite:///{tmp_path / 't.db'}"
    small = ("--customers", "10", "--orders", "30", "--database-url", url)
    assert run_cli(*small) == 2  # no --demo: help, nothing done
    assert run_cli("--demo", *small) == 0
    out, err = capsys.readouterr()
    assert len(re.findall(r"^  1\d{4}  \S+@example\.", out, re.MULTILINE)) == 8
    assert "demo-password" in out and "orders 30/30" in err
    assert run_cli("--demo", *small) == 1
    assert "not empty" in capsys.readouterr().err
    assert run_cli("--demo", "--reset", "--seed", "3", *small) == 0
    database = Database(url)
    with database.session() as db_session:
        assert db_session.scalar(select(func.count()).select_from(Order)) == 30
    database.dispose()


def test_seed_demo_if_empty_seeds_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ticketing.cli.seed import seed_demo_if_empty
    from ticketing.settings import get_settings

    new_database(tmp_path / "t.db").dispose()
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    get_settings.cache_clear()
    try:
        assert seed_demo_if_empty() is True
        assert seed_demo_if_empty() is False
    finally:
        get_settings.cache_clear()
