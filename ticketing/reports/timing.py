"""First response time (first human reply after each handoff) and resolution time (created ->
the conversation's last resolution; a reopened conversation counts again only when it is
resolved again, with the later time)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent, Owner
from ticketing.reports.counting import in_range
from ticketing.reports.filters import (
    ReportFilter,
    by_staff,
    on_conversation,
    on_conversation_id,
)
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import Distribution, distributions, seconds_between

DONE = (Owner.RESOLVED, Owner.CLOSED)


def first_response(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    event = ConversationEvent
    seconds = event.data["seconds"].as_float()
    pairs = select(bucket_index(event.at, buckets), seconds).where(
        event.kind == "first_human_reply", in_range(event.at, buckets), seconds.is_not(None)
    )
    pairs = on_conversation_id(pairs, event.conversation_id, filters)
    pairs = by_staff(pairs, event.staff_id, filters)
    return distributions(db_session, pairs)


def resolution(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    seconds = seconds_between(db_session, Conversation.created_at, Conversation.resolved_at)
    pairs = select(bucket_index(Conversation.resolved_at, buckets), seconds.cast(Float)).where(
        in_range(Conversation.resolved_at, buckets), Conversation.owner.in_(DONE)
    )
    return distributions(db_session, on_conversation(pairs, filters))


def timing(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    frt = first_response(db_session, buckets, filters)
    resolved = resolution(db_session, buckets, filters)
    result = []
    for index in range(len(buckets)):
        first, done = frt.get(index, Distribution()), resolved.get(index, Distribution())
        result.append(
            {
                "first_responses": first.count,
                "frt_median_seconds": first.median,
                "frt_p90_seconds": first.p90,
                "frt_mean_seconds": first.mean,
                "resolved": done.count,
                "resolution_median_seconds": done.median,
                "resolution_p90_seconds": done.p90,
            }
        )
    return result
