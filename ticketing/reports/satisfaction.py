"""CSAT: share of 4-5 ratings, and ratings received per survey sent (csat_requested)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import ConversationEvent
from ticketing.feedback.models import CsatRating
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, by_staff, on_conversation_id
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import ratio


def _ratings(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, list[int]]:
    rows = select(
        bucket_index(CsatRating.created_at, buckets), case((CsatRating.score >= 4, 1), else_=0)
    ).where(in_range(CsatRating.created_at, buckets))
    if filters.channel is not None:
        rows = rows.where(CsatRating.channel == filters.channel)
    if filters.category is not None:
        rows = rows.where(CsatRating.category == filters.category)
    rows = by_staff(rows, CsatRating.agent_id, filters)
    return sums_by_bucket(db_session, rows)


def _surveys(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, list[int]]:
    event = ConversationEvent
    rows = select(bucket_index(event.at, buckets)).where(
        event.kind == "csat_requested", in_range(event.at, buckets)
    )
    rows = on_conversation_id(rows, event.conversation_id, filters)
    rows = by_staff(rows, event.staff_id, filters)
    return sums_by_bucket(db_session, rows)


def satisfaction(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    """No ratings gives CSAT None (not 0); no surveys gives response rate None."""
    ratings = _ratings(db_session, buckets, filters)
    surveys = _surveys(db_session, buckets, filters)
    result = []
    for index in range(len(buckets)):
        rated, positive = ratings.get(index, [0, 0])
        sent = surveys.get(index, [0])[0]
        result.append(
            {
                "ratings": rated,
                "ratings_positive": positive,
                "csat": ratio(positive, rated),
                "surveys_sent": sent,
                "response_rate": ratio(rated, sent),
            }
        )
    return result
