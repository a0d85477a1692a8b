"""Seeded orders by their properties: the conditions the scenarios combine, and picking the
first order that matches and that no other scenario took."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from benchmarks.simulation.personas import CLOTHES, ELECTRONICS, SHOES, TOPS
from ticketing.db import Database, utcnow
from ticketing.orders.models import Order, OrderItem, OrderStatus, Shipment, ShipmentStatus
from ticketing.policy.service import load_file
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.returns.models import Return, ReturnStatus
from ticketing.settings import REPO_ROOT
from ticketing.tickets.models import Ticket

Clause = ColumnElement[bool]
Condition = Clause | Callable[[datetime], Clause]  # a callable gets the current time


@dataclass(frozen=True)
class OrderQuery:
    """Seeded orders with these properties, in number order; `accept` filters in Python what
    SQL says awkwardly (e.g. lines a customer can tell apart by name)."""

    description: str
    conditions: tuple[Condition, ...]
    accept: Callable[[Order], bool] | None = None

    def clauses(self, now: datetime) -> list[Clause]:
        return [c(now) if callable(c) else c for c in self.conditions]


def query(
    description: str, *conditions: Condition, accept: Callable[[Order], bool] | None = None
) -> OrderQuery:
    return OrderQuery(description, conditions, accept)


class Casting:
    """Which seeded order each scenario's customer owns. On first use every scenario of the
    catalogue gets its own, in catalogue order, so a scenario's order doesn't depend on which
    other scenarios run (`--only`); conditions are read from the database as it is then."""

    def __init__(self, database: Database, catalogue: Iterable[tuple[str, OrderQuery | None]]):
        self.database = database
        self.catalogue = list(catalogue)
        self.numbers: dict[str, str | None] | None = None
        self.missing: dict[str, str] = {}

    def order_number(self, name: str) -> str | None:
        if self.numbers is None:
            self.numbers = {}
            used: set[str] = set()
            with self.database.session() as session:
                for scenario, wanted in self.catalogue:
                    if wanted is None:
                        self.numbers[scenario] = None
                        continue
                    try:
                        self.numbers[scenario] = pick_order(session, wanted, used).number
                    except LookupError as error:
                        self.missing[scenario] = str(error)
        if name in self.missing:
            raise LookupError(self.missing[name])
        return self.numbers[name]

    def order(self, session: Session, name: str) -> Order | None:
        number = self.order_number(name)
        if number is None:
            return None
        statement = select(Order).where(Order.number == number)
        options = (selectinload(Order.items), selectinload(Order.customer))
        return session.scalars(statement.options(*options)).one()


@cache
def _shop_zone() -> ZoneInfo:
    return ZoneInfo(load_file(REPO_ROOT / "policy.yml").timezone)


def shop_now() -> datetime:
    """Now on the shop's clock: the bot calls a parcel late by the shop's date, so "promised
    today" must mean the shop's today (at 23:30 UTC it is already tomorrow in Berlin)."""
    return utcnow().astimezone(_shop_zone())


def pick_order(session: Session, wanted: OrderQuery, used: set[str]) -> Order:
    """The first order matching `wanted` that no other scenario took; it is then taken."""
    statement = (
        select(Order)
        .where(*wanted.clauses(shop_now()))
        .options(selectinload(Order.items), selectinload(Order.customer))
        .order_by(Order.number)
    )
    for order in session.scalars(statement):
        if order.number not in used and (wanted.accept is None or wanted.accept(order)):
            used.add(order.number)
            return order
    raise LookupError(f"no unused seeded order is {wanted.description}")


# Conditions on Order, combined by the scenarios.
def status(*statuses: OrderStatus) -> Clause:
    return Order.status.in_(statuses)


def delivered_days_ago(low: int, high: int) -> Callable[[datetime], Clause]:
    """Delivered between `low` and `high` whole days ago (the seed's days are whole days)."""

    def clause(now: datetime) -> Clause:
        return and_(
            Order.status == OrderStatus.DELIVERED,
            Order.delivered_at <= now - timedelta(days=low),
            Order.delivered_at >= now - timedelta(days=high + 1),
        )

    return clause


