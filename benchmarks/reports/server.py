"""The real app on loopback for the benchmark: uvicorn in a thread, a manager logged in through
the console's login form, and a count of the SQL each request ran (time spent in the driver)."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event

from ticketing.app import create_app
from ticketing.console.auth import CSRF_COOKIE, SESSION_COOKIE
from ticketing.db import Database
from ticketing.settings import Settings


@dataclass
class SqlMeter:
    """Statements run and seconds spent executing them since the last `reset`."""

    statements: int = 0
    seconds: float = 0.0

    def reset(self) -> None:
        self.statements, self.seconds = 0, 0.0

    def attach(self, database: Database) -> None:
        started: dict[int, float] = {}

        @event.listens_for(database.engine, "before_cursor_execute")
        def _before(_conn: Any, cursor: Any, *_args: Any) -> None:
            started[id(cursor)] = time.perf_counter()

        @event.listens_for(database.engine, "after_cursor_execute")
        def _after(_conn: Any, cursor: Any, *_args: Any) -> None:
            begun = started.pop(id(cursor), None)
            if begun is not None:
                self.statements += 1
                self.seconds += time.perf_counter() - begun


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app(database_url: str) -> Iterator[tuple[str, SqlMeter]]:
    """The backend on a free loopback port: (base URL, SQL meter). No bot, Redis, CRM or SLA
    watch (it would change the data while we measure)."""
    settings = Settings(
        database_url=database_url,
        environment="development",
        secret_key=secrets.token_urlsafe(32),
        redis_url=None,
        rasa_url=None,
        crm_webhook_url=None,
        sla_check_seconds=0,
    )
    database = Database(settings.sqlalchemy_url)
    meter = SqlMeter()
    meter.attach(database)
    app = create_app(settings, database=database)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start: see the log above")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", meter
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def log_in(client: httpx.Client, username: str, password: str) -> None:
    """The console's login form, as a browser fills it: the CSRF cookie, then the form."""
    client.get("/console/login", params={"next": "/reports/"}).raise_for_status()
    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        raise RuntimeError("the login page set no CSRF cookie")
    answer = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/reports/"},
    )
    if answer.status_code != 303 or not client.cookies.get(SESSION_COOKIE):
        raise RuntimeError(
            f"logging in as {username!r} failed ({answer.status_code}): was the database seeded "
            "by generate.py with the same --password?"
        )
