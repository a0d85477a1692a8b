"""Which lines of an order a customer means, and how many of each: "one of the two candles",
"2 of the mugs", "the candle and the mug", "all of it". Items are those of the API's return
eligibility (item_id, name, sku, quantity, returnable_quantity, returnable, reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from actions import parsing

Item = dict[str, Any]

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:[-/][a-z0-9]+)*")
SEGMENTS = re.compile(r"[,;&+]|\band\b|\bplus\b|\bas well as\b")
WRITTEN = re.compile(r"^(\d+) × (.+)$")
EVERYTHING_WORDS = {"all", "everything", "whole", "entire", "every"}
# After the item is named these start another thought: "the hoodie in blue", "the mug for a refund".
CLAUSE_WORDS = {"for", "in", "instead", "because", "since", "as", "but", "they", "it", "with", "so"}
# Not part of a product's name: what customers say around it.
FILLER = set(
    "the and all any are back both but can could did don't dont each every everything exchange "
    "for from get give got have here how item items its it's just like need not one only order "
    "ordered bought please product products really refund return returned returning send some "
    "that them then these they thing things this those too want wanted what which with would "
    "you yes yeah nope thanks thank also other another instead same whole entire package parcel "
    "sent wrong size colour color ones piece pieces pair pairs more less many much mine our your "
    "off out okay sure actually wait sorry hello hey i'd i'm i'll let lets let's can't cant "
    "won't keep still anyway money credit store swap replace replacement again".split()
)
# "not the mug", "without the candle": lines to leave out (when changing a return).
NEGATIONS = {"not", "without", "except", "nor"}
# A number right after these is a size or an order number, not how many.
NOT_A_COUNT_AFTER = {"size", "eu", "nr", "no", "order", "number", "uk", "us"}


@dataclass
class Wanted:
    """One order line and how many of it (None: the customer didn't say)."""

    item: Item
    quantity: int | None = None


@dataclass
class Selection:
    """What one message says about the lines to return."""

    lines: list[Wanted] = field(default_factory=list)
    everything: bool = False
    count: int | None = None  # a number without an item: "just one", "both"
    ambiguous: list[Item] = field(default_factory=list)  # "the shirt" of two shirts
    unknown: list[str] = field(default_factory=list)  # words naming nothing on the order
    excluded: list[Item] = field(default_factory=list)  # "not the mug"

    @property
    def says_something(self) -> bool:
        named = self.lines or self.ambiguous or self.excluded
        return bool(named or self.everything or self.count is not None)


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _forms(token: str) -> set[str]:
    """A token and, for "t-shirt", "tshirt" and "shirt"."""
    forms = {singular(token)}
    if "-" in token:
        forms.add(singular(token.replace("-", "")))
        forms |= {singular(part) for part in token.split("-") if len(part) > 2}
    return forms


def name_words(item: Item) -> set[str]:
    words: set[str] = set()
    for word in WORD.findall(f"{item['name']} {item['sku']}".lower()):
        if word != "sku" and (len(word) > 2 or word.isdigit()) and word not in FILLER:
            words |= _forms(word)
    return words


def written(lines: list[Wanted]) -> str:
    """The lines as the `item` slot keeps them: "1 × Scented candle; Ceramic mug" (no count:
    still to be asked)."""
    return "; ".join(
        f"{w.quantity} × {w.item['name']}" if w.quantity else w.item["name"] for w in lines
    )


def describe(lines: list[Wanted]) -> str:
    return ", ".join(f"{w.quantity} × {w.item['name']}" for w in lines)


def is_settled(text: str | None) -> bool:
    """Every line of a written selection has its count."""
    parts = (text or "").split("; ")
    return bool(text) and all(WRITTEN.match(part) for part in parts)


def written_lines(text: str | None, items: list[Item]) -> list[Wanted] | None:
    """The lines of a selection as `written` keeps it; None when `text` isn't one."""
    if not text:
        return None
    by_name = {item["name"].lower(): item for item in items}
    lines = []
    for part in text.split("; "):
        match = WRITTEN.match(part)
        name, quantity = (match.group(2), int(match.group(1))) if match else (part, None)
        item = by_name.get(name.strip().lower())
        if item is None:
            return None
        lines.append(Wanted(item, quantity))
    return lines


def read(text: str | None, items: list[Item]) -> Selection:
    """The lines, counts and unknown words in `text`."""
    said = parsing.clip(text, 500)
    if not said:
        return Selection()
    lines = written_lines(said, items)
    if lines is not None:
        return Selection(lines=lines)
    selection = Selection()
    vocabulary = {item["item_id"]: name_words(item) for item in items}
    in_names = set().union(*vocabulary.values()) if vocabulary else set()
    for segment in SEGMENTS.split(said.lower()):
        _read_segment(WORD.findall(segment), items, vocabulary, in_names, selection)
    merged: dict[int, Wanted] = {}
    for wanted in selection.lines:
        known = merged.setdefault(wanted.item["item_id"], wanted)
        if known.quantity is None:
            known.quantity = wanted.quantity
    selection.lines = list(merged.values())
    open_lines = [w for w in selection.lines if w.quantity is None]
    if selection.count is not None and len(selection.lines) == 1 and open_lines:
        open_lines[0].quantity, selection.count = selection.count, None
    return selection


def _read_segment(
    tokens: list[str],
    items: list[Item],
    vocabulary: dict[int, set[str]],
    in_names: set[str],
    selection: Selection,
) -> None:
    content: list[str] = []
    counts: list[tuple[int, int]] = []  # (position, count)
    everything = negated = False
    for position, token in enumerate(tokens):
        negated = negated or (token in NEGATIONS and not content)
        if token in CLAUSE_WORDS and content and any(_forms(w) & in_names for w in content):
            break
        count = _count(tokens, position, in_names)
        if count is not None:
            counts.append((position, count))
        elif token in EVERYTHING_WORDS:
            everything = True
        elif (len(token) > 2 or token.isdigit()) and token not in FILLER:
            content.append(token)
    said = set().union(*(_forms(w) for w in content)) if content else set()
    scores = {item_id: len(words & said) for item_id, words in vocabulary.items()}
    best = max(scores.values(), default=0)
    matched = [item for item in items if best and scores[item["item_id"]] == best]
    quantity = _chosen(tokens, counts)
    if not matched:
        if everything and quantity is None:
            selection.everything = True
        elif content:
            selection.unknown.append(" ".join(content))
        elif quantity is not None:
            selection.count = quantity
        return
    if negated:
        selection.excluded += matched
        return
    if len(matched) > 1 and not everything and quantity != len(matched):
        selection.ambiguous += matched
        return
    for item in matched:
        wanted = item["returnable_quantity"] if everything and quantity is None else quantity
        selection.lines.append(
            Wanted(item, None if len(matched) > 1 and not everything else wanted)
        )


def _count(tokens: list[str], position: int, in_names: set[str]) -> int | None:
    token = tokens[position]
    before = tokens[position - 1] if position else ""
    if token.isdigit():
        if token in in_names or before in NOT_A_COUNT_AFTER or len(token) > 4:
            return None
        return int(token)
    if token in ("a", "an", "single"):
        following = tokens[position + 1 : position + 3]
        return 1 if any(_forms(w) & in_names for w in following) else None
    return parsing.NUMBER_WORDS.get(token)


def _chosen(tokens: list[str], counts: list[tuple[int, int]]) -> int | None:
    """ "one of the two candles": the count before "of"; else the first one."""
    for position, count in counts:
        if position + 1 < len(tokens) and tokens[position + 1] == "of":
            return count
    return counts[0][1] if counts else None
