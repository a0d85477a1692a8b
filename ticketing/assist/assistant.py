"""The assist state of one app: the model, the past-reply index and the policy answers. The
model loads and the index builds on one background worker, so a console request never waits
for them: until they are ready, `suggest` answers None ("loading") at once."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from ticketing.assist.embedder import Embedder, MiniLM
from ticketing.assist.policy_answers import PolicyAnswers
from ticketing.assist.reply_index import ReplyIndex
from ticketing.assist.suggest import Suggestion, suggest
from ticketing.db import Database

log = logging.getLogger(__name__)

Status = Literal["idle", "loading", "ready", "unavailable"]
REFRESH_SECONDS = 30.0  # how stale the past replies may get (a refresh lists ids only)


class Assistant:
    def __init__(
        self,
        database: Database,
        *,
        load_embedder: Callable[[], Embedder] = MiniLM.load,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._database = database
        self._load_embedder = load_embedder
        self._refresh_seconds = refresh_seconds
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assist")
        self._lock = threading.Lock()
        self._status: Status = "idle"
        self._embedder: Embedder | None = None
        self._index: ReplyIndex | None = None
        self._policy: tuple[str, PolicyAnswers] | None = None
        self._refreshing: Future[None] | None = None
        self._refreshed_at = 0.0

    @property
    def status(self) -> Status:
        return self._status

    def start(self) -> Future[None] | None:
        """Load the model and build the index in the background (once); the job, if started."""
        with self._lock:
            if self._status != "idle":
                return None
            self._status = "loading"
            return self._worker.submit(self._load)

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            embedder = self._load_embedder()
            index = ReplyIndex(embedder)
            with self._database.session() as db_session:
                index.refresh(db_session)
        except Exception:
            log.exception("agent assist: loading the model or the past replies failed")
            self._status = "unavailable"
            return
        self._embedder, self._index = embedder, index
        self._refreshed_at = time.monotonic()
        self._status = "ready"
        seconds = time.perf_counter() - started
        log.info("agent assist ready: %d past replies in %.1f s", len(index), seconds)

    def _refresh(self) -> None:
        if self._index is None:
            return
        try:
            with self._database.session() as db_session:
                added = self._index.refresh(db_session)
            if added:
                log.info("agent assist: %d resolved conversations read", added)
        except Exception:
            log.exception("agent assist: refreshing the past replies failed")
        finally:
            self._refreshed_at = time.monotonic()

    def refresh_soon(self) -> Future[None] | None:
        """Read new resolved conversations in the background unless that was done recently."""
        with self._lock:
            if self._status != "ready" or (self._refreshing and not self._refreshing.done()):
                return None
            if time.monotonic() - self._refreshed_at < self._refresh_seconds:
                return None
            self._refreshing = self._worker.submit(self._refresh)
            return self._refreshing

    def _policy_answers(self, policy: dict[str, Any], embedder: Embedder) -> PolicyAnswers:
        key = json.dumps(policy, sort_keys=True, default=str)
        cached = self._policy
        if cached is None or cached[0] != key:
            cached = (key, PolicyAnswers(policy, embedder))
            self._policy = cached
        return cached[1]

    def suggest(self, message: str, policy: dict[str, Any]) -> list[Suggestion] | None:
        """Suggestions for `message`; None while the model or the index is still loading."""
        self.start()
        embedder, index = self._embedder, self._index
        if self._status != "ready" or embedder is None:
            return None
        self.refresh_soon()
        return suggest(
            message,
            embedder=embedder,
            replies=index,
            policy=self._policy_answers(policy, embedder),
        )

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
