"""The fake ticketing backend (respx on httpx) the actions talk to."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import respx

from tests.actions.helpers import API_KEY, BASE_URL

# The MiniLM weights come from a package; nothing may be fetched from the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[respx.MockRouter]:
    """Every request must hit a mocked route; an unexpected one fails the test."""
    monkeypatch.setenv("SUPPORTBOT_API_URL", BASE_URL)
    monkeypatch.setenv("SUPPORTBOT_ACTIONS_API_KEY", API_KEY)
    monkeypatch.setenv("SUPPORTBOT_API_TIMEOUT", "2")
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router
