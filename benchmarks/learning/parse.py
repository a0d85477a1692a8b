"""Parse messages with a trained model as the live bot does (FallbackClassifier included):
run by `.venv-rasa/bin/python` (stdlib and Rasa only).

    .venv-rasa/bin/python benchmarks/learning/parse.py MODEL IN.json OUT.json

IN.json: a list of texts. OUT.json: one object per text: the intent the bot acts on (may be
`nlu_fallback`) with its confidence, and the classifier's ranking without `nlu_fallback`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the model's custom components (bot/)


async def parse_all(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent  # type: ignore[import-not-found]

    started = time.monotonic()
    agent = Agent.load(model)
    print(f"parse: model loaded in {time.monotonic() - started:.0f} s", file=sys.stderr)
    found: list[dict[str, Any]] = []
    for index, text in enumerate(texts, start=1):
        parsed = await agent.parse_message(text)
        intent = parsed.get("intent") or {}
        ranking = [
            {"intent": str(entry["name"]), "confidence": float(entry.get("confidence") or 0)}
            for entry in parsed.get("intent_ranking") or []
            if entry.get("name") != "nlu_fallback"
        ]
        found.append(
            {
                "text": text,
                "intent": str(intent.get("name")),
                "confidence": float(intent.get("confidence") or 0),
                "ranking": ranking[:5],
            }
        )
        if index % 200 == 0:
            print(f"parse: {index}/{len(texts)}", file=sys.stderr, flush=True)
    return found


def main(argv: list[str]) -> int:
    model, source, target = argv
    texts = json.loads(Path(source).read_text(encoding="utf-8"))
    found = asyncio.run(parse_all(model, texts))
    Path(target).write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