def line_count(low: int, high: int = 99) -> Clause:
    count = select(func.count(OrderItem.id)).where(OrderItem.order_id == Order.id).scalar_subquery()
    return count.between(low, high)


def has_line(*conditions: Clause) -> Clause:
    return exists().where(OrderItem.order_id == Order.id, *conditions)


def no_line(*conditions: Clause) -> Clause:
    return ~has_line(*conditions)


def no_final_sale() -> Clause:
    return no_line(OrderItem.final_sale.is_(True))


def sku_like(*parts: str) -> Clause:
    """A returnable line whose SKU contains one of `parts` (e.g. the electronics)."""
    return has_line(
        OrderItem.final_sale.is_(False), or_(*[OrderItem.sku.contains(part) for part in parts])
    )


def no_returns() -> Clause:
    return ~exists().where(Return.order_id == Order.id)


def has_return(*statuses: ReturnStatus) -> Clause:
    return exists().where(Return.order_id == Order.id, Return.status.in_(statuses))


def no_refunds() -> Clause:
    return ~exists().where(Refund.order_id == Order.id)


def has_refund(*statuses: RefundStatus) -> Clause:
    return exists().where(Refund.order_id == Order.id, Refund.status.in_(statuses))


def refunds_only(*statuses: RefundStatus) -> Clause:
    """Every refund of the order is in one of `statuses` (and there is one)."""
    other = exists().where(Refund.order_id == Order.id, Refund.status.not_in(statuses))
    return has_refund(*statuses) & ~other


def received_return_without_refund() -> Clause:
    refunded = exists().where(Refund.return_id == Return.id)
    return exists().where(
        Return.order_id == Order.id, Return.status == ReturnStatus.RECEIVED, ~refunded
    )


def no_tickets() -> Clause:
    return ~exists().where(Ticket.order_id == Order.id)


def shipment(*statuses: ShipmentStatus) -> Clause:
    return exists().where(Shipment.order_id == Order.id, Shipment.status.in_(statuses))


def promised_days_ago(low: int, high: int) -> Callable[[datetime], Clause]:
    def clause(now: datetime) -> Clause:
        today = now.date()
        return exists().where(
            Shipment.order_id == Order.id,
            Shipment.promised_delivery_date <= today - timedelta(days=low),
            Shipment.promised_delivery_date >= today - timedelta(days=high),
        )

    return clause


def promised_from_today() -> Callable[[datetime], Clause]:
    def clause(now: datetime) -> Clause:
        return exists().where(
            Shipment.order_id == Order.id, Shipment.promised_delivery_date >= now.date()
        )

    return clause


# Python filters (OrderQuery.accept).
def distinct_names(order: Order) -> bool:
    """Every line has its own first name part, so 'the hoodie' means one line."""
    shorts = [item.name.split(",")[0].strip().lower() for item in order.items]
    return len(set(shorts)) == len(shorts)


def with_quantity(low: int) -> Callable[[Order], bool]:
    def accept(order: Order) -> bool:
        regular = [i for i in order.items if not i.final_sale]
        return distinct_names(order) and any(i.quantity >= low for i in regular)

    return accept


# Order queries the scenarios share.
IN_WINDOW = delivered_days_ago(2, 25)
RETURNABLE = (IN_WINDOW, no_returns(), no_tickets())


def returnable(
    description: str, *more: Condition, accept: Callable[[Order], bool] | None = None
) -> OrderQuery:
    return query(
        f"delivered 2-25 days ago, no return or ticket yet, {description}",
        *RETURNABLE,
        *more,
        accept=accept,
    )


SINGLE_LINE = returnable(
    "one line of one unit", line_count(1, 1), has_line(OrderItem.quantity == 1), no_final_sale()
)
SEVERAL_LINES = returnable(
    "3+ lines with distinct names, no final sale",
    line_count(3),
    no_final_sale(),
    accept=distinct_names,
)
TWO_OR_MORE = returnable(
    "2+ lines with distinct names, no final sale",
    line_count(2),
    no_final_sale(),
    accept=distinct_names,
)
QTY2 = returnable("a line of 2+ units", no_final_sale(), accept=with_quantity(2))
QTY3 = returnable("a line of 3 units", no_final_sale(), accept=with_quantity(3))
CLOTHING = returnable(
    "a clothing line, distinct names", no_final_sale(), sku_like(*CLOTHES), accept=distinct_names
)


