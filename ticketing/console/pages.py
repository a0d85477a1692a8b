"""The console's pages: login, logout, the queue, one conversation, and their static files."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ticketing.agents import service as agents_service
from ticketing.agents.models import Presence
from ticketing.console import service as console_service
from ticketing.console import templates
from ticketing.console.auth import (
    CSRF_COOKIE,
    CSRF_HEADER,
    ConsoleUser,
    end_session,
    new_csrf_token,
    read_cookie_user,
    set_csrf_cookie,
    start_session,
)
from ticketing.conversations.views import HubDep
from ticketing.db import Database
from ticketing.deps import DatabaseDep, NowDep, SessionDep, SettingsDep
from ticketing.errors import AuthenticationError, PermissionDeniedError, RateLimitedError
from ticketing.home.service import shows_demo
from ticketing.security.login_limits import LoginThrottle, get_login_throttle
from ticketing.security.message_limits import client_ip
from ticketing.staff import service as staff_service
from ticketing.static_files import StaticFiles

router = APIRouter(prefix="/console", include_in_schema=False)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = StaticFiles(STATIC_DIR, "console")
HOME = "/console/"


def _html(content: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status_code, headers=templates.SECURITY_HEADERS)


AFTER_LOGIN_PREFIXES = (HOME, "/reports/")


def _safe_next(path: str | None) -> str:
    """Only console and report pages on this site: never an open redirect."""
    if path and path.startswith(AFTER_LOGIN_PREFIXES) and "\\" not in path:
        return path
    return HOME


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/console/login?next={quote(request.url.path)}", status_code=303)


def _current_user(
    request: Request, database: DatabaseDep, settings: SettingsDep, now: NowDep
) -> ConsoleUser | None:
    return read_cookie_user(database, cookies=request.cookies, settings=settings, now=now)


def _page(request: Request, render: Callable[[str], str], status_code: int = 200) -> Response:
    """An HTML page; the CSRF cookie is set first if the browser has none yet."""
    token = request.cookies.get(CSRF_COOKIE)
    fresh = not token
    token = token or new_csrf_token()
    response = _html(render(token), status_code)
    if fresh:
        set_csrf_cookie(response, request, token)
    return response


def _sent_csrf_ok(request: Request, form_token: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form_token or request.headers.get(CSRF_HEADER, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


@router.get("/login")
def login_form(
    request: Request,
    settings: SettingsDep,
    requested: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    """The login form (any CSRF cookie the browser holds goes into the form)."""
    next_path = _safe_next(requested)
    return _page(
        request,
        lambda token: templates.login_page(
            csrf_token=token, next_path=next_path, demo_hint=shows_demo(settings)
        ),
    )


@router.post("/login")
def login(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    throttle: Annotated[LoginThrottle, Depends(get_login_throttle)],
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    database: DatabaseDep,
    hub: HubDep,
    background: BackgroundTasks,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    requested: Annotated[str, Form(alias="next", max_length=500)] = HOME,
) -> Response:
    """Check the password; on success the session and CSRF cookies, then the page asked for.
    Too many wrong passwords: the form again with how long to wait (429, Retry-After)."""
    if not _sent_csrf_ok(request, csrf_token):
        error = "The form expired. Please try again."
        return _page(
            request,
            lambda token: templates.login_page(
                csrf_token=token,
                next_path=_safe_next(requested),
                error=error,
                username=username,
                demo_hint=shows_demo(settings),
            ),
            status_code=403,
        )
    try:
        answer = staff_service.login(
            db_session=db_session,
            username=username,
            password=password,
            settings=settings,
            now=now,
            throttle=throttle,
            client_ip=client_ip(request),
        )
    except (AuthenticationError, RateLimitedError) as error:
        page = templates.login_page(
            csrf_token=csrf_token,
            next_path=_safe_next(requested),
            error=error.msg,
            username=username,
            demo_hint=shows_demo(settings),
        )
        if isinstance(error, RateLimitedError):
            throttled = _html(page, status_code=429)
            throttled.headers["Retry-After"] = str(error.retry_after)
            return throttled
        return _html(page, status_code=401)
    response = RedirectResponse(_safe_next(requested), status_code=303)
    start_session(response, request, answer, now)
    if _arrive(database, answer.username, now):
        background.add_task(hub.set_presence_changed)  # waiting conversations come to them
    return response


def _arrive(database: Database, username: str, now: datetime) -> bool:
    """The console login's presence: online unless they chose Away; whether they are online."""
    with database.session(write=True) as db_session:
        staff = staff_service.get_by_username_or_raise(db_session=db_session, username=username)
        agent = agents_service.log_in(db_session=db_session, staff=staff, now=now)
    return agent.presence == Presence.ONLINE


@router.post("/logout")
def logout(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    now: NowDep,
    csrf_token: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """End the session (the form sends the CSRF token, so no other site can log you out): the
    cookies go, and the token in them stops working, as a cookie and as a bearer token."""
    if not _sent_csrf_ok(request, csrf_token):
        raise PermissionDeniedError("The CSRF token is missing or wrong.", code="csrf_failed")
    user = read_cookie_user(database, cookies=request.cookies, settings=settings, now=now)
    if user is not None:
        with database.session(write=True) as db_session:
            staff_service.end_sessions(db_session=db_session, username=user.username)
            staff = staff_service.get_by_username_or_raise(
                db_session=db_session, username=user.username
            )
            agents_service.log_out(db_session=db_session, staff=staff, now=now)
    response = RedirectResponse("/console/login", status_code=303)
    end_session(response)
    return response


@router.get("/")
def queue_page(
    request: Request, user: Annotated[ConsoleUser | None, Depends(_current_user)]
) -> Response:
    """The queue, my conversations and my presence; updates itself over the WebSocket."""
    if user is None:
        return _to_login(request)
    return _page(request, lambda token: templates.queue_page(user, token))


@router.get("/canned-replies")
def canned_page(
    request: Request, user: Annotated[ConsoleUser | None, Depends(_current_user)]
) -> Response:
    """The canned replies: search them; managers and admins also add, edit and delete."""
    if user is None:
        return _to_login(request)
    return _page(request, lambda token: templates.canned_page(user, token))


@router.get("/training")
def training_page(
    request: Request, user: Annotated[ConsoleUser | None, Depends(_current_user)]
) -> Response:
    """The training inbox (managers and admins): what the bot did not understand, grouped,
    to label. Agents get 403."""
    if user is None:
        return _to_login(request)
    if not user.is_manager:
        raise PermissionDeniedError(
            "The Training page needs a manager or admin.", code="role_required"
        )
    return _page(request, lambda token: templates.training_page(user, token))


@router.get("/conversations/{conversation_id}")
def conversation_page(
    conversation_id: str,
    request: Request,
    user: Annotated[ConsoleUser | None, Depends(_current_user)],
    database: DatabaseDep,
) -> Response:
    """One conversation: live transcript, what the bot collected, reply box and notes."""
    if user is None:
        return _to_login(request)
    with database.session() as db_session:
        console_service.exists_or_raise(db_session, conversation_id)
    return _page(request, lambda token: templates.conversation_page(user, token, conversation_id))


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The console's stylesheet and scripts (only the files that ship with it)."""
    return STATIC_FILES.response(name)
