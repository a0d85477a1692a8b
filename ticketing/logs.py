"""Logging with personal data masked: emails, phone numbers and tokens never reach the logs."""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{6,}\d(?!\w)")
_BOT_TOKEN = re.compile(r"bot\d{5,}:[A-Za-z0-9_-]{20,}")  # Telegram tokens inside Bot API URLs
_TOKEN = re.compile(
    r"(?i)(token|api[-_]key|authorization|password)([\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
)


def mask(text: str) -> str:
    """`text` with emails, phone numbers and secrets replaced by masks."""
    text = _EMAIL.sub(r"\1***@\2", text)
    text = _PHONE.sub(lambda m: "***" + re.sub(r"\D", "", m.group())[-2:], text)
    text = _BOT_TOKEN.sub("bot***", text)
    return _TOKEN.sub(r"\1\2***", text)


class PersonalDataFilter(logging.Filter):
    """Masks the formatted message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True


def configure(level: str = "INFO") -> None:
    """Root logging to stderr with the personal-data filter on every handler."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(PersonalDataFilter())
