"""Reports for managers and admins: the JSON API, CSV, and the HTML page with its static files.

The API takes the staff bearer token or the console's session cookie (`ConsoleManagerDep`);
the page redirects to the console login when nobody is logged in and refuses agents (403).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.console.auth import ConsoleManagerDep, ConsoleUser, read_cookie_user
from ticketing.console.templates import SECURITY_HEADERS
from ticketing.conversations.models import Conversation
from ticketing.db import Database
from ticketing.deps import DatabaseDep, NowDep, PolicyDep, SessionDep, SettingsDep
from ticketing.errors import error_responses
from ticketing.reports import summary
from ticketing.reports.agents import agent_table
from ticketing.reports.at_risk import at_risk_table
from ticketing.reports.at_risk_html import at_risk_section
from ticketing.reports.csv_export import summary_csv
from ticketing.reports.errors import ReportInputError
from ticketing.reports.help_page import help_page
from ticketing.reports.page_params import form_values, page_query
from ticketing.reports.params import ReportQuery, report_query, resolve
from ticketing.reports.readable_csv import CsvFormat, readable_csv
from ticketing.reports.templates import at_risk_page, reports_page
from ticketing.reports.training import training_metrics
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
        database,
        db_session,
        report_range,
        filters,
        sla_priorities=query.sla_priorities,
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
    _user: ConsoleManagerDep,
    database: DatabaseDep,
    db_session: SessionDep,
    query: QueryDep,
    csv_format: Annotated[
        CsvFormat,
        Query(
            alias="format",
            description="`readable` (default): headers and periods in words, percentages "
            "beside the counts, times in minutes. `raw`: snake_case headers, fractions and "
            "seconds, for integrations.",
        ),
    ] = CsvFormat.READABLE,
) -> Response:
    """The summary as CSV: one row per bucket, then the total and the previous period."""
    report = _report(database, db_session, query)
    name = f"supportbot-report-{report['from']}-{report['to']}.csv"
    text = summary_csv(report) if csv_format == CsvFormat.RAW else readable_csv(report)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/api/reports/at-risk")
def at_risk_json(_user: ConsoleManagerDep, db_session: SessionDep, query: QueryDep) -> Any:
    """Customers at risk in the range (a rating of 1-2, a reopened conversation, 2 or more
    complaints; a range longer than 92 days counts its last 92, `from`..`to`), at most 50,
    emails masked, each with why and a link to their history in the console; `count` is how
    many there are, `notes` what does not apply."""
    report_range, filters = resolve(db_session, query)
    r = report_range
    return at_risk_table(db_session, r.first, r.last, r.zone, filters)


@router.get("/api/reports/training")
def training_json(
    _user: ConsoleManagerDep, database: DatabaseDep, db_session: SessionDep, query: QueryDep
) -> Any:
    """The training inbox: messages waiting for a label now, labels per week of the range, and
    the bot's fallback rate per period (`definitions` says how each is computed; the filters
    do not apply)."""
    report_range, _filters = resolve(db_session, query)
    summary.refreshed(database, db_session, report_range.timezone)
    return {
        "from": report_range.first.isoformat(),
        "to": report_range.last.isoformat(),
        "group": report_range.group.value,
        **training_metrics(db_session, report_range),
    }


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


def _refusal(user: ConsoleUser | None, path: str) -> Response | None:
    """Nobody logged in: to the login page; an agent: 403."""
    if user is None:
        return RedirectResponse(f"/console/login?next={path}", status_code=303)
    if not user.is_manager:
        return HTMLResponse(
            "<!doctype html><title>Reports</title><p>Reports are for managers and admins.</p>",
            status_code=403,
            headers=SECURITY_HEADERS,
        )
    return None


def _submitted(values: dict[str, str], report: dict[str, Any]) -> dict[str, str]:
    """The form's values for a shown report: the dates and grouping it used, filters as read."""
    agent = report["filters"]["agent_id"]
    return {
        **values,
        "from": report["from"],
        "to": report["to"],
        "group": report["group"],
        "agent": "" if agent is None else str(agent),
        "team": report["filters"]["team"] or "",
    }


@router.get("/reports/", include_in_schema=False)
def reports_html(
    request: Request,
    user: Annotated[ConsoleUser | None, Depends(_page_user)],
    database: DatabaseDep,
    policy: PolicyDep,
    now: NowDep,
) -> Response:
    """The reports page: headline numbers with the previous period, charts and tables. Invalid
    input shows the form again with the error next to its field (422)."""
    refused = _refusal(user, "/reports/")
    if refused is not None:
        return refused
    values = form_values(request.query_params)
    with database.session() as db_session:
        agents, channels, teams = _choices(db_session)
        try:
            query = page_query(values, policy, now)
            report = _report(database, db_session, query)
            report["training"] = training_metrics(db_session, resolve(db_session, query)[0])
            report["at_risk_url"] = "/reports/at-risk?" + _query_string(request)
        except ReportInputError as error:
            page = reports_page(
                values,
                None,
                csv_url=None,
                agents=agents,
                channels=channels,
                teams=teams,
                error=error,
            )
            return HTMLResponse(page, status_code=422, headers=SECURITY_HEADERS)
    csv_url = "/api/reports/summary.csv?" + _query_string(request)
    page = reports_page(
        _submitted(values, report),
        report,
        csv_url=csv_url,
        agents=agents,
        channels=channels,
        teams=teams,
    )
    return HTMLResponse(page, headers=SECURITY_HEADERS)


def _query_string(request: Request) -> str:
    """The page's report choices, for the URLs of its parts (empty values left out)."""
    params = {k: v for k, v in request.query_params.items() if v and k != "fragment"}
    return urlencode(params)


@router.get("/reports/at-risk", include_in_schema=False)
def at_risk_html(
    request: Request,
    user: Annotated[ConsoleUser | None, Depends(_page_user)],
    database: DatabaseDep,
    policy: PolicyDep,
    now: NowDep,
    fragment: bool = False,
) -> Response:
    """The reports page's "Customers at risk" section for the same choices: alone with
    `fragment=1` (the page fetches it after showing the rest), else on a page of its own."""
    refused = _refusal(user, "/reports/")
    if refused is not None:
        return refused
    values = form_values(request.query_params)
    with database.session() as db_session:
        try:
            report_range, filters = resolve(db_session, page_query(values, policy, now))
        except ReportInputError as error:
            message = f'<p class="error">{escape(str(error))}</p>'
            return HTMLResponse(message, status_code=422, headers=SECURITY_HEADERS)
        r = report_range
        table = at_risk_table(db_session, r.first, r.last, r.zone, filters)
    section = at_risk_section({"at_risk": table, "timezone": r.timezone})
    report_url = "/reports/?" + _query_string(request)
    page = section if fragment else at_risk_page(section, report_url)
    return HTMLResponse(page, headers=SECURITY_HEADERS)


@router.get("/reports/help", include_in_schema=False)
def reports_help(user: Annotated[ConsoleUser | None, Depends(_page_user)]) -> Response:
    """How to read the report: every figure's definition, the arrows, filters and the CSV."""
    refused = _refusal(user, "/reports/help")
    return refused or HTMLResponse(help_page(), headers=SECURITY_HEADERS)


@router.get("/reports/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    return STATIC_FILES.response(name)
