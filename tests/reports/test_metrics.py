"""Every metric against the hand-computed values of tests/reports/dataset.py."""

from __future__ import annotations

from datetime import date

from tests.reports.conftest import Report
from tests.reports.dataset import Staff
from ticketing.reports.periods import Grouping
from ticketing.tickets.models import TicketCategory

MON, SUN = date(2026, 11, 16), date(2026, 11, 22)


def test_week_totals(report: Report) -> None:
    totals = report(MON, SUN)["totals"]
    assert totals["conversations"] == 6  # C1..C6
    assert totals["handed_off"] == 4  # C1, C3, C4, C5
    assert totals["handoff_rate"] == 0.6667
    assert totals["contained"] == 1  # only C2; C3 was bot-resolved but after a handoff
    assert totals["containment_rate"] == 0.1667
    assert (totals["ratings"], totals["ratings_positive"]) == (3, 2)  # 5, 4, 2
    assert totals["csat"] == 0.6667
    assert totals["surveys_sent"] == 4  # C1, C2, C3 twice (after the reopening)
    assert totals["response_rate"] == 0.75
    # FRT 600 (C1), 3600 (C3), 3600 (C5): median 3600, p90 3600, mean 2600
    assert totals["first_responses"] == 3
    assert totals["frt_median_seconds"] == 3600
    assert totals["frt_p90_seconds"] == 3600
    assert totals["frt_mean_seconds"] == 2600
    # resolution: C2 300, C1 3600, C3 91800 (its last resolution, after the reopening)
    # p90 = 3600 + 0.8 * (91800 - 3600) = 74160
    assert totals["resolved"] == 3
    assert totals["resolution_median_seconds"] == 3600
    assert totals["resolution_p90_seconds"] == 74160
    # resolved in the week: C1, C2, C3; reopened after its resolution: C3
    assert (totals["resolved_conversations"], totals["reopened"]) == (3, 1)
    assert totals["reopened_rate"] == 0.3333
    assert totals["backlog"] == 2  # C4 (waiting) and C5 (ann)
    # delivered O1..O4; refund not failed: O1; returns: O1, O4
    assert (totals["orders_delivered"], totals["orders_refunded"]) == (4, 1)
    assert (totals["refund_rate"], totals["return_rate"]) == (0.25, 0.5)
    # NPS: C1 10, C2 9 (promoters), C3 3 (detractor): (2 - 1) / 3 in points
    assert (totals["nps"], totals["nps_answers"], totals["nps_promoters"]) == (33.33, 3, 2)
    assert totals["nps_detractors"] == 1
    # T1..T4 created in the week, all normal priority, none breached (tests/reports/test_sla.py)
    assert (totals["sla_tickets"], totals["sla_breaches"], totals["sla_breach_rate"]) == (4, 0, 0.0)


def test_previous_period_and_change(report: Report) -> None:
    result = report(MON, SUN)
    previous = result["previous"]
    assert (previous["from"], previous["to"]) == ("2026-11-09", "2026-11-15")
    before = previous["totals"]
    assert before["conversations"] == 2  # P1, P2
    assert (before["handoff_rate"], before["containment_rate"]) == (0.5, 0.5)
    assert before["ratings"] == 0
    assert before["csat"] is None  # no ratings: unknown, not 0
    assert before["response_rate"] == 0.0  # two surveys, no answer
    assert before["frt_median_seconds"] == 1800
    # P1 600, P2 5400: median 3000, p90 600 + 0.9 * 4800 = 4920
    assert (before["resolution_median_seconds"], before["resolution_p90_seconds"]) == (3000, 4920)
    assert before["reopened_rate"] == 0.0
    assert before["backlog"] == 0  # P2 was handed back
    # O5 delivered; its refund came on Nov 17, after the previous period ended
    assert (before["orders_delivered"], before["refund_rate"]) == (1, 0.0)
    change = result["change"]
    assert change["conversations"] == 4
    assert change["backlog"] == 2
    assert change["csat"] is None


def test_days_including_the_weekend(report: Report) -> None:
    series = report(MON, SUN)["series"]
    assert [row["label"] for row in series] == [f"2026-11-{d}" for d in range(16, 23)]
    assert [row["conversations"] for row in series] == [2, 1, 0, 1, 0, 1, 1]
    assert [row["csat"] for row in series] == [1.0, 0.0, None, None, None, None, None]
    assert [row["surveys_sent"] for row in series] == [2, 1, 1, 0, 0, 0, 0]
    assert [row["response_rate"] for row in series] == [1.0, 1.0, 0.0, None, None, None, None]
    assert [row["backlog"] for row in series] == [0, 0, 0, 1, 1, 2, 2]
    assert [row["frt_median_seconds"] for row in series] == [
        600,
        3600,
        None,
        None,
        None,
        3600,
        None,
    ]
    # C1 3600 and C2 300 on Monday (median 1950); C3 only on Wednesday, with its last resolution
    assert [row["resolution_median_seconds"] for row in series][:3] == [1950, None, 91800]
    # Tuesday: C3 resolved then reopened (1/1); Wednesday: resolved again, not reopened since
    assert [row["reopened_rate"] for row in series][:3] == [0.0, 1.0, 0.0]
    assert [row["orders_delivered"] for row in series] == [1, 0, 1, 0, 1, 1, 0]
    assert [row["return_rate"] for row in series] == [1.0, None, 0.0, None, 0.0, 1.0, None]
    sunday = series[6]
    assert (sunday["containment_rate"], sunday["handoff_rate"]) == (0.0, 0.0)  # C6 with the bot


