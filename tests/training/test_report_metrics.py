"""The training figures of the reports page: inbox size, labels per week and the fallback rate
per period, each compared with a count of the raw rows made here."""

from __future__ import annotations

from tests.console.conftest import PASSWORD, cookie_login
from tests.training.conftest import MANAGER

RANGE = {"from": "2026-06-15", "to": "2026-06-28", "group": "week"}  # two Monday-Sunday weeks


def test_inbox_size_labels_per_week_and_fallback_rate(inbox, client):
    # week 1: 4 customer messages, 2 not understood (one of them reported twice)
    a = inbox.conversation("m-a", "hello there")
    first = inbox.reported(a, "blorp one")
    b = inbox.conversation("m-b", "hi")
    inbox.customer_writes("m-b", "taxi please")
    inbox.customer_writes("m-b", "thanks")
    second = inbox.reported(b, "taxi please", reason="out_of_scope")
    inbox.reported(b, "taxi please", reason="handoff")  # the same message: no second miss
    assert inbox.label([first], intent="order_status").status_code == 201
    undone = inbox.label([second], "skip").json()["batch"]
    assert inbox.post(MANAGER, "/training/undo", {"batch": undone}).status_code == 200
    # week 2: 2 customer messages, 1 not understood; one label, one skip
    inbox.clock.advance(days=7)
    inbox._tokens.clear()
    c = inbox.conversation("m-c", "zzz what")
    inbox.customer_writes("m-c", "ok bye")
    third = inbox.reported(c, "zzz what")
    assert inbox.label([second], "out_of_scope").status_code == 201
    assert inbox.label([third], "skip").status_code == 201
    fourth = inbox.reported(c, "ok bye", reason="clarification_rejected")  # not a miss

    answer = client.get("/api/reports/training", params=RANGE, headers=inbox.headers(MANAGER))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["inbox_size"] == 1 and fourth
    assert [(w["week"], w["labelled"], w["skipped"]) for w in body["labelled_per_week"]] == [
        ("2026-W25", 1, 0),
        ("2026-W26", 1, 1),
    ]
    assert [
        (row["fallbacks"], row["customer_messages"], row["fallback_rate"])
        for row in body["fallback_rate"]
    ] == [(2, 4, 0.5), (1, 2, 0.5)]
    assert "customer messages" in body["definitions"]["fallback_rate"]
    assert (
        client.get("/api/reports/training", params=RANGE, headers=inbox.headers("arno")).status_code
        == 403
    )

    cookie_login(client, MANAGER, PASSWORD)
    page = client.get("/reports/", params=RANGE)
    assert page.status_code == 200
    assert 'id="training-card"' in page.text
    assert '<b id="inbox-size">1</b>' in page.text
    assert 'data-chart="fallback_rate"' in page.text and "50.0%" in page.text
    help_page = client.get("/reports/help").text
    assert "Customer messages the bot did not understand / customer messages" in help_page
