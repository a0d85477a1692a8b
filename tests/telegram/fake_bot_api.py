"""A fake Telegram Bot API on loopback: answers what python-telegram-bot calls, records every
call, and serves queued updates to getUpdates. No real network."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from tests.telegram.loopback import serve

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Shop",
    "username": "shop_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
LONG_POLL_SECONDS = 0.5


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None

    def json(self, name: str) -> Any:
        """A parameter PTB sent JSON-encoded (reply_markup, allowed_updates...)."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class FakeBotApi:
    """State of the fake; `url` is set while it serves."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    # Bumped by `reset()`: a long poll left over from an earlier test (its client gone) must
    # not confirm, and so delete, the updates queued for the next test.
    generation: int = 0
    failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    def of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def texts_to(self, chat_id: int) -> list[str]:
        """Texts (and photo captions) sent to a chat, in order."""
        sent = self.of("sendMessage") + self.of("sendPhoto")
        sent.sort(key=self.calls.index)
        return [
            str(c.params.get("text") or c.params.get("caption") or "")
            for c in sent
            if c.params.get("chat_id") == str(chat_id)
        ]

    def reset(self) -> None:
        """Forget every call, update and failure (a new test starts)."""
        with self.lock:
            self.calls.clear()
            self.updates.clear()
            self.failures.clear()
            self.generation += 1

    def queue_update(self, update: dict[str, Any]) -> None:
        with self.lock:
            self.updates.append(update)

    def fail(self, method: str, code: int = 400, description: str = "Bad Request: test") -> None:
        """Make every later call of `method` fail as Telegram would."""
        self.failures[method] = (code, description)

    def wait_for(self, method: str, count: int = 1, seconds: float = 10) -> list[Call]:
        deadline = time.monotonic() + seconds
        while len(self.of(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} was called {len(self.of(method))} times")
            time.sleep(0.02)
        return self.of(method)

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            **content,
        }

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            return self._message(params, text=params.get("text", ""))
        if method == "sendPhoto":
            photo = [{"file_id": "sent-photo", "file_unique_id": "u1", "width": 1, "height": 1}]
            return self._message(params, photo=photo, caption=params.get("caption"))
        if method == "getFile":
            file_id = params["file_id"]
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": 3,
                "file_path": f"photos/{file_id}.jpg",
            }
        if method == "getUpdates":
            return self._pending(params)
        if method in {
            "answerCallbackQuery",
            "editMessageReplyMarkup",
            "setWebhook",
            "deleteWebhook",
            "sendChatAction",
        }:
            return True
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        raise LookupError(method)

    def _pending(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), LONG_POLL_SECONDS)
        deadline = time.monotonic() + wait
        with self.lock:
            generation = self.generation
        while True:
            with self.lock:
                if self.generation != generation:
                    return []
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if self.updates or time.monotonic() >= deadline:
                    return list(self.updates)
            time.sleep(0.02)


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": code, "description": description}, status_code=code
    )


def build_app(api: FakeBotApi) -> FastAPI:
    app = FastAPI()

    @app.post("/bot{token}/{method}")
    async def bot_method(token: str, method: str, request: Request) -> JSONResponse:
        """PTB posts form fields (multipart when it uploads a file)."""
        if token != TOKEN:
            return _error(401, "Unauthorized")
        form = await request.form()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        call = Call(method, params)
        with api.lock:
            api.calls.append(call)
        if method in api.failures:
            return _error(*api.failures[method])
        try:
            call.result = await run_in_threadpool(api.answer, method, params)
        except LookupError:
            return _error(404, "Not Found")
        return JSONResponse({"ok": True, "result": call.result})

    return app


@contextmanager
def fake_bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    with serve(build_app(api)) as url:
        api.url = url
        yield api
