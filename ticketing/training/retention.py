"""How long an unlabelled message may wait in the training inbox: `SUPPORTBOT_TRAINING_INBOX_
RETENTION_DAYS` (default 90). Older ones are deleted by a pass beside the web app every
`training_retention_check_seconds` (and by `supportbot training purge`). Labelled examples are
training data and stay until the person's data is erased; a skipped message counts as
unlabelled (it holds nothing to learn)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.periodic import Periodic
from ticketing.training.models import Decision, InboxItem, TrainingLabel

log = logging.getLogger(__name__)


def purge_expired(db_session: Session, *, now: datetime, days: int) -> int:
    """Delete the unlabelled (and skipped) items older than `days`; how many."""
    labelled = select(TrainingLabel.item_id).where(TrainingLabel.decision != Decision.SKIP)
    expired = select(InboxItem.id).where(
        InboxItem.created_at < now - timedelta(days=days),
        InboxItem.id.not_in(labelled),
    )
    ids = list(db_session.scalars(expired))
    if not ids:
        return 0
    db_session.execute(delete(TrainingLabel).where(TrainingLabel.item_id.in_(ids)))
    db_session.execute(delete(InboxItem).where(InboxItem.id.in_(ids)))
    return len(ids)


class RetentionRunner(Periodic):
    """Applies the retention every `interval` seconds (never when it is 0)."""

    name = "training-retention"

    def __init__(
        self, database: Database, clock: Callable[[], datetime], *, days: int, interval: float
    ) -> None:
        super().__init__(interval)
        self.database = database
        self.clock = clock
        self.days = days

    def run_once(self) -> int:
        with self.database.session(write=True) as db_session:
            return purge_expired(db_session, now=self.clock(), days=self.days)

    async def round(self) -> None:
        removed = await asyncio.to_thread(self.run_once)
        if removed:
            log.info("training inbox: %d unlabelled messages past retention removed", removed)
