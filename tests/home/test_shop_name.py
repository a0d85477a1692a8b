"""One setting names the shop (`shop_name` in the policy): the demo storefront around the web
chat and the start page use it, so they say what the bot says."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import Clock
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import REPO_ROOT, Settings

DEMO_PAGE = REPO_ROOT / "integrations" / "webchat" / "static" / "demo.html"


def _renamed(settings: Settings, tmp_path: Path, name: str) -> Settings:
    policy = Path(settings.policy_file).read_text(encoding="utf-8")
    renamed, count = re.subn(r"(?m)^shop_name: .*$", f"shop_name: '{name}'", policy)
    assert count == 1
    policy_file = tmp_path / "policy.yml"
    policy_file.write_text(renamed, encoding="utf-8")
    return settings.model_copy(update={"policy_file": policy_file})


def test_the_demo_page_names_the_shop_as_the_policy_does(client: TestClient) -> None:
    page = client.get("/chat/")
    assert page.status_code == 200
    assert "<title>Demo Shop: demo storefront</title>" in page.text
    assert "<h1>Demo Shop</h1>" in page.text
    assert "{{" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/chat/widget.js" data-supportbot-url="/" defer></script>' in page.text


def test_the_demo_page_has_no_name_of_its_own() -> None:
    html = DEMO_PAGE.read_text(encoding="utf-8")
    assert "Demo Shop" not in html and "Linen &amp; Wool" not in html
    assert html.count("{{shop_name}}") == 2


def test_renaming_the_shop_renames_the_pages(
    database: Database, settings: Settings, clock: Clock, tmp_path: Path
) -> None:
    app = create_app(_renamed(settings, tmp_path, "Linen & <Wool>"), database=database, clock=clock)
    with TestClient(app) as client:
        chat = client.get("/chat/").text
        home = client.get("/").text
        bot_policy = client.get("/api/policy", headers={"X-Api-Key": settings.api_keys()[0]})
    assert "<h1>Linen &amp; &lt;Wool&gt;</h1>" in chat and "Demo Shop" not in chat
    assert "supportbot · Linen &amp; &lt;Wool&gt;" in home and "Demo Shop" not in home
    assert bot_policy.json()["shop_name"] == "Linen & <Wool>"  # what action_session_start reads
