"""The page explains itself: a definition under every figure (the JSON's text), a help page,
trend arrows coloured by whether the move is good for that metric, "previous" shown the same
way everywhere, labels instead of codes, and a note where a filter does not apply."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from tests.console.conftest import cookie_login
from tests.reports.conftest import bearer
from tests.reports.dataset import PASSWORD, Staff
from ticketing.reports.formatting import HEADLINES

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def _cards(html: str) -> dict[str, str]:
    parts = re.findall(r'<div class="metric" data-metric="(\w+)">(.*?)</div>', html)
    return dict(parts)


def _page(client: TestClient, **params: str) -> str:
    cookie_login(client, "mia", PASSWORD)
    page = client.get("/reports/", params={**WEEK, **params})
    assert page.status_code == 200
    return page.text


def test_every_figure_has_the_definition_the_api_serves(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    definitions = client.get(
        "/api/reports/summary", params=WEEK, headers=bearer(client, "mia")
    ).json()["definitions"]
    cards = _cards(_page(client))
    assert list(cards) == [key for key, _, _ in HEADLINES]
    for key, card in cards.items():
        found = re.search(r'<span class="definition">(.*?) <a href="/reports/help#(\w+)"', card)
        assert found is not None, key
        line, anchor = unescape(found.group(1)), found.group(2)
        assert anchor == key
        assert len(line) > 20
        assert any(text.startswith(line) for text in definitions.values()), (key, line)
    assert "handoff" in unescape(cards["handoff_rate"]).lower()
    assert "4 or 5" in unescape(cards["csat"])


def test_help_page_explains_the_report(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    definitions = client.get(
        "/api/reports/summary", params=WEEK, headers=bearer(client, "mia")
    ).json()["definitions"]
    assert client.get("/reports/help", follow_redirects=False).status_code == 303
    html = _page(client)
    assert 'href="/reports/help"' in html
    page = client.get("/reports/help")
    assert page.status_code == 200
    text = unescape(page.text)
    for key in ("containment_rate", "handoff_rate", "csat", "backlog", "sla_breach_rate", "nps"):
        assert definitions[key] in text
        assert f'id="{key}"' in page.text  # the card's "More" link lands on it
    assert "need not add up to 100%" in text
    assert "Green" in text and "previous: no data" in text


def test_trend_arrows_say_better_or_worse_for_that_metric(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    cards = _cards(_page(client))

    def trend(key: str) -> tuple[str, str] | None:
        found = re.search(r'<span class="trend (\w+)" data-trend="(\w+)"', cards[key])
        return (found.group(1), found.group(2)) if found else None

    assert trend("handoff_rate") == ("worse", "up")  # 66.7% after 50%: bad news
    assert trend("containment_rate") == ("worse", "down")  # 16.7% after 50%
    assert trend("response_rate") == ("better", "up")  # 75% after 0%
    assert trend("frt_median_seconds") == ("worse", "up")  # 1 h after 30 min
    assert trend("conversations") == ("neutral", "up")  # 6 after 2: neither good nor bad
    assert trend("sla_breach_rate") == ("neutral", "same")
    assert trend("csat") is None  # no ratings the week before: nothing to compare
    assert "+16.7 pts" in cards["handoff_rate"]
    assert "up against the previous period, worse" in cards["handoff_rate"]  # for screen readers
    assert 'class="sr-only"' in cards["handoff_rate"]


def test_previous_is_shown_the_same_way_everywhere(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    cards = _cards(_page(client))
    previous = {
        key: re.findall(r'<small class="previous">([^<]*)</small>', c) for key, c in cards.items()
    }
    assert previous["csat"] == ["previous: no data"]
    assert previous["nps"] == ["previous: no data"]
    assert previous["response_rate"] == ["previous: 0.0%"]  # surveys sent, none answered
    assert previous["backlog"] == ["previous: 0"]
    assert all(len(found) == 1 and found[0].startswith("previous: ") for found in previous.values())
    assert all("–" not in found[0] for found in previous.values())


def test_labels_instead_of_codes(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    html = _page(client, group="week", **{"from": "2026-11-12"})
    assert '<option value="after_sales">After-sales</option>' in html
    assert '<option value="product_quality">Product quality</option>' in html
    assert '<option value="web">Web chat</option>' in html
    reasons = html.split('id="reasons"')[1].split("</table>")[0]
    assert "Where is my order" in reasons and "After-sales" in reasons
    assert "where_is_my_order" not in reasons and "after_sales" not in reasons
    series = html.split('id="series"')[1].split("</table>")[0]
    assert "12 Nov – 15 Nov (partial week, 4 days)" in series
    assert "16 Nov – 22 Nov" in series
    assert "W47" not in html


def test_order_figures_say_when_a_filter_does_not_apply(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    unfiltered = _cards(_page(client))
    assert "Filters do not apply" not in unfiltered["refund_rate"]
    cards = _cards(_page(client, channel="telegram"))
    assert "Filters do not apply" in cards["refund_rate"]
    assert "Filters do not apply" in cards["return_rate"]
    assert "Filters do not apply" not in cards["csat"]
