"""/docs (Swagger UI) and /redoc render with every request off this machine blocked: their
scripts and styles come from the app (fastapi-offline), not from a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Route, expect

from tests.browser import LiveServer, chromium, live_server
from ticketing.app import DOCS_ASSETS_URL, create_app
from ticketing.db import Database
from ticketing.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost"}


class Offline:
    """A browser context that aborts every request whose host is not loopback."""

    def __init__(self, browser: Any) -> None:
        self.blocked: list[tuple[str, str]] = []  # (resource type, url)
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()

    def _route(self, route: Route) -> None:
        request = route.request
        if urlsplit(request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append((request.resource_type, request.url))
            route.abort()

    def needed(self) -> list[tuple[str, str]]:
        """Blocked requests other than images (ReDoc's footer links a logo from its site)."""
        return [(kind, url) for kind, url in self.blocked if kind != "image"]


@pytest.fixture
def server(database: Database, settings: Settings) -> Iterator[LiveServer]:
    with live_server(create_app(settings, database=database)) as live:
        yield live


@pytest.fixture
def offline() -> Iterator[Offline]:
    with chromium() as browser:
        view = Offline(browser)
        yield view
        view.context.close()


@pytest.mark.slow
def test_swagger_ui_renders_the_operations_offline(server: LiveServer, offline: Offline) -> None:
    page = offline.page
    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("supportbot ticketing API")
    expect(page.locator(".opblock").first).to_be_visible()
    paths = page.locator(".opblock-summary-path")
    expect(paths.filter(has_text="/api/policy").first).to_be_visible()
    assert paths.count() > 20
    page.locator(".opblock-summary", has_text="/api/policy").first.click()
    expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
    assert offline.needed() == []


@pytest.mark.slow
def test_redoc_renders_offline(server: LiveServer, offline: Offline) -> None:
    page = offline.page
    page.goto(f"{server.url}/redoc")
    expect(page.locator("h1").first).to_contain_text("supportbot ticketing API")
    expect(page.locator("h2", has_text="Read Policy For Bot").first).to_be_attached()
    expect(page.get_by_role("menuitem").first).to_be_visible()
    assert offline.needed() == []


def test_the_docs_pages_load_their_assets_from_the_app(client: TestClient) -> None:
    docs, redoc = client.get("/docs").text, client.get("/redoc").text
    for html in (docs, redoc):
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html
    assert f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js" in docs
    assert f"{DOCS_ASSETS_URL}/swagger-ui.css" in docs
    assert f"{DOCS_ASSETS_URL}/redoc.standalone.js" in redoc
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        asset = client.get(f"{DOCS_ASSETS_URL}/{name}")
        assert asset.status_code == 200 and len(asset.content) > 10_000, name
    assert client.get("/docs/oauth2-redirect").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "supportbot ticketing API"
