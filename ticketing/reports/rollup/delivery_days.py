"""`report_delivery_days`: the orders delivered per local day, with the local days of their
first refund and first return request, so "by the end of the range" stays exact."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.db import Base
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.returns.models import Return


class DeliveryDay(Base):
    """Orders delivered on a local day, by the local day of their first refund that has not
    failed (as the refunds stand now) and of their first return request (None: none yet)."""

    __tablename__ = "report_delivery_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    refund_day: Mapped[date | None]
    return_day: Mapped[date | None]
    orders: Mapped[int]


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def delivery_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[DeliveryDay]:
    """Rollup rows for the orders delivered in [start, end)."""
    first_refund = (
        select(func.min(Refund.created_at))
        .where(Refund.order_id == Order.id, Refund.status != RefundStatus.FAILED)
        .scalar_subquery()
    )
    first_return = (
        select(func.min(Return.created_at)).where(Return.order_id == Order.id).scalar_subquery()
    )
    rows = select(Order.delivered_at, first_refund, first_return).where(
        Order.delivered_at >= start, Order.delivered_at < end
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for delivered, refunded, returned in db_session.execute(rows):
        key = (
            _local_day(delivered, zone),
            _local_day(refunded, zone),
            _local_day(returned, zone),
        )
        counts[key] += 1
    return [
        DeliveryDay(day=day, refund_day=refunded, return_day=returned, orders=n)
        for (day, refunded, returned), n in counts.items()
    ]
