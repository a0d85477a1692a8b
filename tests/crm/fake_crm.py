"""A CRM webhook receiver on loopback: checks every signature (and its timestamp's age, on the
clock it is given), records what it accepted, and can be told to answer 500, to hang past the
client's timeout, or to be down (port closed)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from integrations.crm.signing import verify

SECRET = "crm-test-secret-0123456789"


@dataclass
class Received:
    body: dict[str, Any]
    headers: dict[str, str]
    signature_ok: bool


class FakeCrm:
    def __init__(
        self,
        secret: str = SECRET,
        port: int = 0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.secret = secret
        self.clock = clock
        self.mode = "ok"  # ok | error | hang
        self.hang_seconds = 3.0
        self.delay = 0.0
        self.lock = threading.Lock()
        self.requests: list[Received] = []  # every request, whatever the answer
        self.accepted: list[Received] = []  # answered 2xx
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/supportbot"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def accepted_ids(self) -> list[str]:
        with self.lock:
            return [r.body["id"] for r in self.accepted]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                signature = self.headers.get("X-Supportbot-Signature", "")
                timestamp = self.headers.get("X-Supportbot-Timestamp", "")
                received = Received(
                    body=json.loads(raw),
                    headers=dict(self.headers.items()),
                    signature_ok=verify(raw, fake.secret, signature, timestamp, now=fake.clock()),
                )
                with fake.lock:
                    fake.requests.append(received)
                    mode = fake.mode
                if mode == "hang":
                    time.sleep(fake.hang_seconds)
                    return
                time.sleep(fake.delay)
                if mode == "error" or not received.signature_ok:
                    self._answer(500 if mode == "error" else 401)
                    return
                with fake.lock:
                    fake.accepted.append(received)
                self._answer(204)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Down: the port no longer accepts connections."""
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_fake_crm(
    port: int = 0, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Iterator[FakeCrm]:
    """A fake CRM; pass the port of a stopped one to bring "the same CRM" back up."""
    fake = FakeCrm(port=port, clock=clock)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
