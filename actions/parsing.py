"""Reading what customers type: order numbers, emails, phones, ratings, reasons (addresses:
ticketing/orders/address_parsing.py, behind the API)."""

from __future__ import annotations

import re

ORDER_NUMBER = re.compile(r"(?<![\d+@.])#?(\d{4,12})(?![\d@])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?\d[\d\s()/.-]{6,20}\d")
MAX_TEXT = 2000

OUT_OF_FIVE = re.compile(r"\s*(?:/|\bout of\b|\bof\b)\s*5(?!\d)")
RATING_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# How many items: "2", "two", "a", "both" ("one of the two candles" is one: the first number).
NUMBER_WORDS = {
    **RATING_WORDS,
    "zero": 0,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
    "single": 1,
    "both": 2,
}
COUNT = re.compile(r"(?<![\w.,/-])(\d{1,4}|[a-z]+)(?![\w/]|[.,]\d)")
EVERYTHING = re.compile(r"\b(?:all|every|everything|each)\b")

REASONS = {
    "damaged": (
        "broken",
        "broke",
        "damaged",
        "damage",
        "defect",
        "cracked",
        "scratch",
        "torn",
        "doesn't work",
        "does not work",
        "not working",
        "stopped working",
        "won't turn on",
        "wont turn on",
        "doesn't turn on",
        "does not turn on",
        "won't switch on",
        "won't power on",
        "won't start",
        "won't charge",
        "dead on arrival",
        "faulty",
        "smashed",
        "shattered",
        "dent",
    ),
    "wrong_item": (
        "wrong",
        "not what i ordered",
        "different item",
        "different size",
        "sent me the",
        "incorrect",
    ),
    "not_as_described": (
        "not as described",
        "different from",
        "looks different",
        "description",
        "quality",
        "cheap",
        "not like the picture",
        "photo",
    ),
    "does_not_fit": (
        "fit",
        "size",
        "wrong size",
        "small",
        "big",
        "large",
        "tight",
        "loose",
        "short",
        "long",
        "narrow",
    ),
    "changed_mind": (
        "changed my mind",
        "change of mind",
        "don't need",
        "dont need",
        "don't want",
        "dont want",
        "no longer",
        "don't like",
        "dont like",
        "by mistake",
        "only need one",
        "only needed one",
        "just need one",
        "need just one",
        "need only one",
        "ordered too many",
        "ordered twice",
        "bought twice",
        "not needed",
    ),
    "late_delivery": ("late", "too late", "took too long", "took forever", "delay"),
    # said as a reason: noted as `other`; anything unreadable is asked again first
    "other": ("no particular reason", "no reason", "something else", "just because", "rather not"),
}
CONDITIONS = {
    "unopened": (
        "unopened",
        "sealed",
        "not opened",
        "never opened",
        "never been used",
        "never used",
        "unused",
        "brand new",
        "new in box",
        "in the box",
        "original packaging",
    ),
    "like_new": (
        "like new",
        "as new",
        "tried on",
        "tried it on",
        "tried them on",
        "barely",
        "mint",
        "perfect",
        "opened",
        "new",
    ),
    "damaged": ("damaged", "broken", "cracked", "defect"),
    "used": ("used", "worn", "wore", "second hand", "second-hand"),
}
RESOLUTIONS = {
    "exchange": (
        "exchange",
        "swap",
        "replace",
        "replacement",
        "another size",
        "different size",
        "other colour",
        "other color",
    ),
    "store_credit": ("store credit", "credit", "voucher", "gift card", "coupon"),
    "refund": ("refund", "money back", "my money", "reimburse", "pay back"),
}
CATEGORIES = {
    "product_quality": ("product", "quality", "broken", "defect", "damaged", "item"),
    "logistics": ("deliver", "logistic", "courier", "shipping", "parcel", "package", "late"),
    "payment": ("payment", "charge", "charged", "card", "paypal", "invoice", "bill"),
    "after_sales": ("service", "support", "staff", "agent", "after-sales", "after sales", "rude"),
    "other": ("other", "something else"),
}


