"""The NLU pipeline's sentence-embedding featurizer, run inside `.venv-rasa` (where Rasa lives):
it adds one 384-dimensional sentence feature per text (unit length, times `scale`), nothing for an
empty text, and puts paraphrases closer together than unrelated requests."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
COMPONENT = "bot.sentence_featurizer.SentenceEmbeddingFeaturizer"
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}
# Runs in .venv-rasa: featurize texts the way Rasa does and print what each message got.
PROBE = """
import json, sys
import numpy as np
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.sentence_featurizer import SentenceEmbeddingFeaturizer

texts = json.loads(sys.argv[1])
component = SentenceEmbeddingFeaturizer(SentenceEmbeddingFeaturizer.get_default_config(), "probe")
live = component.process([Message(data={"text": t}) for t in texts])
training = component.process_training_data(
    TrainingData([Message(data={"text": t, "intent": "x"}) for t in texts])
).training_examples
scaled = SentenceEmbeddingFeaturizer({**component.get_default_config(), "scale": 10}, "scaled")
scaled_vector = scaled.process([Message(data={"text": texts[0]})])[0].get_dense_features("text")[1]
out = [{"scaled_norm": float(np.linalg.norm(scaled_vector.features))}]
for live_message, training_message in zip(live, training):
    sequence, sentence = live_message.get_dense_features("text")
    trained = training_message.get_dense_features("text")[1]
    out.append({
        "sequence": None if sequence is None else list(sequence.features.shape),
        "sentence": None if sentence is None else sentence.features[0].tolist(),
        "same_in_training": trained is not None and sentence is not None
            and bool(np.allclose(trained.features, sentence.features, atol=1e-5)),
    })
print(json.dumps(out))
"""


def _featurize(texts: list[str]) -> list[dict[str, object]]:
    completed = subprocess.run(  # noqa: S603 - the repository's own interpreter
        [str(RASA_PYTHON), "-c", PROBE, json.dumps(texts)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result: list[dict[str, object]] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _cosine(a: object, b: object) -> float:
    assert isinstance(a, list) and isinstance(b, list)
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def test_the_pipeline_uses_the_featurizer_before_both_classifiers() -> None:
    pipeline = [
        step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    ]
    assert COMPONENT in pipeline
    assert pipeline.index(COMPONENT) < pipeline.index("DIETClassifier")
    assert pipeline.index(COMPONENT) < pipeline.index("LogisticRegressionClassifier")


def test_sentence_features_are_unit_vectors_that_group_paraphrases() -> None:
    texts = [
        "can I send back a laptop I bought?",
        "what is your return policy for electronics?",
        "where is my parcel, it has not arrived",
        "",
        "ich möchte zurückgeben 🙂 " + "x" * 2000,
    ]
    scaled, laptop, policy, parcel, empty, long_text = _featurize(texts)
    norm = scaled["scaled_norm"]
    assert isinstance(norm, float) and abs(norm - 10.0) < 1e-3  # `scale: 10` in config.yml

    for features in (laptop, policy, parcel, long_text):
        sentence = features["sentence"]
        assert isinstance(sentence, list) and len(sentence) == 384
        assert abs(_cosine(sentence, sentence) - 1.0) < 1e-4  # normalised
        assert features["sequence"] is None  # sentence features only; DIET combines them
        assert features["same_in_training"] is True  # training and parsing agree
    assert empty["sentence"] is None  # nothing to embed, nothing added, no crash

    assert _cosine(laptop["sentence"], policy["sentence"]) > _cosine(
        laptop["sentence"], parcel["sentence"]
    )