def first_of_kind_not(kind: tuple[str, ...], word: str) -> Callable[[Order], bool]:
    """The first line of that kind (the one the customer means) is not already `word`."""

    def accept(order: Order) -> bool:
        items = sorted(order.items, key=lambda item: item.id)
        lines = [i for i in items if not i.final_sale and any(p in i.sku for p in kind)]
        return distinct_names(order) and bool(lines) and word not in lines[0].name

    return accept


NOT_BLACK = returnable(
    "a clothing line that isn't black",
    no_final_sale(),
    sku_like(*CLOTHES),
    accept=first_of_kind_not(CLOTHES, "black"),
)
NOT_L = returnable(
    "a top not in size L", no_final_sale(), sku_like(*TOPS), accept=first_of_kind_not(TOPS, ", L")
)
SEVERAL_NOT_L = returnable(
    "2+ lines, a top not in size L",
    no_final_sale(),
    line_count(2),
    sku_like(*TOPS),
    accept=first_of_kind_not(TOPS, ", L"),
)
JEANS = returnable("a line of jeans", no_final_sale(), sku_like("JEANS"), accept=distinct_names)
SHOE = returnable("a pair of shoes", no_final_sale(), sku_like(*SHOES), accept=distinct_names)
GADGET = returnable("an electronic device", sku_like(*ELECTRONICS), accept=distinct_names)
ANY_RETURNABLE = returnable("no final sale", no_final_sale(), accept=distinct_names)
ON_TIME = query(
    "shipped, in transit, due today or later",
    status(OrderStatus.SHIPPED),
    shipment(ShipmentStatus.IN_TRANSIT),
    promised_from_today(),
)
LATE = query(
    "shipped, in transit, due 2-8 days ago, no ticket",
    status(OrderStatus.SHIPPED),
    shipment(ShipmentStatus.IN_TRANSIT),
    promised_days_ago(2, 8),
    no_tickets(),
)
LOST = query("shipped, the carrier lost it, no ticket", shipment(ShipmentStatus.LOST), no_tickets())
PAID = query("paid, not shipped", status(OrderStatus.PAID), no_tickets())
PENDING = query("awaiting payment", status(OrderStatus.PENDING), no_tickets())
PACKED = query("packed", status(OrderStatus.PACKED), no_tickets())
OUT = query("out for delivery", status(OrderStatus.OUT_FOR_DELIVERY))
DELIVERED = query("delivered 2-10 days ago", delivered_days_ago(2, 10), no_tickets())
RECEIVED = query("a received return with no refund yet", received_return_without_refund())
REFUND_PENDING = query(
    "cancelled, its refund waiting for approval",
    status(OrderStatus.CANCELLED),
    has_refund(RefundStatus.PENDING),
)
RETURNED_PENDING = query(
    "a received return whose refund waits for approval",
    has_return(ReturnStatus.RECEIVED),
    has_refund(RefundStatus.PENDING),
)
REFUND_DONE = query("refunds all paid out", refunds_only(RefundStatus.PROCESSED))
REFUND_FAILED = query("only a failed refund", refunds_only(RefundStatus.FAILED))
RETURN_OPEN = query(
    "an approved return, no refund", has_return(ReturnStatus.APPROVED), no_refunds()
)
FINAL_MIXED = returnable(
    "a final-sale line beside returnable ones",
    has_line(OrderItem.final_sale.is_(True)),
    has_line(OrderItem.final_sale.is_(False)),
    accept=distinct_names,
)
FINAL_ONLY = returnable(
    "only final-sale lines",
    has_line(OrderItem.final_sale.is_(True)),
    ~has_line(OrderItem.final_sale.is_(False)),
)
WINDOW_CLOSED = query(
    "delivered 50-100 days ago (past the return and exchange windows), no return",
    delivered_days_ago(50, 100),
    no_returns(),
    no_final_sale(),
)
