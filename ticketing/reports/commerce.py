"""Refund and return rates: of the orders delivered in a bucket, the share with a refund (not
failed) / a return request, made by the end of the report's range. The conversation filters
(channel, category, agent) do not apply to orders. Read from the daily rollups, which keep the
local days of each order's first refund and first return."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.delivery_days import DeliveryDay
from ticketing.reports.rollup.reading import in_days
from ticketing.reports.sqlmath import ratio


def commerce(db_session: Session, buckets: list[Bucket]) -> list[dict[str, Any]]:
    last = buckets[-1].last
    rows = (
        select(
            DeliveryDay.day,
            DeliveryDay.refund_day,
            DeliveryDay.return_day,
            func.sum(DeliveryDay.orders),
        )
        .where(in_days(DeliveryDay.day, buckets[0].first, last))
        .group_by(DeliveryDay.day, DeliveryDay.refund_day, DeliveryDay.return_day)
    )
    firsts = [bucket.first for bucket in buckets]
    counts = [[0, 0, 0] for _ in buckets]
    for day, refunded, returned, n in db_session.execute(rows):
        tally = counts[bisect_right(firsts, day) - 1]
        tally[0] += int(n)
        tally[1] += int(n) if refunded is not None and refunded <= last else 0
        tally[2] += int(n) if returned is not None and returned <= last else 0
    result = []
    for delivered, with_refund, with_return in counts:
        result.append(
            {
                "orders_delivered": delivered,
                "orders_refunded": with_refund,
                "refund_rate": ratio(with_refund, delivered),
                "orders_returned": with_return,
                "return_rate": ratio(with_return, delivered),
            }
        )
    return result
