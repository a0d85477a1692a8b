"""Reading the rollups: a range of local days and the report filters as WHERE clauses."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select

from ticketing.reports.filters import ReportFilter, by_staff
from ticketing.reports.rollup.models import ConversationDay


def in_days(day: Any, first: date, last: date) -> ColumnElement[bool]:
    """`day` (a local date column) falls in first..last."""
    result: ColumnElement[bool] = (day >= first) & (day <= last)
    return result


def on_conversation_day(stmt: Select[Any], filters: ReportFilter) -> Select[Any]:
    """Restrict a statement on `report_conversation_days` as `filters.on_conversation` does on
    conversations: channel, the ticket's category, the assignee (and the assignee's team)."""
    if filters.channel is not None:
        stmt = stmt.where(ConversationDay.channel == filters.channel)
    if filters.category is not None:
        stmt = stmt.where(ConversationDay.category == filters.category)
    return by_staff(stmt, ConversationDay.agent_id, filters)
