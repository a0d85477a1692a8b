"""Refund and return rates: of the orders delivered in a bucket, the share with a refund (not
failed) / a return request, made by the end of the report's range. The conversation filters
(channel, category, agent) do not apply to orders. Read from the daily rollups, which keep the
local days of each order's first refund and first return."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.delivery_days import DeliveryDay
from ticketing.reports.rollup.reading import sums_per_bucket
from ticketing.reports.series import Row, Series
from ticketing.reports.sqlmath import ratio


def _row(counts: list[int]) -> Row:
    delivered, with_refund, with_return = counts
    return {
        "orders_delivered": delivered,
        "orders_refunded": with_refund,
        "refund_rate": ratio(with_refund, delivered),
        "orders_returned": with_return,
        "return_rate": ratio(with_return, delivered),
    }


def commerce(db_session: Session, buckets: list[Bucket]) -> Series:
    last = buckets[-1].last
    n = DeliveryDay.orders
    counts = sums_per_bucket(
        db_session,
        DeliveryDay,
        [
            n,
            case((DeliveryDay.refund_day <= last, n), else_=0),
            case((DeliveryDay.return_day <= last, n), else_=0),
        ],
        buckets,
        ReportFilter(),  # the conversation filters do not apply to orders
        staff=None,
    )
    return counts.series(_row)
