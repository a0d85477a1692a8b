"""The hub's HTTP face: Rasa's REST-channel contract, and conversation reads for services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.schemas import MessageView, RestMessageIn
from ticketing.deps import MAX_ROW_ID
from ticketing.errors import error_responses
from ticketing.security.message_limits import limit_messages_from_ip
from ticketing.tickets.access import ServiceOrStaffCaller

router = APIRouter(tags=["conversations"])
api_router = APIRouter(tags=["conversations"])


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


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


@router.post("/webhooks/rest/webhook", responses=error_responses(429))
async def rest_webhook(request: Request, body: RestMessageIn, hub: HubDep) -> list[dict[str, Any]]:
    """Rasa's REST channel, through the hub: `{"sender","message"}` -> every reply, in order.
    Messages to a conversation a person has get `[]` here; the agent's answers are stored and
    can be read with GET /api/conversations/rest-{sender}/messages."""
    await limit_messages_from_ip(request)
    delivery = await hub.receive(
        Inbound(
            channel="rest",
            external_id=body.sender,
            text=None if body.message.startswith("/") else body.message,
            payload=body.message if body.message.startswith("/") else None,
            metadata=body.metadata or {},
        )
    )
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
