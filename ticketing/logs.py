"""Logging with personal data masked: emails, phone numbers and tokens never reach the logs.

Every record carries the request id and the conversation id it was logged for (see
`ticketing.observability.context`). `SUPPORTBOT_LOG_FORMAT=json` writes one JSON object per
line for a log collector; the default (`text`) is one readable line.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from ticketing.observability import context

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{6,}\d(?!\w)")
_BOT_TOKEN = re.compile(r"bot\d{5,}:[A-Za-z0-9_-]{20,}")  # Telegram tokens inside Bot API URLs
_TOKEN = re.compile(
    r"(?i)(token|api[-_]key|authorization|password)([\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(conversation_id)s]: %(message)s"


def mask(text: str) -> str:
    """`text` with emails, phone numbers and secrets replaced by masks."""
    text = _EMAIL.sub(r"\1***@\2", text)
    text = _PHONE.sub(lambda m: "***" + re.sub(r"\D", "", m.group())[-2:], text)
    text = _BOT_TOKEN.sub("bot***", text)
    return _TOKEN.sub(r"\1\2***", text)


class PersonalDataFilter(logging.Filter):
    """Masks the formatted message of every record it sees and adds the request context."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:  # tracebacks quote values too
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        record.request_id = getattr(record, "request_id", None) or context.request_id() or "-"
        record.conversation_id = (
            getattr(record, "conversation_id", None) or context.conversation_id() or "-"
        )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, and `extra` dicts."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "conversation_id"):
            value = getattr(record, key, None)
            if value and value != "-":
                entry[key] = value
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry["http"] = http
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter(kind: str = "text") -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)


def configure(level: str = "INFO", log_format: str = "text") -> None:
    """Root logging to stderr, one line per record (`log_format` "text" or "json"), with the
    personal-data filter and the request context on every handler."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level)
        for handler in logging.getLogger().handlers:
            handler.setFormatter(formatter(log_format))
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())
