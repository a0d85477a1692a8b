"""Reports for managers and admins: the JSON API, CSV, and the HTML page with its static files.

The API takes the staff bearer token or the console's session cookie (`ConsoleManagerDep`);
the page redirects to the console login when nobody is logged in and refuses agents (403).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.console.auth import ConsoleManagerDep, ConsoleUser, read_cookie_user
from ticketing.console.templates import SECURITY_HEADERS
from ticketing.conversations.models import Conversation
from ticketing.db import Database
from ticketing.deps import DatabaseDep, NowDep, SessionDep, SettingsDep
from ticketing.errors import error_responses
from ticketing.reports import summary
from ticketing.reports.agents import agent_table
from ticketing.reports.csv_export import summary_csv
from ticketing.reports.params import ReportQuery, report_query, resolve
from ticketing.reports.templates import reports_page
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.static_files import StaticFiles

router = APIRouter(tags=["reports"], responses=error_responses(401, 403))
QueryDep = Annotated[ReportQuery, Depends(report_query)]

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = StaticFiles(STATIC_DIR, "reports")


def _report(database: Database, db_session: Session, query: ReportQuery) -> dict[str, Any]:
    report_range, filters = resolve(db_session, query)
    return summary.build(
        database, db_session, report_range, filters, sla_priorities=query.sla_priorities
    )


@router.get("/api/reports/summary")
def summary_json(
    _user: ConsoleManagerDep, database: DatabaseDep, db_session: SessionDep, query: QueryDep
) -> Any:
    """Every metric per day/week/month, totals, the previous period and the change, top contact
    reasons and the agent table. Metrics without data yet are null and listed in `unavailable`;
    `definitions` says how each is computed."""
    return _report(database, db_session, query)


@router.get(
    "/api/reports/summary.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per bucket"}},
)
def summary_csv_view(
    _user: ConsoleManagerDep, database: DatabaseDep, db_session: SessionDep, query: QueryDep
) -> Response:
    """The summary as CSV: one row per bucket, then `total` and `previous`."""
    report = _report(database, db_session, query)
    name = f"supportbot-report-{report['from']}-{report['to']}.csv"
    return Response(
        summary_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/api/reports/agents")
def agents_json(
    _user: ConsoleManagerDep, database: DatabaseDep, db_session: SessionDep, query: QueryDep
) -> Any:
    """The per-agent table for the whole range."""
    report_range, filters = resolve(db_session, query)
    summary.refreshed(database, db_session, report_range.timezone)
    return {
        "from": report_range.first.isoformat(),
        "to": report_range.last.isoformat(),
        "agents": agent_table(db_session, report_range.whole, filters),
    }


def _page_user(
    request: Request, database: DatabaseDep, settings: SettingsDep, now: NowDep
) -> ConsoleUser | None:
    return read_cookie_user(database, cookies=request.cookies, settings=settings, now=now)


def _choices(db_session: Session) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The agents, channels and teams the form offers."""
    staff = db_session.execute(
        select(StaffUser.id, StaffUser.display_name)
        .where(StaffUser.role == StaffRole.AGENT)
        .order_by(StaffUser.display_name)
    ).all()
    channels = db_session.scalars(select(Conversation.channel).distinct().limit(50)).all()
    teams = staff_service.teams(db_session=db_session)
    return [(str(i), name) for i, name in staff], sorted(channels), teams


@router.get("/reports/", include_in_schema=False)
def reports_html(
    request: Request,
    user: Annotated[ConsoleUser | None, Depends(_page_user)],
    database: DatabaseDep,
    query: QueryDep,
) -> Response:
    """The reports page: headline numbers with the previous period, charts and tables."""
    if user is None:
        return RedirectResponse("/console/login?next=/reports/", status_code=303)
    if not user.is_manager:
        return HTMLResponse(
            "<!doctype html><title>Reports</title><p>Reports are for managers and admins.</p>",
            status_code=403,
            headers=SECURITY_HEADERS,
        )
    with database.session() as db_session:
        report = _report(database, db_session, query)
        agents, channels, teams = _choices(db_session)
    csv_url = "/api/reports/summary.csv?" + urlencode(
        {k: v for k, v in request.query_params.items() if v}
    )
    page = reports_page(report, csv_url=csv_url, agents=agents, channels=channels, teams=teams)
    return HTMLResponse(page, headers=SECURITY_HEADERS)


@router.get("/reports/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    return STATIC_FILES.response(name)