def test_week_and_month_grouping(report: Report) -> None:
    weeks = report(date(2026, 11, 9), SUN, Grouping.WEEK)["series"]
    assert [row["label"] for row in weeks] == ["2026-W46", "2026-W47"]
    assert [row["conversations"] for row in weeks] == [2, 6]
    assert [row["csat"] for row in weeks] == [None, 0.6667]
    assert [row["backlog"] for row in weeks] == [0, 2]
    months = report(date(2026, 10, 20), SUN, Grouping.MONTH)["series"]
    assert [(row["label"], row["from"], row["to"]) for row in months] == [
        ("2026-10", "2026-10-20", "2026-10-31"),
        ("2026-11", "2026-11-01", "2026-11-22"),
    ]
    assert [row["conversations"] for row in months] == [0, 8]
    assert months[1]["resolution_median_seconds"] == 3600  # 300, 600, 3600, 5400, 91800


def test_channel_filter(report: Report) -> None:
    totals = report(MON, SUN, channel="telegram")["totals"]
    assert totals["conversations"] == 2  # C3, C5
    assert (totals["ratings"], totals["csat"]) == (1, 0.0)  # C3 rated 2
    assert (totals["surveys_sent"], totals["response_rate"]) == (2, 0.5)
    assert totals["frt_median_seconds"] == 3600
    assert totals["backlog"] == 1  # C5
    assert (totals["nps"], totals["nps_answers"]) == (-100.0, 1)  # C3's 3
    assert totals["orders_delivered"] == 4  # orders are not filtered


def test_category_filter(report: Report) -> None:
    totals = report(MON, SUN, category=TicketCategory.LOGISTICS)["totals"]
    assert totals["conversations"] == 2  # C1 (T1), C5 (T4)
    assert (totals["ratings"], totals["csat"]) == (1, 1.0)
    assert totals["frt_median_seconds"] == 2100  # 600, 3600
    assert totals["backlog"] == 1


def test_agent_filter(report: Report, staff: Staff) -> None:
    totals = report(MON, SUN, agent_id=staff.ann)["totals"]
    assert totals["conversations"] == 2  # C1, C5 are ann's
    assert (totals["nps"], totals["nps_answers"]) == (100.0, 1)  # C1's 10 rates ann
    assert (totals["ratings"], totals["csat"]) == (1, 1.0)
    assert (totals["surveys_sent"], totals["frt_median_seconds"]) == (1, 2100)
    assert totals["backlog"] == 1


def test_agent_table(report: Report, staff: Staff) -> None:
    rows = {row["username"]: row for row in report(MON, SUN)["agents"]}
    assert set(rows) == {"ann", "bob"}  # the manager has no activity and is not an agent
    assert rows["ann"] == {
        "agent_id": staff.ann,
        "username": "ann",
        "display_name": "Ann",
        "team": None,
        "handled": 1,
        "frt_median_seconds": 2100,
        "resolution_median_seconds": 3600,
        "ratings": 1,
        "csat": 1.0,
    }
    bob = rows["bob"]
    assert (bob["handled"], bob["frt_median_seconds"], bob["resolution_median_seconds"]) == (
        1,
        3600,
        7200,
    )
    assert (bob["ratings"], bob["csat"]) == (1, 0.0)


def test_top_reasons_and_trend(report: Report) -> None:
    reasons = report(MON, SUN)["top_reasons"]
    assert [(r["reason"], r["count"], r["previous_count"], r["change"]) for r in reasons] == [
        ("unrecorded", 2, 1, 1),  # C2, C6 / P1
        ("where_is_my_order", 2, 1, 1),  # C1, C5 / P2
        ("after_sales", 1, 0, 1),  # C4: no intent, its ticket's category
        ("refund_status", 1, 0, 1),
    ]
    assert reasons[0]["share"] == 0.3333


def test_unavailable_metrics_are_explained(report: Report) -> None:
    result = report(MON, SUN)
    assert result["unavailable"] == {}
    assert "promoters" in result["definitions"]["nps"]
    assert result["filters"]["team"] is None
    assert "refund_rate" in result["definitions"]


def test_empty_period(report: Report) -> None:
    totals = report(date(2026, 1, 1), date(2026, 1, 7))["totals"]
    assert totals["conversations"] == 0
    assert totals["csat"] is None
    assert totals["frt_median_seconds"] is None
    assert totals["containment_rate"] is None
    assert totals["backlog"] == 0
