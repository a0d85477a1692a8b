"""One answer per fact (issue 21): what a bot turn says twice or contradicts in itself.

A turn is everything the bot answered to one customer message. Flagged: a sentence said twice,
a return (RMA), ticket or tracking number or a link said twice, a delivery state said twice
("on its way" ... "on its way"), and states that exclude each other ("on its way" and "lost in
transit"). Order numbers may come back in a turn ("Order 10848 is late. Shall I open a ticket
for order 10848?"), so they are not counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MIN_SENTENCE_WORDS = 3  # "Shall I?" and "Thank you!" may well come twice
IDENTIFIERS = {
    "return number": re.compile(r"\bRMA-\d+\b"),
    "ticket number": re.compile(r"\bT-\d+\b"),
    "link": re.compile(r"https?://\S+?(?=[\s)\]]|[.,;:!?](?:\s|$)|$)"),
    "tracking number": re.compile(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{10,}\b"),  # 1Z..., 00340434...
}
STATES = ("on its way", "lost in transit", "was delivered", "out for delivery", "hasn't shipped")
EXCLUSIVE = (
    ("on its way", "lost in transit"),
    ("on its way", "was delivered"),
    ("hasn't shipped", "on its way"),
    ("hasn't shipped", "was delivered"),
    ("can't be cancelled", "can still be cancelled"),
)


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()).lower().rstrip(".!?") for s in SENTENCE_END.split(text.strip())]


def in_turn(texts: Iterable[str]) -> list[str]:
    """What one bot turn (its messages' texts) says twice or contradicts, in words."""
    texts = [t for t in texts if t]
    whole = "\n".join(texts)
    lower = whole.lower()
    found: list[str] = []
    sentences = Counter(
        s for text in texts for s in _sentences(text) if len(s.split()) >= MIN_SENTENCE_WORDS
    )
    found += [f"sentence twice: {s!r}" for s, n in sentences.items() if n > 1]
    links = IDENTIFIERS["link"].findall(whole)
    without_links = IDENTIFIERS["link"].sub(" ", whole)
    for name, pattern in IDENTIFIERS.items():
        said = links if name == "link" else pattern.findall(without_links)
        found += [f"{name} twice: {v}" for v, n in Counter(said).items() if n > 1]
    found += [f"said twice: {s!r}" for s in STATES if lower.count(s) > 1]
    found += [f"contradiction: {a!r} and {b!r}" for a, b in EXCLUSIVE if a in lower and b in lower]
    return found


def in_transcript(transcript: list[str]) -> list[str]:
    """Every turn's findings in a simulation transcript ("> customer", "< bot" lines), each
    prefixed with the customer's message it answered."""
    found: list[str] = []
    asked, said = "", []
    for line in [*transcript, "> "]:
        if line.startswith("> "):
            found += [f"after {asked!r}: {finding}" for finding in in_turn(said)]
            asked, said = line[2:], []
        elif line.startswith("< "):
            said.append(re.sub(r" \[[^\]]*\]$", "", line[2:]))  # the buttons shown
    return found
