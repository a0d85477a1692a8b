"""Grouping the inbox: similar messages together, deterministic (same inbox, same clusters,
whatever order the rows come in), the vectors computed once; and with the real MiniLM,
paraphrases of one request together and different requests apart."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from tests.assist.fakes import WordEmbedder
from ticketing.training.grouping import Encoder, embed_missing, group, group_by_text
from ticketing.training.models import InboxItem

START = datetime(2026, 6, 1, tzinfo=UTC)


class FakeSession:
    def __init__(self) -> None:
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1


def items(*texts: str) -> list[InboxItem]:
    return [
        InboxItem(id=n + 1, text=text, created_at=START + timedelta(minutes=n))
        for n, text in enumerate(texts)
    ]


def embedded(texts: list[str], embedder=None) -> list[InboxItem]:
    rows = items(*texts)
    embed_missing(FakeSession(), rows, embedder or WordEmbedder())  # type: ignore[arg-type]
    return rows


def shape(clusters) -> list[list[int]]:
    return [[item.id for item in cluster.items] for cluster in clusters]


TEXTS = [
    "refund not received yet",
    "where is my parcel",
    "refund not received",
    "parcel where is my",
    "gift cards",
    "my refund not received yet",
]


def test_similar_messages_share_a_cluster_largest_first():
    clusters = group(embedded(TEXTS))
    assert shape(clusters) == [[1, 3, 6], [2, 4], [5]]
    assert [cluster.id for cluster in clusters] == [1, 2, 5]


def test_the_same_inbox_in_any_row_order_gives_the_same_clusters():
    rows = embedded(TEXTS)
    expected = shape(group(rows))
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert shape(group(shuffled)) == expected


def test_a_higher_threshold_splits_clusters():
    assert shape(group(embedded(TEXTS), similarity=0.99)) == [[2, 4], [1], [3], [5], [6]]


def test_vectors_are_computed_once():
    embedder = WordEmbedder()
    rows = embedded(TEXTS[:2], embedder)
    rows.append(InboxItem(id=9, text="gift cards", created_at=START))
    embed_missing(FakeSession(), rows, embedder)  # type: ignore[arg-type]
    assert embedder.embedded == [*TEXTS[:2], "gift cards"]


def test_without_the_model_only_equal_wording_is_grouped():
    rows = items("Gift  cards", "gift cards", "gift card")
    assert shape(group_by_text(rows)) == [[1, 2], [3]]
    broken = Encoder(load=lambda: (_ for _ in ()).throw(OSError("no weights")))
    assert broken.get() is None and broken.get() is None  # tried once, then given up


@pytest.mark.slow
def test_minilm_groups_paraphrases_and_keeps_requests_apart():
    from ticketing.assist.embedder import MiniLM

    texts = [
        "where is my parcel",
        "I want my money back",
        "my package hasn't arrived yet",
        "do you sell gift cards",
        "can I get a refund please",
        "where is my package",
    ]
    clusters = group(embedded(texts, MiniLM.load()))
    assert sorted(sorted(c) for c in shape(clusters)) == [[1, 3, 6], [2, 5], [4]]


def test_a_message_without_a_vector_yet_waits_on_its_own():
    from ticketing.training.grouping import group_embedded

    rows = embedded(TEXTS[:3])
    rows.append(InboxItem(id=7, text="refund not received", created_at=START + timedelta(hours=1)))
    assert shape(group_embedded(rows)) == [[1, 3], [2], [7]]
