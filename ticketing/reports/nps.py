"""NPS: % promoters (9-10) - % detractors (0-6) of the 0-10 answers given in each bucket."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ticketing.feedback.nps_models import DETRACTOR_MAX, PROMOTER_MIN, NpsAnswer
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, by_staff, on_conversation_id
from ticketing.reports.periods import Bucket, bucket_index


def score(promoters: int, detractors: int, answers: int) -> float | None:
    """The NPS from -100 to 100 in points, to 2 places (a rate's 4 places of a fraction);
    None without answers."""
    return round(100 * (promoters - detractors) / answers, 2) if answers else None


def nps(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> list[dict[str, Any]]:
    """Per bucket, by when the answer was given: `nps`, `nps_answers`, `nps_promoters`,
    `nps_detractors`. Channel is the answer's, category its conversation's ticket's, agent (and
    team) the agent the answer rates (who had the conversation)."""
    rows = select(
        bucket_index(NpsAnswer.created_at, buckets),
        case((NpsAnswer.score >= PROMOTER_MIN, 1), else_=0),
        case((NpsAnswer.score <= DETRACTOR_MAX, 1), else_=0),
    ).where(in_range(NpsAnswer.created_at, buckets))
    if filters.channel is not None:
        rows = rows.where(NpsAnswer.channel == filters.channel)
    if filters.category is not None:
        rows = on_conversation_id(
            rows, NpsAnswer.conversation_id, ReportFilter(category=filters.category)
        )
    rows = by_staff(rows, NpsAnswer.agent_id, filters)
    counts = sums_by_bucket(db_session, rows)
    result = []
    for index in range(len(buckets)):
        answers, promoters, detractors = counts.get(index, [0, 0, 0])
        result.append(
            {
                "nps": score(promoters, detractors, answers),
                "nps_answers": answers,
                "nps_promoters": promoters,
                "nps_detractors": detractors,
            }
        )
    return result
