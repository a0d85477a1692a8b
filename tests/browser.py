"""Real servers and a real browser for browser tests: the app under uvicorn in a thread (real
HTTP and WebSockets) and Debian's chromium driven by Playwright.

Playwright's own browser download (`playwright install`) fails offline, so the system chromium
is used, installed with apt-get when missing (as CI does).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page, expect, sync_playwright

from ticketing.db import Database
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

T = TypeVar("T")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _apt_get(*args: str) -> str:
    argv = ["apt-get", *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=1200, check=False)  # noqa: S607 - apt-get from PATH, as an admin would run it
    return f"$ {' '.join(argv)} -> exit {result.returncode}\n{result.stderr[-1500:]}\n"


def chromium_path() -> str:
    """The system chromium, installed with apt-get first if it is missing."""
    if shutil.which("chromium") is None:
        output = _apt_get("install", "-y", "chromium")
        if shutil.which("chromium") is None:  # a stale package index: refresh and try again
            output += _apt_get("update") + _apt_get("install", "-y", "chromium")
        if shutil.which("chromium") is None:
            pytest.fail(
                "Browser tests need Debian's chromium and `apt-get install -y chromium` failed "
                f"(run it as root, online or with a local mirror):\n{output}",
                pytrace=False,
            )
    return str(shutil.which("chromium"))


@contextmanager
def chromium(timeout_ms: int = 15_000) -> Iterator[Any]:
    """A headless chromium for one test or module; `expect` waits up to `timeout_ms`."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        expect.set_options(timeout=timeout_ms)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, timeout_ms: int = 15_000) -> Page:
    """A page in a context of its own (no shared cookies or storage); page errors are printed."""
    context = browser.new_context()
    context.set_default_timeout(timeout_ms)
    page: Page = context.new_page()
    page.on("pageerror", lambda error: print("browser error:", error))  # noqa: T201
    return page


@contextmanager
def chromium_page(timeout_ms: int = 15_000) -> Iterator[Page]:
    """One page (see `new_page`) in a headless chromium of its own."""
    with chromium(timeout_ms) as browser:
        yield new_page(browser, timeout_ms)


def launch(playwright: Any) -> Any:
    """A headless chromium with the flags that work in containers and offline."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


class LiveServer:
    """`app` served by uvicorn on a free loopback port, in a thread with its own event loop.

    `call()` runs a coroutine on that loop: the hub's clients (Redis, locks) belong to it.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="on", ws="websockets")
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="live-server", daemon=True)
        self.failure: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.server.serve(sockets=[self.socket]))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        except BaseException as error:  # reported by start()
            self.failure = error
        finally:
            self.loop.close()

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if self.failure or not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the live server did not start: {self.failure!r}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run `coroutine` (e.g. a hub method) on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@contextmanager
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """`app` served by a started `LiveServer`, stopped when the block ends."""
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def add_agent_ann(database: Database, password: str) -> None:
    """Ann Agent (username "ann"), the agent who logs in to the console in browser tests."""
    with database.session(write=True) as db_session:
        staff_service.create(
            db_session=db_session,
            username="ann",
            display_name="Ann Agent",
            password=password,
            role=StaffRole.AGENT,
        )