def clip(text: str | None, limit: int = MAX_TEXT) -> str:
    """Text no longer than `limit` characters (long messages are cut, never refused)."""
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def order_number(text: str | None) -> str | None:
    """The one order number in the text, or None when there is none (or several)."""
    if not text:
        return None
    text = text[:MAX_TEXT]
    without_contacts = PHONE.sub(" ", EMAIL.sub(" ", text)) if "@" in text or "+" in text else text
    found = ORDER_NUMBER.findall(without_contacts)
    if not found:
        # A long order number can look like a phone; an international one (+49 ...) is not an
        # order number, so none of its digit groups may be taken for one.
        found = ORDER_NUMBER.findall(PHONE.sub(_international_away, EMAIL.sub(" ", text)))
    return found[0] if len(set(found)) == 1 else None


def _international_away(match: re.Match[str]) -> str:
    return " " if "+" in match.group(0) else match.group(0)


def contact(text: str | None) -> str | None:
    """An email address or a phone number (8+ digits) found in the text."""
    if not text:
        return None
    text = text[:MAX_TEXT]
    email = EMAIL.search(text)
    if email:
        return email.group(0).lower()
    phone = PHONE.search(text)
    if phone and 8 <= len(re.sub(r"\D", "", phone.group(0))) <= 15:
        return phone.group(0).strip()
    return None


def _by_keywords(text: str | None, table: dict[str, tuple[str, ...]]) -> str | None:
    """The value itself, else the value of the longest keyword found at the start of a word
    ("unused" is not "used", "took too long" is not "too long", "plate" is not "late")."""
    lowered = (text or "")[:MAX_TEXT].lower().replace("_", " ").strip()
    best: str | None = None
    best_length = 0
    for value, words in table.items():
        if value.replace("_", " ") == lowered:
            return value
        for word in words:
            if len(word) > best_length and re.search(rf"\b{re.escape(word)}", lowered):
                best, best_length = value, len(word)
    return best


def return_reason(text: str | None) -> str | None:
    return _by_keywords(text, REASONS)


def item_condition(text: str | None) -> str | None:
    return _by_keywords(text, CONDITIONS)


def resolution(text: str | None) -> str | None:
    return _by_keywords(text, RESOLUTIONS)


def complaint_category(text: str | None) -> str | None:
    return _by_keywords(text, CATEGORIES)


def rating(text: str | None) -> int | None:
    """1-5 from "4", "4 stars", "4/5", "4 out of 5", "five", "★★★★"; None otherwise."""
    if not text:
        return None
    lowered = OUT_OF_FIVE.sub(" ", text.lower())
    digits = re.findall(r"(?<![\d.,-])([0-9]{1,2})(?![\d.,-])", lowered)
    if len(digits) == 1 and 1 <= int(digits[0]) <= 5:
        return int(digits[0])
    stars = text.count("★") or text.count("⭐")
    if 1 <= stars <= 5:
        return stars
    words = [RATING_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in RATING_WORDS]
    return words[0] if len(words) == 1 else None


def quantity(text: str | None, everything: int | None = None) -> int | None:
    """How many items an answer asks for: "1", "just one", "two please", "both"; "all of them"
    is `everything` (when given). None when no number is found."""
    lowered = (text or "")[:MAX_TEXT].lower()
    if everything is not None and EVERYTHING.search(lowered):
        return everything
    for word in COUNT.findall(lowered):
        if word.isdigit():
            return int(word)
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    return None


def says_no(text: str | None) -> bool:
    return (text or "").strip().lower().rstrip(".!") in {
        "no",
        "nope",
        "nah",
        "no thanks",
        "no thank you",
        "none",
        "nothing",
        "skip",
        "-",
        "n/a",
        "no comment",
        "all good",
        "that's all",
        "thats all",
    }
