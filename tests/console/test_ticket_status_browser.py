"""The ticket's status control and history on the console's conversation page, in a real
browser: the agent waits on the customer, the customer writes, the ticket is open again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer
from tests.console.conftest import ann_chose_away
from tests.console.test_console_browser import customer_says, log_in
from tests.hub.helpers import rest_id
from ticketing.db import Database

pytestmark = pytest.mark.slow


def test_waiting_on_the_customer_until_they_write(
    server: LiveServer, page: Page, database: Database
) -> None:
    ann_chose_away(database)  # the conversation waits in the queue for her to claim it
    customer_says(server, "s1", "my parcel is late")
    log_in(page, server)
    page.locator(f'#queue li[data-id="{rest_id("s1")}"]').get_by_role(
        "button", name="Claim"
    ).click()
    expect(page).to_have_url(f"{server.url}/console/conversations/{rest_id('s1')}")

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

    customer_says(server, "s1", "here is the tracking photo")  # the page reloads on the event
    expect(status).to_have_value("open")
    last = history.locator('li[data-kind="status_changed"]').last
    expect(last).to_contain_text("Status: waiting on the customer → open")
    expect(last).to_contain_text("customer")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Resolve").click()
    expect(status).to_be_disabled()  # a resolved ticket's status is not set by hand
    expect(status).to_have_value("resolved")
