"""Telegram updates as the Bot API sends them (only the fields the channel reads)."""

from __future__ import annotations

from typing import Any

CHAT_ID = 555001
DATE = 1_781_524_800


def _chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "Ada"}
    return {"id": chat_id, "type": kind, "title": "Some group"}


def _message(chat_id: int, message_id: int, chat_type: str = "private", **content: Any) -> Any:
    return {
        "message_id": message_id,
        "date": DATE,
        "chat": _chat(chat_id, chat_type),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ada"},
        **content,
    }


def text(update_id: int, body: str, chat_id: int = CHAT_ID, chat_type: str = "private") -> Any:
    message = _message(chat_id, update_id, chat_type, text=body)
    if body.startswith("/"):
        length = len(body.split(" ", 1)[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": update_id, "message": message}


def photo(update_id: int, caption: str | None = None, chat_id: int = CHAT_ID) -> Any:
    sizes = [
        {
            "file_id": "small-id",
            "file_unique_id": "s1",
            "width": 90,
            "height": 60,
            "file_size": 900,
        },
        {
            "file_id": "big-id",
            "file_unique_id": "b1",
            "width": 1280,
            "height": 853,
            "file_size": 84_000,
        },
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption:
        content["caption"] = caption
    return {"update_id": update_id, "message": _message(chat_id, update_id, **content)}


def document(update_id: int, chat_id: int = CHAT_ID) -> Any:
    doc = {
        "file_id": "doc-id",
        "file_unique_id": "d1",
        "file_name": "receipt.pdf",
        "mime_type": "application/pdf",
        "file_size": 12_345,
    }
    return {"update_id": update_id, "message": _message(chat_id, update_id, document=doc)}


def sticker(update_id: int, chat_id: int = CHAT_ID) -> Any:
    item = {
        "file_id": "st-id",
        "file_unique_id": "st1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return {"update_id": update_id, "message": _message(chat_id, update_id, sticker=item)}


def button(update_id: int, data: str, message_id: int = 1000, chat_id: int = CHAT_ID) -> Any:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq-{update_id}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ada"},
            "chat_instance": "ci-1",
            "data": data,
            "message": _message(chat_id, message_id, text="(the bot's message)"),
        },
    }
