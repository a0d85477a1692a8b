"""The ticket's status control and history on the console's conversation page, in a real
browser: the agent waits on the customer, the customer writes, the ticket is open again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer, chromium, new_page
from tests.console.conftest import PASSWORD
from tests.console.test_console_browser import customer_says, log_in
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


@pytest.fixture
def live(database: Database, settings: Settings) -> Iterator[LiveServer]:
    with database.session(write=True) as db_session:
        staff_service.create(
            db_session=db_session,
            username="ann",
            display_name="Ann Agent",
            password=PASSWORD,
            role=StaffRole.AGENT,
        )
    server = LiveServer(create_app(settings, database=database)).start()
    yield server
    server.stop()


@pytest.fixture
def browser_page() -> Iterator[Page]:
    with chromium(TIMEOUT_MS) as browser:
        yield new_page(browser, TIMEOUT_MS)


def test_waiting_on_the_customer_until_they_write(live: LiveServer, browser_page: Page) -> None:
    page = browser_page
    customer_says(live, "s1", "my parcel is late")
    log_in(page, live)
    page.locator('#queue li[data-id="rest-s1"]').get_by_role("button", name="Claim").click()
    expect(page).to_have_url(f"{live.url}/console/conversations/rest-s1")

    status = page.locator("#ticket-status")
    history = page.locator("#ticket-history")
    expect(status).to_be_enabled()
    expect(status).to_have_value("open")  # claiming opened it
    expect(history.locator("li").first).to_contain_text("Ticket opened")

    with page.expect_response(lambda r: r.url.endswith("/ticket-status")) as answer:
        status.select_option("pending_customer")
    assert answer.value.status == 200
    expect(page.locator("#ticket")).to_contain_text("waiting on the customer")
    expect(history.locator('li[data-kind="status_changed"]').last).to_contain_text(
        "Status: open → waiting on the customer"
    )
    expect(history.locator('li[data-kind="status_changed"]').last).to_contain_text("ann")

    customer_says(live, "s1", "here is the tracking photo")  # the page reloads on the event
    expect(status).to_have_value("open")
    last = history.locator('li[data-kind="status_changed"]').last
    expect(last).to_contain_text("Status: waiting on the customer → open")
    expect(last).to_contain_text("customer")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Resolve").click()
    expect(status).to_be_disabled()  # a resolved ticket's status is not set by hand
    expect(status).to_have_value("resolved")
