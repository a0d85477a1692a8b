"""A manager in a real browser, on a laptop (1280x800) and a phone (390x844): the customers at
risk are listed with why and a link to their history, the rates are line charts with their
axes, values and date labels, and nothing makes the page scroll sideways."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer, chromium, new_page
from tests.conftest import Clock
from tests.reports.at_risk_data import People
from tests.reports.dataset import PASSWORD
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


@pytest.fixture
def server(
    database: Database,
    settings: Settings,
    clock: Clock,
    people: People,  # noqa: ARG001 - seeded with the report dataset
) -> Iterator[LiveServer]:
    live = LiveServer(create_app(settings, database=database, clock=clock)).start()
    yield live
    live.stop()


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium(TIMEOUT_MS) as browser:
        yield new_page(browser, TIMEOUT_MS)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_at_risk_table_and_line_charts(
    server: LiveServer, page: Page, width: int, height: int, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("SUPPORTBOT_SCREENSHOTS", tmp_path))  # to look at them
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/reports/")
    page.fill("input[name=username]", "mia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{server.url}/reports/?from=2026-11-16&to=2026-11-22&group=day")

    rows = page.locator("#at-risk tbody tr")
    expect(rows).to_have_count(3)
    first = rows.first
    first.scroll_into_view_if_needed()
    expect(first).to_be_visible()
    expect(first).to_contain_text("Rita Rated")
    expect(first).to_contain_text("r***@example.org")
    expect(first).to_contain_text("Rated 1 of 5; reopened a conversation")
    link = first.get_by_role("link", name="Rita Rated's history in the console")
    expect(link).to_have_attribute("href", "/console/conversations/R2#customer-history")

    chart = page.locator('[data-chart="csat"] svg.line-chart')
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    expect(chart.locator("polyline.line").first).to_be_visible()
    expect(chart.locator("text.axis-title")).to_have_text(["% of ratings", "Day"])
    expect(chart.locator("text.point-value").first).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= width
    ticks = chart.locator("text.tick").all_text_contents()
    assert ticks[:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert ticks[5:] == ["16 Nov", "18 Nov", "20 Nov", "22 Nov"]  # 7 days: every other one
    expect(page.locator("svg.line-chart")).to_have_count(4)
    # a readable size: the value labels are at least 9 px high on the screen
    label = chart.locator("text.point-value").first.bounding_box()
    assert label is not None and label["height"] >= 9, label
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page scrolls sideways: {wide} > {width}"
    page.screenshot(path=shots / f"reports-at-risk-{width}x{height}.png", full_page=True)
