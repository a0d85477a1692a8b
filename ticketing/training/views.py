"""The training inbox's API: the action server reports misunderstood messages; managers read
the grouped inbox, label, undo and download the examples (console login, CSRF for writes)."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from ticketing.console.auth import ConsoleManagerDep
from ticketing.deps import DatabaseDep, NowDep, SessionDep, SettingsDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.security.principals import Principal, require_service
from ticketing.training import export, inbox, service
from ticketing.training.grouping import (
    Encoder,
    group_by_text,
    group_embedded,
    missing_vectors,
    store_vectors,
)
from ticketing.training.intents import OUT_OF_SCOPE_INTENT, label_choices
from ticketing.training.models import InboxItem, TrainingLabel
from ticketing.training.schemas import (
    ClusterRead,
    Guess,
    InboxItemRead,
    InboxRead,
    LabelIn,
    LabelledRead,
    LabelRead,
    MisunderstandingIn,
    MisunderstandingRead,
    RecentLabelRead,
    UndoIn,
    UndoRead,
)
from ticketing.verification import conversation_proof
from ticketing.verification.conversation_proof import ConversationProofHeader

service_router = APIRouter(prefix="/training", tags=["training"])
console_router = APIRouter(
    prefix="/api/console/training",
    tags=["training"],
    responses=error_responses(401, 403, 404, 409, 422),
)
_create_lock = threading.Lock()
MAX_CLUSTERS = 200


def get_encoder(request: Request) -> Encoder:
    """The app's sentence encoder for grouping, made on first use."""
    state = request.app.state
    with _create_lock:
        encoder: Encoder | None = getattr(state, "training_encoder", None)
        if encoder is None:
            encoder = Encoder()
            state.training_encoder = encoder
    return encoder


EncoderDep = Annotated[Encoder, Depends(get_encoder)]


@service_router.post(
    "/misunderstandings",
    response_model=MisunderstandingRead,
    status_code=201,
    responses=error_responses(401, 403, 404, 422),
)
def report_misunderstanding(
    body: MisunderstandingIn,
    _caller: Annotated[Principal, Depends(require_service)],
    db_session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    proof: ConversationProofHeader = None,
) -> MisunderstandingRead:
    """A message the bot did not understand (the action server, with the hub's proof for the
    conversation): stored masked in the training inbox (201), or the new reason added to the
    message's item (200)."""
    conversation_proof.check(
        secret=settings.secret_key.get_secret_value(),
        conversation_id=body.conversation_id,
        proof=proof,
        now=now,
    )
    item, created = inbox.record(db_session, report=body, now=now)
    response.status_code = 201 if created else 200
    answer = MisunderstandingRead(id=item.id, created=created, reasons=list(item.reasons))
    db_session.commit()  # before the answer goes out (a dependency's exit code runs after)
    return answer


def _label_read(label: TrainingLabel | None) -> LabelRead | None:
    if label is None:
        return None
    return LabelRead(
        decision=label.decision,
        intent=label.intent,
        batch=label.batch,
        labelled_by=label.labelled_by,
        labelled_at=label.labelled_at,
    )


def _item_read(item: InboxItem, reasons: dict[str, str]) -> InboxItemRead:
    return InboxItemRead(
        id=item.id,
        conversation_id=item.conversation_id,
        text=item.text,
        previous_bot_text=item.previous_bot_text,
        previous_customer_text=item.previous_customer_text,
        guesses=[Guess.model_validate(guess) for guess in item.guesses],
        reasons=list(item.reasons),
        contact_reason=reasons.get(item.conversation_id),
        created_at=item.created_at,
        label=_label_read(item.label),
    )


def _top_guess(items: list[InboxItem]) -> str | None:
    counts: dict[str, int] = {}
    for item in items:
        if item.guesses:
            name = str(item.guesses[0]["intent"])
            counts[name] = counts.get(name, 0) + 1
    return min(counts, key=lambda name: (-counts[name], name)) if counts else None


