"""The hub's HTTP face: Rasa's REST-channel contract, and conversation reads for services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from ticketing.conversations import rest_channel
from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.schemas import MessageView, RestConversationRead, RestMessageIn
from ticketing.deps import MAX_ROW_ID, SettingsDep
from ticketing.errors import error_responses
from ticketing.security.message_limits import (
    client_ip,
    limit_messages_from_ip,
    limit_new_chats_from_ip,
)
from ticketing.tickets.access import ServiceOrStaffCaller

router = APIRouter(tags=["conversations"])
api_router = APIRouter(tags=["conversations"])


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]
ChannelKeyHeader = Annotated[
    str | None,
    Header(
        alias=rest_channel.CHANNEL_KEY_HEADER,
        description="a REST channel key (server-side integrations); without it `sender` must "
        "be a conversation token",
    ),
]


def rest_reply(recipient_id: str, message: MessageView) -> dict[str, Any]:
    """A stored message in Rasa's REST-channel shape."""
    reply: dict[str, Any] = {"recipient_id": recipient_id}
    if message.text is not None:
        reply["text"] = message.text
    if message.buttons:
        reply["buttons"] = [b.model_dump() for b in message.buttons]
    if message.image:
        reply["image"] = message.image
    if message.custom is not None:
        reply["custom"] = message.custom
    return reply


@router.post(
    rest_channel.TOKENS_PATH,
    status_code=201,
    response_model=RestConversationRead,
    responses=error_responses(429),
)
async def start_rest_conversation(request: Request, settings: SettingsDep) -> RestConversationRead:
    """A conversation token for a REST client without a channel key: send it as `sender`."""
    await limit_new_chats_from_ip(request)
    token = rest_channel.new_token(settings)
    conversation_id = rest_channel.conversation_id(rest_channel.token_external_id(token))
    return RestConversationRead(token=token, conversation_id=conversation_id)


@router.post(
    "/webhooks/rest/webhook",
    responses={
        200: {
            "description": "the replies, in order",
            "headers": {
                rest_channel.CONVERSATION_ID_HEADER: {
                    "description": "the conversation, for GET /api/conversations/{id}/messages",
                    "schema": {"type": "string"},
                }
            },
        },
        **error_responses(401, 429),
    },
)
async def rest_webhook(
    request: Request,
    response: Response,
    body: RestMessageIn,
    hub: HubDep,
    settings: SettingsDep,
    x_channel_key: ChannelKeyHeader = None,
) -> list[dict[str, Any]]:
    """Rasa's REST channel, through the hub: `{"sender","message"}` -> every reply, in order.
    `sender` is a token from POST /webhooks/rest/conversations, or, with `X-Channel-Key`, the
    integration's own id. The `X-Conversation-Id` response header names the conversation;
    messages to a conversation a person has get `[]` here, and the agent's answers can be
    read with GET /api/conversations/{id}/messages."""
    await limit_messages_from_ip(request)  # first, so guessing keys or tokens is limited too
    external_id = rest_channel.external_id_for(
        settings, channel_key=x_channel_key, sender=body.sender
    )
    delivery = await hub.receive(
        Inbound(
            channel=rest_channel.CHANNEL,
            external_id=external_id,
            text=None if body.message.startswith("/") else body.message,
            payload=body.message if body.message.startswith("/") else None,
            metadata=body.metadata or {},
            client_ip=client_ip(request),
        )
    )
    response.headers[rest_channel.CONVERSATION_ID_HEADER] = delivery.conversation.id
    return [rest_reply(body.sender, m) for m in delivery.replies]


@api_router.get(
    "/conversations/{conversation_id}/messages",
    response_model=list[MessageView],
    responses=error_responses(401, 404),
)
async def conversation_messages(
    conversation_id: str,
    hub: HubDep,
    _caller: ServiceOrStaffCaller,
    after: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="only messages with a larger id")
    ] = 0,
) -> list[MessageView]:
    """The conversation's messages in order (services and staff)."""
    return hub.history(conversation_id, after_id=after)
