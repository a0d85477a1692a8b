"""The console's assist endpoint: suggested replies for the message an agent is answering."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from ticketing.assist import service
from ticketing.assist.assistant import Assistant
from ticketing.assist.schemas import SuggestionsRead
from ticketing.console.auth import ConsoleUserDep
from ticketing.deps import DatabaseDep, PolicyDep
from ticketing.errors import error_responses

router = APIRouter(prefix="/api/console", tags=["console"])

_create_lock = threading.Lock()


def get_assistant(request: Request) -> Assistant:
    """The app's assistant, made on first use (the model loads only once someone asks)."""
    state = request.app.state
    with _create_lock:
        assistant: Assistant | None = getattr(state, "assistant", None)
        if assistant is None:
            assistant = Assistant(state.database)
            state.assistant = assistant
    return assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


@router.get(
    "/conversations/{conversation_id}/suggestions",
    response_model=SuggestionsRead,
    responses=error_responses(401, 403, 404),
)
async def suggestions(
    conversation_id: str,
    user: ConsoleUserDep,
    database: DatabaseDep,
    policy: PolicyDep,
    assistant: AssistantDep,
    message_id: Annotated[int | None, Query(ge=1, description="default: the newest")] = None,
) -> SuggestionsRead:
    """Up to three suggested replies to the customer's newest message (or `message_id`): the
    policy answer the bot would give and past agent replies to similar messages, with this
    conversation's names and numbers filled in. `status: loading` while the model loads (ask
    again in a few seconds): this never waits for it."""
    document = policy.model_dump(mode="json")

    def run() -> SuggestionsRead:
        with database.session() as db_session:
            return service.for_conversation(
                db_session,
                assistant,
                conversation_id=conversation_id,
                policy=document,
                agent_name=user.display_name,
                message_id=message_id,
            )

    return await run_in_threadpool(run)
