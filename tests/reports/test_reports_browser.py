"""A manager in a real browser: logs in, opens the reports, sees the numbers and the SVG charts,
and switches the grouping from days to weeks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer, chromium, new_page
from tests.conftest import Clock
from tests.reports.dataset import PASSWORD, Staff
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
    staff: Staff,  # noqa: ARG001 - seeded
) -> Iterator[LiveServer]:
    live = LiveServer(create_app(settings, database=database, clock=clock)).start()
    yield live
    live.stop()


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium(TIMEOUT_MS) as browser:
        yield new_page(browser, TIMEOUT_MS)


def test_manager_reads_the_reports(server: LiveServer, page: Page) -> None:
    page.goto(f"{server.url}/reports/")
    expect(page).to_have_url(f"{server.url}/console/login?next=/reports/")
    page.fill("input[name=username]", "mia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}/reports/")  # back where the manager wanted to go
    page.goto(f"{server.url}/reports/?from=2026-11-09&to=2026-11-22&group=day")
    conversations = page.locator('[data-metric="conversations"] .value')
    expect(conversations).to_have_text("8")
    expect(page.locator('[data-metric="csat"] .value')).to_have_text("66.7%")
    expect(page.locator('[data-metric="nps"] .value')).to_have_text("33.33")
    expect(page.locator("#unavailable")).to_have_count(0)
    expect(page.locator("svg.chart")).to_have_count(7)  # SLA breach rate included
    expect(page.locator("#series tbody tr")).to_have_count(14)
    page.select_option("#group", "week")  # the script submits the form on change
    expect(page).to_have_url(
        f"{server.url}/reports/?from=2026-11-09&to=2026-11-22&group=week&channel=&category=&agent="
        "&team="
    )
    expect(page.locator("#series tbody tr")).to_have_count(2)
    expect(page.locator("#series tbody tr").nth(1)).to_contain_text("2026-W47")
    expect(page.locator("svg.chart rect.bar").first).to_be_visible()
