"""Small model archives for tests: Rasa's layout (metadata.json with a model_id) without the
components, which is all the checks before `PUT /model` read."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path


def fake_model(path: Path, *, model_id: str = "0123abcd", training_type: int = 3) -> Path:
    metadata = json.dumps({"model_id": model_id, "training_type": training_type}).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (("metadata.json", metadata), ("components/x.json", b"{}" * 5000)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def truncated(source: Path, target: Path) -> Path:
    """The first half of `source`: a download or copy that stopped half-way."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target