@console_router.get("/inbox", response_model=InboxRead)
def read_inbox(_user: ConsoleManagerDep, database: DatabaseDep, encoder: EncoderDep) -> InboxRead:
    """The messages waiting for a label, grouped by meaning (largest group first), with the
    intents to pick from. The first call loads the sentence model (a few seconds); new
    messages are embedded outside any write transaction, then their vectors kept."""
    embedder = encoder.get()
    if embedder is not None:
        with database.session() as db_session:
            vectors = missing_vectors(service.list_pending(db_session), embedder)
        if vectors:
            with database.session(write=True) as db_session:
                store_vectors(db_session, vectors)
    with database.session() as db_session:
        pending = service.list_pending(db_session)
        if embedder is not None:
            clusters, grouping = group_embedded(pending), "minilm"
        else:
            clusters, grouping = group_by_text(pending), "none"
        reasons = service.contact_reasons(db_session, [item.conversation_id for item in pending])
        return InboxRead(
            pending=len(pending),
            clusters=[
                ClusterRead(
                    id=cluster.id,
                    size=len(cluster.items),
                    items=[_item_read(item, reasons) for item in cluster.items],
                    top_guess=_top_guess(cluster.items),
                )
                for cluster in clusters[:MAX_CLUSTERS]
            ],
            intents=list(label_choices()),
            out_of_scope_intent=OUT_OF_SCOPE_INTENT,
            grouping=grouping,
        )


@console_router.post("/labels", response_model=LabelledRead, status_code=201)
def label_items(
    body: LabelIn, user: ConsoleManagerDep, db_session: WriteSessionDep, now: NowDep
) -> LabelledRead:
    """Label a cluster (its item ids as shown) or one message: an intent, out of scope, or
    skip. All or nothing; an item already labelled is refused (409: undo it first)."""
    batch, labels = service.label(
        db_session,
        item_ids=body.item_ids,
        decision=body.decision,
        intent=body.intent,
        actor=user.actor,
        now=now,
    )
    answer = LabelledRead(
        batch=batch, labelled=len(labels), decision=body.decision, intent=labels[0].intent
    )
    db_session.commit()  # the page reloads the inbox as soon as it has the answer
    return answer


@console_router.post("/undo", response_model=UndoRead)
def undo_label(body: UndoIn, user: ConsoleManagerDep, db_session: WriteSessionDep) -> UndoRead:
    """Take a label back (a whole cluster's, if it was one): its messages wait again."""
    undone = service.undo(db_session, batch=body.batch, actor=user.actor)
    db_session.commit()  # the page reloads the inbox as soon as it has the answer
    return UndoRead(batch=body.batch, undone=undone)


@console_router.get("/labels", response_model=list[RecentLabelRead])
def recent_labels(_user: ConsoleManagerDep, db_session: SessionDep) -> list[RecentLabelRead]:
    """The latest labels (one row per cluster or message labelled), newest first."""
    return [
        RecentLabelRead(
            batch=rows[0].batch,
            decision=rows[0].decision,
            intent=rows[0].intent,
            count=len(rows),
            labelled_by=rows[0].labelled_by,
            labelled_at=rows[0].labelled_at,
            examples=[row.text for row in rows[:3]],
        )
        for rows in service.recent_batches(db_session)
    ]


@console_router.get(
    "/export",
    # Response, not PlainTextResponse: that would document the JSON errors as text/plain
    response_class=Response,
    responses={200: {"content": {"application/x-yaml": {}}, "description": "learned.yml"}},
)
def export_examples(_user: ConsoleManagerDep, db_session: SessionDep) -> Response:
    """The labelled examples as Rasa NLU data (what `supportbot training export` writes to
    data/nlu/learned.yml), as a download."""
    text = export.render(service.examples(db_session))
    return Response(
        text,
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="learned.yml"'},
    )
