"""The labelled examples as Rasa NLU training data (`data/nlu/learned.yml`).

Stable output for reviewable git diffs: intents sorted by name, each intent's examples
deduplicated (same words, case and spacing aside) and sorted, one example per line. Masked
values become neutral example values (`masking.EXAMPLE_VALUES`); square brackets become round
ones, since `[text](entity)` is Rasa's entity markup and a customer's brackets are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ticketing.training.masking import unmasked_example
from ticketing.training.models import TrainingLabel

HEADER = (
    "# Learned from real conversations: labelled in the console's Training page and written by\n"
    "# `supportbot training export` (do not edit by hand: label again and export).\n"
)


@dataclass
class Examples:
    by_intent: dict[str, list[str]] = field(default_factory=dict)
    # An example labelled with more than one intent: Rasa would learn both; listed to fix.
    conflicts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(examples) for examples in self.by_intent.values())


def example_text(masked: str) -> str:
    """One line of training text from a masked message (see the module docstring)."""
    text = unmasked_example(masked).replace("[", "(").replace("]", ")")
    text = re.sub(r"\s+", " ", text)
    return "".join(char for char in text if char.isprintable()).strip()  # YAML allows no controls


def _key(text: str) -> str:
    return text.casefold()


def collect(labels: Iterable[TrainingLabel]) -> Examples:
    """Deduplicated, sorted examples per intent (labels without an intent are left out)."""
    seen: dict[str, dict[str, str]] = {}
    intents_of: dict[str, set[str]] = {}
    for label in labels:
        text = example_text(label.text)
        if not label.intent or not text:
            continue
        examples = seen.setdefault(label.intent, {})
        key = _key(text)
        examples[key] = min(examples.get(key, text), text)  # one spelling, whatever the order
        intents_of.setdefault(_key(text), set()).add(label.intent)
    result = Examples()
    for intent in sorted(seen):
        result.by_intent[intent] = sorted(seen[intent].values(), key=lambda t: (_key(t), t))
    for key, intents in sorted(intents_of.items()):
        if len(intents) > 1:
            result.conflicts[key] = sorted(intents)
    return result


def to_yaml(examples: Examples) -> str:
    """Rasa's NLU format (version "3.1"), one `- intent:` block per intent."""
    lines = [HEADER + 'version: "3.1"', "nlu:"]
    for intent, texts in examples.by_intent.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in texts)
    if not examples.by_intent:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"


def render(labels: Iterable[TrainingLabel]) -> str:
    return to_yaml(collect(labels))
