"""A manager in a real browser: logs in, opens the reports, sees the numbers and the SVG charts,
and switches the grouping from days to weeks; on a laptop and on a phone, reads a figure's
definition and trend arrow, and gets a form error for a From after To."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


def _log_in(server: LiveServer, page: Page) -> None:
    page.goto(f"{server.url}/reports/")
    expect(page).to_have_url(f"{server.url}/console/login?next=/reports/")
    page.fill("input[name=username]", "mia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}/reports/")  # back where the manager wanted to go


def test_manager_reads_the_reports(server: LiveServer, page: Page) -> None:
    _log_in(server, page)
    page.goto(f"{server.url}/reports/?from=2026-11-09&to=2026-11-22&group=day")
    conversations = page.locator('[data-metric="conversations"] .value')
    expect(conversations).to_have_text("8")
    expect(page.locator('[data-metric="csat"] .value')).to_have_text("66.7%")
    expect(page.locator('[data-metric="nps"] .value')).to_have_text("33.33")
    expect(page.locator("#unavailable")).to_have_count(0)
    expect(page.locator("svg.chart")).to_have_count(8)  # handoff and SLA breach rates included
    expect(page.locator("#series tbody tr")).to_have_count(14)
    page.select_option("#group", "week")  # the script submits the form on change
    expect(page).to_have_url(
        f"{server.url}/reports/?from=2026-11-09&to=2026-11-22&group=week&channel=&category=&agent="
        "&team="
    )
    expect(page.locator("#series tbody tr")).to_have_count(2)
    expect(page.locator("#series tbody tr").nth(1)).to_contain_text("16 Nov – 22 Nov")
    expect(page.locator("svg.chart rect.bar").first).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_figures_explain_themselves_and_bad_dates_get_a_form_error(
    server: LiveServer, page: Page, width: int, height: int, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("SUPPORTBOT_SCREENSHOTS", tmp_path))  # to look at them
    page.set_viewport_size({"width": width, "height": height})
    _log_in(server, page)
    page.goto(f"{server.url}/reports/?from=2026-11-16&to=2026-11-22&group=day")
    handoff = page.locator('[data-metric="handoff_rate"]')
    handoff.scroll_into_view_if_needed()
    expect(handoff.locator(".definition")).to_be_visible()
    expect(handoff.locator(".definition")).to_contain_text("handed to a person")
    arrow = handoff.locator(".trend.worse")
    expect(arrow).to_be_visible()
    expect(arrow).to_contain_text("▲")
    color = arrow.evaluate("element => getComputedStyle(element).color")
    assert color == "rgb(198, 40, 40)"  # red: a rising handoff rate is bad news
    expect(page.locator(".trend.better").first).to_be_visible()
    page.screenshot(path=shots / f"reports-{width}x{height}.png", full_page=True)

    page.fill("#from", "2026-11-25")
    page.fill("#to", "2026-11-20")
    page.click("#report-form button[type=submit]")
    error = page.locator("#error-from")
    expect(error).to_be_visible()
    expect(error).to_contain_text("after")
    expect(page.locator("#from")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#from")).to_have_value("2026-11-25")  # what was typed stays
    expect(page.locator("[data-metric]")).to_have_count(0)
    page.screenshot(path=shots / f"reports-error-{width}x{height}.png", full_page=True)
