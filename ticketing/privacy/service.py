"""A person's export and erasure as admin operations: found, done in one transaction, audited.

The audit entries (`privacy.exported`, `privacy.erased`) record who, when, why, how it was
asked (`email`, `phone`, ...) and how many records; never the data itself.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ticketing.audit import service as audit_service
from ticketing.db import Database
from ticketing.privacy import digests, erasure, export, verification
from ticketing.privacy.lookup import Selector, Subject, find_subject
from ticketing.privacy.scope import Scope, gather
from ticketing.privacy.tracker_store import TrackerStore
from ticketing.security.rate_limit import FailureCounter

EXPORTED_ACTION = "privacy.exported"


@dataclass
class Tools:
    """What lives outside the database: the failure counters and Rasa's tracker store (None
    when there is none to reach; the note says why)."""

    counter: FailureCounter | None = None
    counter_note: str = ""
    tracker: TrackerStore | None = None
    tracker_note: str = ""


@dataclass
class ExportOutcome:
    subject: str
    counts: dict[str, int]
    notes: list[str]


@dataclass
class ErasureOutcome:
    subject: str
    erasure: erasure.Erasure
    dry_run: bool
    audit_entry_id: int | None
    notes: list[str]


class PartialErasureError(RuntimeError):
    """The database is erased but Rasa's tracker store could not be cleaned."""


def _entity(scope: Scope) -> tuple[str, str]:
    if scope.customer is not None:
        return "customer", str(scope.customer.id)
    return "conversation", scope.conversations[0].id


def _identifier_digests(scope: Scope, secret: str) -> list[str]:
    customer = scope.customer
    chats = [(c.channel, c.external_id) for c in scope.conversations]
    found = digests.of_identifiers(
        email=customer.email if customer else None,
        phone=customer.phone if customer else None,
        chats=chats,
        secret=secret,
    )
    # an address left for a reply by email names the person too (asked for again: "erased")
    left = {c.followup_email for c in scope.conversations if c.followup_email}
    return sorted({*found, *(digests.email_digest(email, secret) for email in left)})


def export_person(
    *,
    database: Database,
    selector: Selector,
    actor: str,
    reason: str | None,
    secret: str,
    now: datetime,
    tools: Tools,
    write: Callable[[dict[str, Any]], None],
) -> ExportOutcome:
    """Build the person's export, hand it to `write`, and audit it: a failing `write` leaves
    no audit entry, and no entry means nothing left the database."""
    with database.session(write=True) as db_session:
        subject = find_subject(db_session, selector, secret=secret)
        scope = gather(db_session, subject)
        keys = verification.counter_keys(scope)
        failures = verification.failures(tools.counter, keys) if tools.counter else None
        assistant: dict[str, Any] = {
            "source": tools.tracker.shown if tools.tracker else None,
            "note": tools.tracker_note,
            "events": tools.tracker.events(scope.conversation_ids) if tools.tracker else [],
        }
        document = export.document(
            db_session,
            scope,
            now=now,
            verification={"failed_attempts_counted_now": failures, "note": tools.counter_note},
            assistant=assistant,
        )
        counts = {**scope.counts(), "assistant_events": len(assistant["events"])}
        write(document)
        entity_type, entity_id = _entity(scope)
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action=EXPORTED_ACTION,
            entity_type=entity_type,
            entity_id=entity_id,
            changes={"reason": reason, "selected_by": selector.kind, "counts": counts},
        )
    return ExportOutcome(subject.describe(), counts, subject.notes)


def _erase_in(
    db_session: Session,
    subject: Subject,
    *,
    actor: str,
    reason: str,
    selector: Selector,
    secret: str,
    tools: Tools,
    dry_run: bool,
    later: ExitStack,
) -> tuple[erasure.Erasure, list[str], int | None]:
    scope = gather(db_session, subject)
    identifiers = _identifier_digests(scope, secret)  # before the identifiers are gone
    old_ids = list(scope.conversation_ids)
    keys = verification.counter_keys(scope)
    counted = list(verification.failures(tools.counter, keys)) if tools.counter else []
    tracker_events = 0
    if tools.tracker is not None:
        tracker_events = (
            tools.tracker.count(old_ids)
            if dry_run
            else later.enter_context(tools.tracker.deleting(old_ids))
        )
    result = erasure.erase(db_session, scope)
    result.add("assistant_tracker_events", tracker_events)
    result.add("verification_counters", len(counted))
    if dry_run or not result.changed:
        return result, counted, None
    entity_type, entity_id = _entity(scope)
    entry = audit_service.record(
        db_session=db_session,
        actor=actor,
        action=digests.ERASED_ACTION,
        entity_type=entity_type,
        entity_id=entity_id,
        changes={
            "reason": reason,
            "selected_by": selector.kind,
            "counts": dict(sorted(result.counts.items())),
            "crm_events_already_delivered": len(result.delivered_crm_events),
            digests.DIGESTS_KEY: identifiers,
        },
    )
    db_session.flush()
    return result, counted, entry.id


def erase_person(
    *,
    database: Database,
    selector: Selector,
    actor: str,
    reason: str,
    secret: str,
    tools: Tools,
    dry_run: bool,
) -> ErasureOutcome:
    """Erase the person `selector` names in one transaction with its audit entry (a dry run
    rolls everything back and only counts). Rasa's tracker store is cleaned in its own
    transaction, committed right after the database's; the failure counters are reset last."""
    committed = False
    try:
        with ExitStack() as later:
            with database.session(write=True) as db_session:
                subject = find_subject(db_session, selector, secret=secret)
                result, counted, entry_id = _erase_in(
                    db_session,
                    subject,
                    actor=actor,
                    reason=reason,
                    selector=selector,
                    secret=secret,
                    tools=tools,
                    dry_run=dry_run,
                    later=later,
                )
                described = subject.describe()  # no id of an erased chat
                if dry_run:
                    db_session.rollback()
            committed = not dry_run
    except Exception as error:
        if committed:
            raise PartialErasureError(
                "The database is erased, but deleting the conversations from Rasa's tracker "
                f"store failed ({error}); delete their events there by hand (sender ids: "
                f"{', '.join(sorted(result.renames))})."
            ) from error
        raise
    if committed and tools.counter is not None:
        verification.reset(tools.counter, counted)
    return ErasureOutcome(described, result, dry_run, entry_id, subject.notes)
