"""The whole report for a range: every metric per bucket (SLA breach rate included), totals,
the previous period and the change, top contact reasons and the per-agent table."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.reports.agents import agent_table
from ticketing.reports.backlog import backlog
from ticketing.reports.commerce import commerce
from ticketing.reports.definitions import DEFINITIONS, UNAVAILABLE
from ticketing.reports.filters import ReportFilter
from ticketing.reports.nps import nps
from ticketing.reports.periods import Bucket, Grouping, ReportRange
from ticketing.reports.reasons import top_reasons
from ticketing.reports.reopens import reopens
from ticketing.reports.rollup.refresh import refresh
from ticketing.reports.satisfaction import satisfaction
from ticketing.reports.series import Row, Series
from ticketing.reports.side_by_side import read_side_by_side
from ticketing.reports.sla import ALL_PRIORITIES, sla_breaches
from ticketing.reports.timing import timing
from ticketing.reports.volume import volume
from ticketing.tickets.models import TicketPriority


def metrics(
    db_session: Session,
    buckets: list[Bucket],
    filters: ReportFilter,
    sla_priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> Series:
    """One flat dict of numbers per bucket and one over all of them (a rate without data is
    None, never 0), each metric family read once."""
    families = (
        volume(db_session, buckets, filters),
        satisfaction(db_session, buckets, filters),
        nps(db_session, buckets, filters),
        timing(db_session, buckets, filters),
        reopens(db_session, buckets, filters),
        backlog(db_session, buckets, filters),
        sla_breaches(db_session, buckets, filters, sla_priorities),
        commerce(db_session, buckets),
    )
    rows: list[Row] = [{} for _ in buckets]
    total: Row = {}
    for family in families:
        for row, numbers in zip(rows, family.buckets, strict=True):
            row.update(numbers)
        total.update(family.total)
    return Series(rows, total)


def label(bucket: Bucket, group: Grouping) -> str:
    if group == Grouping.MONTH:
        return f"{bucket.first:%Y-%m}"
    if group == Grouping.WEEK:
        year, week, _ = bucket.first.isocalendar()
        return f"{year}-W{week:02d}"
    return bucket.first.isoformat()


def change(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """current - previous for every number both periods have (None otherwise)."""
    result: dict[str, Any] = {}
    for key, now in current.items():
        before = previous.get(key)
        numbers = isinstance(now, int | float) and isinstance(before, int | float)
        result[key] = round(now - before, 4) if numbers else None
    return result


def _period(report_range: ReportRange) -> dict[str, str]:
    return {"from": report_range.first.isoformat(), "to": report_range.last.isoformat()}


def filters_json(filters: ReportFilter) -> dict[str, Any]:
    return {
        "channel": filters.channel,
        "category": filters.category.value if filters.category else None,
        "agent_id": filters.agent_id,
        "team": filters.team,
    }


def from_rollups(
    database: Database,
    db_session: Session,
    report_range: ReportRange,
    filters: ReportFilter,
    *,
    sla_priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> dict[str, Any]:
    """The report from rollups as they are (`build` refreshes them first), read in two parts
    side by side: the range's series, and the previous period, reasons and agents (the
    customers at risk are a part of their own: `at_risk.at_risk_table`).
    `sla_priorities`: the priorities the policy sets SLA targets for."""
    buckets = report_range.buckets()
    previous_range = report_range.previous()

    def the_rest(db_session: Session) -> tuple[Row, list[Row], list[Row]]:
        return (
            metrics(db_session, [previous_range.whole], filters, sla_priorities).total,
            top_reasons(db_session, report_range.whole, previous_range.whole, filters),
            agent_table(db_session, report_range.whole, filters),
        )

    def the_range(db_session: Session) -> Series:
        return metrics(db_session, buckets, filters, sla_priorities)

    current, (previous, reasons, agents) = read_side_by_side(
        database, db_session, the_range, the_rest
    )
    totals = current.total
    series = [
        {
            "label": label(bucket, report_range.group),
            "from": bucket.first.isoformat(),
            "to": bucket.last.isoformat(),
            **row,
        }
        for bucket, row in zip(buckets, current.buckets, strict=True)
    ]
    return {
        **_period(report_range),
        "group": report_range.group.value,
        "timezone": report_range.timezone,
        "filters": filters_json(filters),
        "totals": totals,
        "previous": {**_period(previous_range), "totals": previous},
        "change": change(totals, previous),
        "series": series,
        "top_reasons": reasons,
        "agents": agents,
        "unavailable": UNAVAILABLE,
        "definitions": DEFINITIONS,
    }


def refreshed(database: Database, db_session: Session, timezone: str) -> None:
    """Bring the daily rollups up to date (in a write transaction of their own) for what
    `db_session` reads next. `db_session` ends its transaction: a SQLite reader keeps the
    snapshot its transaction started with, which would not hold the refreshed rollups."""
    refresh(database, timezone)
    db_session.commit()


def build(
    database: Database,
    db_session: Session,
    report_range: ReportRange,
    filters: ReportFilter,
    *,
    sla_priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> dict[str, Any]:
    """The whole report, after bringing the daily rollups up to date."""
    refreshed(database, db_session, report_range.timezone)
    return from_rollups(
        database,
        db_session,
        report_range,
        filters,
        sla_priorities=sla_priorities,
    )
