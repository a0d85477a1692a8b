"""The reports page's query string as typed: raw values kept to show the form again, and read
into a `ReportQuery` with an error that names the field (the API's parameters are checked by
FastAPI instead, whose JSON answer a page must not show)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ticketing.deps import NowDep, PolicyDep
from ticketing.reports.errors import ReportInputError
from ticketing.reports.params import ReportQuery, report_query
from ticketing.reports.periods import Grouping

FIELDS = ("from", "to", "group", "channel", "category", "agent", "team")
MAX_LENGTH = 100


def form_values(params: Mapping[str, str]) -> dict[str, str]:
    """The form's fields as submitted (missing ones empty)."""
    return {name: params.get(name, "").strip() for name in FIELDS}


def _date(values: dict[str, str], field: str) -> date | None:
    text = values[field]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ReportInputError(
            f"{text[:20]!r} is not a date: use the date picker or YYYY-MM-DD.",
            code="bad_date",
            field=field,
        ) from error


def _group(text: str) -> Grouping:
    try:
        return Grouping(text or Grouping.DAY.value)
    except ValueError as error:
        raise ReportInputError(
            "Group by day, week or month.", code="bad_group", field="group"
        ) from error


def page_query(values: dict[str, str], policy: PolicyDep, now: NowDep) -> ReportQuery:
    """The query for `values` (see `form_values`); ReportInputError names the field at fault."""
    for field in ("channel", "category", "agent", "team"):
        if len(values[field]) > MAX_LENGTH:
            raise ReportInputError(
                f"At most {MAX_LENGTH} characters.", code="too_long", field=field
            )
    return report_query(
        policy,
        now,
        first=_date(values, "from"),
        last=_date(values, "to"),
        group=_group(values["group"]),
        channel=values["channel"] or None,
        category=values["category"] or None,
        agent=values["agent"] or None,
        team=values["team"] or None,
    )
