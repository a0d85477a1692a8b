"""The web chat channel: the widget's JSON API, its live socket, and the widget's own files.

A browser gets a token from `POST /chat/api/sessions` and sends it with every call
(`X-Chat-Token`, or `?token=` on the socket); the conversation is derived from the token, so
no URL names a conversation. Messages go through the hub like every other channel's.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, WebSocket
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from integrations.webchat import availability, socket, tokens
from integrations.webchat.bodies import read_json
from integrations.webchat.cors import CORS_HEADERS, CorsRoute
from integrations.webchat.schemas import (
    ChatAvailability,
    ChatConversation,
    ChatFollowupEmailIn,
    ChatMessageIn,
    ChatRatingIn,
    ChatSession,
    ChatState,
)
from integrations.webchat.tokens import ChatTokenDep
from ticketing.conversations import followup_email
from ticketing.conversations.hub import Inbound
from ticketing.conversations.views import HubDep
from ticketing.deps import MAX_ROW_ID, NowDep, PolicyDep, SessionDep, SettingsDep
from ticketing.errors import NotAllowedError, NotFoundError, error_responses
from ticketing.security.message_limits import (
    client_ip,
    limit_messages_from_ip,
    limit_new_chats_from_ip,
)

STATIC = Path(__file__).resolve().parent / "static"
SHOP_NAME_MARK = "{{shop_name}}"  # in demo.html
DEMO_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)

router = APIRouter(tags=["web chat"])
api = APIRouter(prefix="/chat/api", route_class=CorsRoute)


def _json_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` that documents a body the view reads itself (`read_json`)."""
    schema = {"application/json": {"schema": model.model_json_schema()}}
    return {"requestBody": {"required": True, "content": schema}}


@api.post("/sessions", status_code=201, responses=error_responses(429))
async def start_session(request: Request, settings: SettingsDep) -> ChatSession:
    """A new chat token; the conversation itself starts with the first message."""
    await limit_new_chats_from_ip(request)
    token = tokens.new_token(settings)
    return ChatSession(conversation_id=tokens.conversation_id(token), token=token)


@api.post("/messages", responses=error_responses(401, 429), openapi_extra=_json_body(ChatMessageIn))
async def send_message(request: Request, token: ChatTokenDep, hub: HubDep) -> ChatState:
    """Store and route one customer message; answers with it and the replies it got. Sending
    the same `client_id` again (a retry) stores nothing and returns the first answer."""
    body = await read_json(request, ChatMessageIn)
    await limit_messages_from_ip(request)
    delivery = await hub.receive(
        Inbound(
            channel=tokens.CHANNEL,
            external_id=tokens.external_id(token),
            text=body.text,
            payload=body.payload,
            client_message_id=body.client_id,
            client_ip=client_ip(request),
        )
    )
    echo = [delivery.incoming] if delivery.incoming else []
    return ChatState(
        conversation=ChatConversation.of(delivery.conversation), messages=echo + delivery.replies
    )


@api.get("/messages", responses=error_responses(401))
async def read_messages(
    token: ChatTokenDep,
    hub: HubDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="only messages with a larger id")
    ] = 0,
) -> ChatState:
    """The conversation and its messages after `after`; empty for a chat not started yet."""
    conversation_id = tokens.conversation_id(token)
    try:
        view = await run_in_threadpool(hub.view, conversation_id)
        messages = await run_in_threadpool(hub.history, conversation_id, after_id=after)
    except NotFoundError:
        return ChatState(conversation=None, messages=[])
    return ChatState(conversation=ChatConversation.of(view), messages=messages)


@api.post("/human", responses=error_responses(401, 409))
async def talk_to_a_person(token: ChatTokenDep, hub: HubDep) -> ChatState:
    """The "talk to a person" link: hand the conversation to the agents now."""
    try:
        delivery = await hub.request_human(tokens.conversation_id(token))
    except NotFoundError as error:
        raise NotAllowedError(
            "Tell us briefly what it is about first, then we can pass you to a colleague.",
            code="nothing_to_hand_over",
        ) from error
    return ChatState(
        conversation=ChatConversation.of(delivery.conversation), messages=delivery.replies
    )


@api.post("/rating", responses=error_responses(401, 409), openapi_extra=_json_body(ChatRatingIn))
async def rate(request: Request, token: ChatTokenDep, hub: HubDep) -> ChatState:
    """The stars (1-5) and optional comment answering the rating request."""
    body = await read_json(request, ChatRatingIn)
    try:
        view = await hub.rate(tokens.conversation_id(token), body.score, body.comment or None)
    except NotFoundError as error:
        raise NotAllowedError("There is nothing to rate yet.", code="not_rateable") from error
    return ChatState(conversation=ChatConversation.of(view), messages=[])


@api.get("/availability")
def team_availability(
    response: Response, policy: PolicyDep, db_session: SessionDep, now: NowDep
) -> ChatAvailability:
    """Whether the team is in business hours, when a person replies, and when the team is back
    (the greeting's line). No token: nothing in it is about a customer, so caches may keep it
    for up to a minute (less just before the team opens or closes)."""
    answer = availability.availability(policy, now, online=availability.agents_online(db_session))
    seconds = availability.cache_seconds(answer, now)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return answer


@api.post(
    "/followup-email",
    responses=error_responses(401, 409, 422, 429),
    openapi_extra=_json_body(ChatFollowupEmailIn),
)
async def leave_followup_email(request: Request, token: ChatTokenDep, hub: HubDep) -> ChatState:
    """The customer's email for a reply by email while the team is away (optional). It is
    stored on the token's own conversation only; sending the same address again changes
    nothing, a different one replaces it. No email is sent: an agent replies from their own
    mailbox."""
    body = await read_json(request, ChatFollowupEmailIn)
    await limit_messages_from_ip(request)  # counted like a message: no flood of addresses
    view = await followup_email.leave_in_hub(hub, tokens.conversation_id(token), body.email)
    return ChatState(conversation=ChatConversation.of(view), messages=[])


@api.options("/{path:path}", include_in_schema=False)
async def preflight(path: str) -> Response:  # noqa: ARG001 - any path of this API
    """Browsers ask before sending `X-Chat-Token` from the shop's origin."""
    return Response(status_code=204, headers=CORS_HEADERS)


@router.websocket("/chat/ws")
async def chat_socket(websocket: WebSocket) -> None:
    """Live events of the token's conversation (`?token=`); a `state` event comes first."""
    await socket.serve(websocket, websocket.app.state.hub)


def _static(name: str, media_type: str) -> FileResponse:
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return FileResponse(STATIC / name, media_type=media_type, headers=headers)


@router.get("/chat/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    return _static("widget.js", "text/javascript; charset=utf-8")


@router.get("/chat/widget.css", include_in_schema=False)
async def widget_styles() -> FileResponse:
    return _static("widget.css", "text/css; charset=utf-8")


@router.get("/chat/", include_in_schema=False)
def demo_shop(policy: PolicyDep) -> HTMLResponse:
    """A small fake storefront that embeds the widget with one script tag, named as the shop
    is in the policy (the name the bot uses too)."""
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    headers = {
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DEMO_PAGE_POLICY,
    }
    return HTMLResponse(page.replace(SHOP_NAME_MARK, escape(policy.shop_name)), headers=headers)


router.include_router(api)
