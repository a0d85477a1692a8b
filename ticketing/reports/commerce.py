"""Refund and return rates: of the orders delivered in a bucket, the share with a refund (not
failed) / a return request, made by the end of the report's range. The conversation filters
(channel, category, agent) do not apply to orders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ticketing.orders.models import Order
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import ratio
from ticketing.returns.models import Return


def commerce(db_session: Session, buckets: list[Bucket]) -> list[dict[str, Any]]:
    end = buckets[-1].end
    refunded = (
        select(Refund.id)
        .where(
            Refund.order_id == Order.id,
            Refund.status != RefundStatus.FAILED,
            Refund.created_at < end,
        )
        .exists()
    )
    returned = (
        select(Return.id).where(Return.order_id == Order.id, Return.created_at < end).exists()
    )
    rows = select(
        bucket_index(Order.delivered_at, buckets),
        case((refunded, 1), else_=0),
        case((returned, 1), else_=0),
    ).where(in_range(Order.delivered_at, buckets))
    counts = sums_by_bucket(db_session, rows)
    result = []
    for index in range(len(buckets)):
        delivered, with_refund, with_return = counts.get(index, [0, 0, 0])
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
