"""NPS: % promoters (9-10) - % detractors (0-6) of the 0-10 answers given in each bucket."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.nps_days import NpsDay
from ticketing.reports.rollup.reading import sums_per_bucket
from ticketing.reports.series import Row, Series


def score(promoters: int, detractors: int, answers: int) -> float | None:
    """The NPS from -100 to 100 in points, to 2 places (a rate's 4 places of a fraction);
    None without answers."""
    return round(100 * (promoters - detractors) / answers, 2) if answers else None


def _row(counts: list[int]) -> Row:
    answers, promoters, detractors = counts
    return {
        "nps": score(promoters, detractors, answers),
        "nps_answers": answers,
        "nps_promoters": promoters,
        "nps_detractors": detractors,
    }


def nps(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    """Per bucket, by when the answer was given: `nps`, `nps_answers`, `nps_promoters`,
    `nps_detractors`. Channel is the answer's, category its conversation's ticket's, agent (and
    team) the agent the answer rates (who had the conversation). Read from the daily rollups."""
    counts = sums_per_bucket(
        db_session, NpsDay, [NpsDay.answers, NpsDay.promoters, NpsDay.detractors], buckets, filters
    )
    return counts.series(_row)
