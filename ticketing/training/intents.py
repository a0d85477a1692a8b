"""The intents a manager can label with: the assistant's own, read from `domain.yml`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ticketing.settings import REPO_ROOT

DOMAIN_FILE = REPO_ROOT / "domain.yml"
# domain.yml's intent for requests the shop does not handle (the "mark out of scope" button).
OUT_OF_SCOPE_INTENT = "out_of_scope"
# Rasa's FallbackClassifier predicts this; it is not an intent anyone can train.
NLU_FALLBACK = "nlu_fallback"


@lru_cache
def domain_intents(domain_file: Path = DOMAIN_FILE) -> tuple[str, ...]:
    """Every intent of the domain, in its order (a list entry may be `{name: {...}}`)."""
    document = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    names: list[str] = []
    for entry in document.get("intents") or []:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(str(name))
    return tuple(names)


def label_choices(domain_file: Path = DOMAIN_FILE) -> tuple[str, ...]:
    """What the intent picker offers: the domain's intents but out of scope (its own button)."""
    return tuple(name for name in domain_intents(domain_file) if name != OUT_OF_SCOPE_INTENT)
