"""The first task the bot recognised in a conversation, read from Rasa's SQL tracker store
(the `events` table, `sender_id` = the hub's conversation id): the first customer message whose
intent is a contact reason, or the first time the bot set its `task` slot (an order number
given alone is an order-status request). Rasa's REST answer carries no intent, so this is where
the hub learns it.

The store is the one `SUPPORTBOT_RASA_TRACKER_DB` names (`supportbot run` sets it; a path or a
database URL). Unset, or not created yet: no task is found and the reason comes from the
handoff instead. A store that fails is logged once and read again later: the customer's
message never waits on it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

from ticketing.conversations.contact_reason import CATEGORY_REASONS, as_reason
from ticketing.settings import normalise_database_url

log = logging.getLogger(__name__)

ENV = "SUPPORTBOT_RASA_TRACKER_DB"
TASK_SLOT = "task"
MAX_EVENTS = 400  # a task comes in the first turns; a long chat without one stops here

_EVENTS = text(
    "SELECT type_name, intent_name, data FROM events "
    "WHERE sender_id = :sender AND type_name IN ('user', 'slot') ORDER BY id LIMIT :most"
)


def _task_of(type_name: str, intent: str | None, data: Any) -> str | None:
    if type_name == "user":
        found = as_reason(intent)
    else:
        try:
            event = json.loads(data) if isinstance(data, str | bytes) else data
        except ValueError:
            return None
        if not isinstance(event, dict) or event.get("name") != TASK_SLOT:
            return None
        value = event.get("value")
        found = as_reason(value if isinstance(value, str) else None)
    return None if found in CATEGORY_REASONS else found


class RecognisedTasks:
    """Reads the tracker store at `where` (None: `SUPPORTBOT_RASA_TRACKER_DB`, unset: never)."""

    def __init__(self, where: str | None = None) -> None:
        self.where = where if where is not None else os.environ.get(ENV, "")
        self.engine: Engine | None = None
        self.warned = False

    def _engine(self) -> Engine | None:
        if self.engine is None and self.where:
            if "://" in self.where:
                self.engine = create_engine(normalise_database_url(self.where))
            elif Path(self.where).is_file():  # Rasa creates it on its first message
                self.engine = create_engine(f"sqlite:///{self.where}")
        return self.engine

    def first_task(self, conversation_id: str) -> str | None:
        """The first task recognised in the conversation, or None (none yet, or no store)."""
        engine = self._engine()
        if engine is None:
            return None
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    _EVENTS, {"sender": conversation_id, "most": MAX_EVENTS}
                ).all()
        except Exception as error:  # noqa: BLE001 - any driver error: the reason can wait
            if not self.warned:
                log.warning("cannot read the Rasa tracker store for contact reasons: %s", error)
                self.warned = True
            return None
        for type_name, intent, data in rows:
            task = _task_of(str(type_name), intent, data)
            if task is not None:
                return task
        return None

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
