"""Checking a real answer against the app's own OpenAPI document, as the fuzzer does."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient


def assert_documented(client: TestClient, response: Any) -> None:
    """`response`'s status code is declared for the operation it answers, a JSON body has a
    declared schema, and the body matches it (raises with the mismatch otherwise)."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    request = response.request
    operation = schema.find_operation_by_path(request.method, request.url.path)
    assert operation is not None, f"{request.method} {request.url.path} is not in the schema"
    declared = operation.responses.find_by_status_code(response.status_code)
    assert declared is not None, (
        f"{operation.label} answered {response.status_code}, "
        f"declares {sorted(operation.responses.status_codes)}"
    )
    media_type = response.headers.get("content-type", "").split(";")[0]
    if response.content and media_type == "application/json":
        content = declared.definition.get("content", {})
        assert "schema" in content.get(media_type, {}), (
            f"{operation.label} declares no body for its {response.status_code} answer"
        )
    operation.validate_response(response)
