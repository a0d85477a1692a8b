"""The start page at `/`: what supportbot is, where to go, and (in development) what to try."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from ticketing.deps import NowDep, PolicyDep, SessionDep, SettingsDep
from ticketing.home import service, templates
from ticketing.static_files import StaticFiles

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = StaticFiles(STATIC_DIR, "start page")


@router.get("/")
def start_page(
    db_session: SessionDep, settings: SettingsDep, policy: PolicyDep, now: NowDep
) -> HTMLResponse:
    """Links to the chat, console, reports and API docs; demo logins and orders outside
    production."""
    demo = None
    if service.shows_demo(settings):
        demo = (
            service.demo_logins(db_session=db_session),
            service.demo_orders(db_session=db_session, now=now),
        )
    page = templates.start_page(shop_name=policy.shop_name, demo=demo)
    return HTMLResponse(page, headers=templates.SECURITY_HEADERS)


@router.get("/home/static/{name}")
def static_file(name: str) -> FileResponse:
    """The start page's stylesheet."""
    return STATIC_FILES.response(name)
