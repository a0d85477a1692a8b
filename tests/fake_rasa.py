"""A stand-in for Rasa's REST channel on loopback, for tests of whatever talks to Rasa.

It answers `POST /webhooks/rest/webhook` with scripted replies, records what it was sent, and
can be told to fail (HTTP 500, an empty answer, something that is not JSON) or to be slow.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Script = Callable[[str, str], list[dict[str, Any]]]


def echo(sender: str, message: str) -> list[dict[str, Any]]:
    """Two replies, the second with buttons: enough to see every reply relayed in order."""
    return [
        {"recipient_id": sender, "text": f"You said: {message}"},
        {
            "recipient_id": sender,
            "text": "Anything else?",
            "buttons": [
                {"title": "Yes", "payload": "/affirm"},
                {"title": "No", "payload": "/deny"},
            ],
        },
    ]


class _Server(ThreadingHTTPServer):
    # Every request is a new connection (HTTP/1.0); the default backlog of 5 can fill while a
    # busy machine schedules the accepting thread late, and a dropped SYN is retried after 1, 3,
    # 7 s: that showed up as a ConnectTimeout in the hub's ordering test.
    request_queue_size = 128


class FakeRasa:
    def __init__(self, script: Script = echo, port: int = 0) -> None:
        self.script = script
        self.mode = "ok"  # ok | error | empty | garbage
        self.delay = 0.0
        self.received: list[dict[str, Any]] = []  # the request bodies, in order
        self.gets: list[str] = []  # the paths asked with GET, in order
        self.lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.most_at_once: dict[str, int] = {}
        self.server = _Server(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def messages_from(self, sender: str) -> list[str]:
        with self.lock:
            return [str(body["message"]) for body in self.received if body["sender"] == sender]

    def messages(self) -> list[str]:
        """Every message received, from anyone."""
        with self.lock:
            return [str(body["message"]) for body in self.received]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                """Rasa's greeting at `/`, and the action server's `/health`, for probes;
                Rasa's API (`/status`...) wants a token this fake never gets: 401, as Rasa."""
                with fake.lock:
                    fake.gets.append(self.path)
                if self.path.startswith("/status"):
                    self._send(401, b'{"message": "User is not authenticated."}')
                elif self.path == "/":
                    self._send(200, b"Hello from Rasa: 3.6 (fake)")
                elif self.path == "/health":
                    self._send(200, b'{"status": "ok"}')
                else:
                    self._send(404, b'{"error": "not found"}')

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length))
                sender = body["sender"]
                with fake.lock:
                    fake.received.append(body)
                    fake.active[sender] = fake.active.get(sender, 0) + 1
                    fake.most_at_once[sender] = max(
                        fake.most_at_once.get(sender, 0), fake.active[sender]
                    )
                try:
                    self._answer(body)
                finally:
                    with fake.lock:
                        fake.active[sender] -= 1

            def _answer(self, body: dict[str, Any]) -> None:
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.mode == "error":
                    self._send(500, b'{"error": "boom"}')
                elif fake.mode == "empty":
                    self._send(200, b"[]")
                elif fake.mode == "garbage":
                    self._send(200, b"<html>not json</html>")
                else:
                    replies = [
                        {"recipient_id": body["sender"], **reply}
                        for reply in fake.script(body["sender"], body["message"])
                    ]
                    self._send(200, json.dumps(replies).encode())

            def _send(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_fake_rasa(script: Script = echo) -> Iterator[FakeRasa]:
    fake = FakeRasa(script)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
