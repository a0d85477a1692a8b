"""What the widget's browser tests do as a customer: open the chat, type, read it back."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from integrations.webchat import tokens

# Counts the widget's sockets and, while `hold` is set, points new ones at a path that refuses
# them: the reconnect test decides when the server is reachable again.
SOCKET_SPY = """
window.__sockets = { hold: false, all: [] };
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(url, protocols) {
    const target = new URL(url);
    if (window.__sockets.hold) target.pathname = "/chat/ws-refused";
    super(target, protocols);
    window.__sockets.all.push(this);
  }
};
"""


def open_chat(page: Page) -> None:
    page.get_by_role("button", name="Open the chat").click()
    expect(page.get_by_role("dialog", name="Customer service chat")).to_be_visible()


def say(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def conversation_id(page: Page) -> str:
    saved = page.evaluate("() => Object.entries(localStorage)")
    [token] = [json.loads(value)["token"] for key, value in saved if key.startswith("supportbot:")]
    return tokens.conversation_id(token)


def texts(page: Page) -> list[str]:
    return page.locator(".message .text").all_inner_texts()
