"""Reading the inbox and labelling it: label a cluster or one message, undo a label."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ticketing.audit import service as audit_service
from ticketing.conversations.contact_reason import Source
from ticketing.conversations.models import Conversation
from ticketing.errors import ConflictError, InvalidInputError, NotFoundError
from ticketing.training.intents import OUT_OF_SCOPE_INTENT, label_choices
from ticketing.training.models import Decision, InboxItem, TrainingLabel

LABELLED_ACTION = "training.labelled"
UNDONE_ACTION = "training.label_undone"
AUDIT_ENTITY = "training_label_batch"
# A person's contact reason: an agent's correction, or the category of the ticket they handled.
PERSON_SOURCES = (Source.AGENT.value, Source.TICKET.value)


def list_pending(db_session: Session) -> list[InboxItem]:
    """Every item nobody has labelled yet, oldest first."""
    query = (
        select(InboxItem)
        .outerjoin(TrainingLabel, TrainingLabel.item_id == InboxItem.id)
        .where(TrainingLabel.id.is_(None))
        .order_by(InboxItem.created_at, InboxItem.id)
    )
    return list(db_session.scalars(query))


def count_pending(db_session: Session) -> int:
    query = (
        select(func.count(InboxItem.id))
        .outerjoin(TrainingLabel, TrainingLabel.item_id == InboxItem.id)
        .where(TrainingLabel.id.is_(None))
    )
    return int(db_session.scalar(query) or 0)


def contact_reasons(db_session: Session, conversation_ids: Sequence[str]) -> dict[str, str]:
    """The contact reason a person gave each conversation (none when only the bot did)."""
    if not conversation_ids:
        return {}
    rows = db_session.execute(
        select(Conversation.id, Conversation.contact_reason).where(
            Conversation.id.in_(sorted(set(conversation_ids))),
            Conversation.contact_reason_source.in_(PERSON_SOURCES),
        )
    )
    return {cid: reason for cid, reason in rows if reason}


def _checked_intent(decision: Decision, intent: str | None) -> str | None:
    if decision == Decision.OUT_OF_SCOPE:
        return OUT_OF_SCOPE_INTENT
    if decision == Decision.SKIP:
        return None
    if not intent:
        raise InvalidInputError(
            "Pick the intent the message meant (or mark it out of scope, or skip it).",
            code="intent_required",
        )
    if intent not in label_choices():
        raise InvalidInputError(
            f"{intent[:60]!r} is not an intent of the assistant: pick one from the list "
            "(domain.yml's intents).",
            code="unknown_intent",
        )
    return intent


def label(
    db_session: Session,
    *,
    item_ids: Sequence[int],
    decision: Decision,
    intent: str | None,
    actor: str,
    now: datetime,
) -> tuple[str, list[TrainingLabel]]:
    """Label every item of `item_ids` the same way, as one batch (one undo takes it back).
    All or nothing: an unknown or already labelled item refuses the whole batch."""
    checked = _checked_intent(decision, intent)
    wanted = sorted(set(item_ids))
    items = list(
        db_session.scalars(
            select(InboxItem)
            .where(InboxItem.id.in_(wanted))
            .options(selectinload(InboxItem.label))
            .order_by(InboxItem.id)
            .with_for_update()
        )
    )
    missing = sorted(set(wanted) - {item.id for item in items})
    if missing:
        shown = ", ".join(map(str, missing[:10]))
        raise NotFoundError(
            f"No inbox item {shown}: it was removed (erasure or retention); reload the page.",
            code="inbox_item_not_found",
        )
    done = [item.id for item in items if item.label is not None]
    if done:
        shown = ", ".join(map(str, done[:10]))
        raise ConflictError(
            f"Item {shown} is already labelled: undo that label first to change it.",
            code="already_labelled",
        )
    batch = uuid.uuid4().hex
    labels = [
        TrainingLabel(
            item_id=item.id,
            conversation_id=item.conversation_id,
            decision=decision,
            intent=checked,
            text=item.text,
            batch=batch,
            labelled_by=actor,
            labelled_at=now,
        )
        for item in items
    ]
    db_session.add_all(labels)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action=LABELLED_ACTION,
        entity_type=AUDIT_ENTITY,
        entity_id=batch,
        changes={"decision": decision.value, "intent": checked, "items": wanted},
    )
    db_session.flush()
    return batch, labels


def undo(db_session: Session, *, batch: str, actor: str) -> int:
    """Take a batch of labels back: its items wait in the inbox again. How many."""
    labels = list(db_session.scalars(select(TrainingLabel).where(TrainingLabel.batch == batch)))
    if not labels:
        raise NotFoundError(
            "There is no such label (already undone, or its messages were erased).",
            code="label_not_found",
        )
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action=UNDONE_ACTION,
        entity_type=AUDIT_ENTITY,
        entity_id=batch,
        changes={"items": sorted(label.item_id for label in labels)},
    )
    for row in labels:
        db_session.delete(row)
    db_session.flush()
    return len(labels)


def recent_batches(db_session: Session, *, limit: int = 20) -> list[list[TrainingLabel]]:
    """The latest label batches, newest first (what the page offers to undo)."""
    newest = (
        select(TrainingLabel.batch, func.max(TrainingLabel.id).label("last"))
        .group_by(TrainingLabel.batch)
        .order_by(func.max(TrainingLabel.id).desc())
        .limit(limit)
    )
    batches = [row.batch for row in db_session.execute(newest)]
    if not batches:
        return []
    rows = db_session.scalars(
        select(TrainingLabel).where(TrainingLabel.batch.in_(batches)).order_by(TrainingLabel.id)
    )
    by_batch: dict[str, list[TrainingLabel]] = {batch: [] for batch in batches}
    for row in rows:
        by_batch[row.batch].append(row)
    return [by_batch[batch] for batch in batches]


def examples(db_session: Session) -> list[TrainingLabel]:
    """Every label that is a training example (intent or out of scope; skips are not)."""
    query = select(TrainingLabel).where(TrainingLabel.decision != Decision.SKIP)
    return list(db_session.scalars(query.order_by(TrainingLabel.id)))
