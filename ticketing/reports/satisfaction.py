"""CSAT: share of 4-5 ratings, and ratings received per survey sent (csat_requested)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.rating_days import RatingDay
from ticketing.reports.rollup.reading import sums_per_bucket
from ticketing.reports.rollup.survey_days import SurveyDay
from ticketing.reports.series import Row, Series
from ticketing.reports.sqlmath import ratio


def _row(rated: int, positive: int, sent: int) -> Row:
    return {
        "ratings": rated,
        "ratings_positive": positive,
        "csat": ratio(positive, rated),
        "surveys_sent": sent,
        "response_rate": ratio(rated, sent),
    }


def satisfaction(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    """Ratings by when they were given, filtered by the rating's own channel, category and
    agent; surveys by when they were sent, filtered by the conversation's channel, its ticket's
    category and who sent them. Both read from the daily rollups. No ratings gives CSAT None
    (not 0); no surveys gives response rate None."""
    ratings = sums_per_bucket(
        db_session, RatingDay, [RatingDay.ratings, RatingDay.positive], buckets, filters
    )
    surveys = sums_per_bucket(db_session, SurveyDay, [SurveyDay.surveys], buckets, filters)
    return Series(
        [
            _row(rated, positive, sent)
            for (rated, positive), (sent,) in zip(
                ratings.per_bucket, surveys.per_bucket, strict=True
            )
        ],
        _row(*ratings.total, *surveys.total),
    )
