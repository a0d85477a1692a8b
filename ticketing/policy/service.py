"""Reading and changing the shop policy: the file is the default, the database holds changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.audit import service as audit_service
from ticketing.errors import InvalidInputError
from ticketing.policy.models import PolicyVersion
from ticketing.policy.schemas import Policy, PolicyRead

_file_cache: dict[Path, tuple[float, Policy]] = {}


def load_file(path: Path) -> Policy:
    """The policy in `path`, parsed once per modification of the file."""
    mtime = path.stat().st_mtime
    cached = _file_cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    policy = Policy.model_validate(document)
    _file_cache[path] = (mtime, policy)
    return policy


def get_current(*, db_session: Session, policy_file: Path) -> PolicyRead:
    """The policy in force: the newest database version, else the file."""
    latest = db_session.scalar(select(PolicyVersion).order_by(PolicyVersion.id.desc()).limit(1))
    if latest is None:
        return PolicyRead(version=None, source="file", policy=load_file(policy_file))
    return PolicyRead(
        version=latest.id, source="database", policy=Policy.model_validate(latest.document)
    )


def update(*, db_session: Session, document: dict[str, Any], actor: str) -> PolicyRead:
    """Validate `document` and make it the policy in force, audited."""
    try:
        policy = Policy.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise InvalidInputError(f"The policy is not valid: {problems}") from exc
    version = PolicyVersion(document=policy.model_dump(mode="json"), created_by=actor)
    db_session.add(version)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="policy.updated",
        entity_type="policy",
        entity_id=version.id,
        changes={"document": version.document},
    )
    return PolicyRead(version=version.id, source="database", policy=policy)
