"""What a customer wants instead in an exchange: a size and/or a colour ("a size M", "in blue",
"one size up"). The shop's catalogue has no variants to check against (sizes and colours are
part of the product names), so the wish goes to the return as its note, in the customer's
words when it isn't one of the usual shapes."""

from __future__ import annotations

import re

from actions import parsing
from actions.turn import Turn

LETTER_SIZE = re.compile(r"(?<![\w'’])(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL)(?![\w'’])")
SIZE_AFTER_WORD = re.compile(
    r"\bsize\s+(xxs|xs|s|m|l|xl|xxl|xxxl|\d{1,2}(?:[./]\d{1,2})?)\b|\beu\s*(\d{2}(?:\.5)?)\b"
)
WAIST_LENGTH = re.compile(r"\b(?:w\s*)?(\d{2})\s*/\s*(?:l\s*)?(\d{2})\b")
BIGGER = re.compile(
    r"\b(?:(?:one|a|1)\s+size\s+(?:up|bigger|larger)|size\s+up|(?:a\s+)?(?:bigger|larger)\s+size)\b"
)
SMALLER = re.compile(r"\b(?:(?:one|a|1)\s+size\s+(?:down|smaller)|size\s+down|smaller\s+size)\b")
OTHER_SIZE = re.compile(r"\b(?:size|colou?r|bigger|smaller|larger|longer|shorter)\b")
SAME = re.compile(r"\b(?:same|identical|new one|another one|replacement)\b")
COLOURS = (
    "black white grey gray navy blue red green yellow olive beige brown pink purple orange "
    "silver gold natural sand indigo khaki cream burgundy tortoiseshell clear"
).split()
COLOUR = re.compile(rf"\b({'|'.join(COLOURS)})\b")
WISH_FOLLOWS = re.compile(r"\b(?:for|in|into)\b", re.IGNORECASE)
MAX_WISH = 200


def wish(text: str | None, *, strict: bool = False) -> str | None:
    """ "size M, blue", "one size up", "the same item again"; with `strict`, only those shapes
    (reading a whole request); otherwise anything with a letter or digit, clipped."""
    said = parsing.clip(text, 500)
    if strict:  # in a whole request the wish follows "for" or "in": "the hoodie for a size M"
        after = WISH_FOLLOWS.split(said, maxsplit=1)
        said = after[1] if len(after) > 1 else ""
    lowered = said.lower()
    found = sizes_and_colours(said)
    if found:
        return found
    if (SAME.search(lowered) and not OTHER_SIZE.search(lowered)) or (
        not strict and parsing.says_no(said)
    ):
        return "the same item again"
    if strict or not re.search(r"[^\W_]", said):
        return None
    return parsing.clip(said, MAX_WISH)


def sizes_and_colours(text: str | None) -> str | None:
    """Only a size and/or colour said in `text` ("no, a size L"), else None."""
    said = parsing.clip(text, 500)
    lowered = said.lower()
    parts = [*_sizes(said, lowered), *dict.fromkeys(COLOUR.findall(lowered))]
    return ", ".join(parts) or None


def changed_wish(turn: Turn) -> bool:
    """The latest message of an exchange says another size or colour: it becomes the wish."""
    if turn.slot("resolution") != "exchange":
        return False
    wanted = sizes_and_colours(turn.text)
    if wanted is None or wanted == turn.slot("exchange_for"):
        return False
    turn.set("exchange_for", wanted)
    return True


def _sizes(said: str, lowered: str) -> list[str]:
    if BIGGER.search(lowered):
        return ["one size up"]
    if SMALLER.search(lowered):
        return ["one size down"]
    found = SIZE_AFTER_WORD.search(lowered)
    if found:
        value = found.group(1) or found.group(2)
        return [f"size {value.upper() if value.isalpha() else value}"]
    waist = WAIST_LENGTH.search(lowered)
    if waist:
        return [f"size {waist.group(1)}/{waist.group(2)}"]
    letter = LETTER_SIZE.search(said)
    return [f"size {letter.group(1)}"] if letter else []


def note(wanted: str) -> str:
    """The return's note for the warehouse."""
    return f"Exchange for: {wanted}"
