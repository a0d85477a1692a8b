"""The start page and the console login in a real browser, at desktop and phone size: readable
(styled, nothing wider than the screen) and the login keeps the username after a mistake."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer, add_agent_ann, chromium, live_server
from tests.conftest import Clock
from tests.console.conftest import PASSWORD
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.seed import DemoSummary
from ticketing.settings import Settings

pytestmark = pytest.mark.slow

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def server(
    database: Database, settings: Settings, clock: Clock, demo: DemoSummary
) -> Iterator[LiveServer]:
    add_agent_ann(database, PASSWORD)
    with live_server(create_app(settings, database=database, clock=clock)) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _page(browser: Any, size: str) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page: Page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"browser error: {error}"))
    return page


def _fits(page: Page) -> None:
    """Nothing is wider than the viewport (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


@pytest.mark.parametrize("size", SIZES)
def test_the_start_page_is_readable(
    server: LiveServer, browser: Any, demo: DemoSummary, size: str
) -> None:
    page = _page(browser, size)
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("supportbot for Demo Shop")
    for name in ("Web chat", "Agent console", "Reports", "API docs"):
        expect(page.locator(".places").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("heading", name="Try it with the demo data")).to_be_visible()
    expect(page.locator("table.logins")).to_contain_text("agent1")
    expect(page.locator('tr[data-situation="in_transit"]')).to_be_visible()
    assert page.locator("tr[data-situation]").count() == len(demo.showcase)
    # the stylesheet applied (the CSP allows it): the links are cards, not a bullet list
    style = page.locator(".places").evaluate("node => getComputedStyle(node).display")
    assert style == "grid"
    size_px = page.locator("body").evaluate("node => getComputedStyle(node).fontSize")
    assert float(size_px.removesuffix("px")) >= 14
    _fits(page)
    page.locator(".places").get_by_role("link", name="Agent console").click()
    expect(page).to_have_url(f"{server.url}/console/login?next=/console/")
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_login_keeps_the_username_after_a_wrong_password(
    server: LiveServer, browser: Any, size: str
) -> None:
    page = _page(browser, size)
    page.goto(f"{server.url}/console/login")
    expect(page.get_by_role("link", name="start page")).to_have_attribute("href", "/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.get_by_label("Username")).to_have_value("ann")
    expect(page.get_by_label("Password")).to_be_focused()
    _fits(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/console/")
    page.context.close()
